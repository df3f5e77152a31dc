package io.ptinv.eval;

import io.ptinv.Stage;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The runners' PNG plots (XChart): trade-off curves and per-stage time bars. */
public final class Plots {
  /** The stages of an edit, in pipeline order. */
  public static final List<Stage> EDIT_STAGES = List.of(Stage.ENCODE, Stage.INVERT, Stage.TUNE, Stage.EDIT, Stage.DECODE);

  private Plots() {}

  /** A point of a trade-off curve. */
  public record Point(double x, double y) {}

  /**
   * Lines with markers, one series per key (a method over eta or thresholds); points that are not finite are left out,
   * and a series with none is not drawn.
   */
  public static BufferedImage curves(String title, String xTitle, String yTitle, Map<String, List<Point>> series) {
    XYChart chart = new XYChartBuilder().width(800).height(560).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setMarkerSize(8);
    series.forEach((name, points) -> {
      List<Point> finite = points.stream().filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y())).toList();
      if (!finite.isEmpty()) {
        chart.addSeries(name, finite.stream().map(Point::x).toList(), finite.stream().map(Point::y).toList())
            .setMarker(SeriesMarkers.CIRCLE);
      }
    });
    return BitmapEncoder.getBufferedImage(chart);
  }

  /**
   * Stacked bars: one bar per category (a method, an edit type), one segment per stage.
   *
   * @param seconds category → stage → seconds; a stage missing from a category counts 0
   */
  public static BufferedImage stageBars(String title, String xTitle, String yTitle,
      Map<String, Map<Stage, Double>> seconds) {
    CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setStacked(true);
    chart.getStyler().setOverlapped(false);
    List<String> categories = List.copyOf(seconds.keySet());
    for (Stage s : EDIT_STAGES) {
      List<Double> values = categories.stream().map(c -> seconds.get(c).getOrDefault(s, 0.0)).toList();
      if (values.stream().anyMatch(v -> v > 0)) {
        chart.addSeries(s.name().toLowerCase(Locale.ROOT), categories, values);
      }
    }
    return BitmapEncoder.getBufferedImage(chart);
  }
}

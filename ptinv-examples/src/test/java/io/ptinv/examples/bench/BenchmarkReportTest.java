package io.ptinv.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

  @Test
  void labelsWithCommasAreQuotedSoEveryRowHasTheHeadersFields() {
    String csv = BenchmarkReport.csv(List.of(new ShapesBenchmark.Edit("TODInv + P2P, task reversed", "colour", 1.0, 25,
        0.96, 27.5, 0.81, 24, 22.1, 3.3)));
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(1)).startsWith("\"TODInv + P2P, task reversed\",colour,1.00,25,0.9600,27.500,0.8100,24,");
    // outside the quotes, the row splits into as many fields as the header
    String unquoted = lines.get(1).replaceAll("\"[^\"]*\"", "X");
    assertThat(unquoted.split(",")).hasSameSizeAs(lines.get(0).split(","));
    assertThat(BenchmarkReport.quote("plain")).isEqualTo("plain");
    assertThat(BenchmarkReport.quote("say \"hi\", then")).isEqualTo("\"say \"\"hi\"\", then\"");
  }
}

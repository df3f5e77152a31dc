package io.ptinv.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ptinv.InvalidInputException;
import io.ptinv.eval.PieBenchMask;
import io.ptinv.examples.shapes.ShapeAnalyzer;
import io.ptinv.examples.shapes.ShapeSample;
import io.ptinv.examples.shapes.ShapesDataset;
import io.ptinv.files.OutputFiles;
import io.ptinv.image.Images;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The shapes world as a PIE-Bench-layout dataset, so that the PIE-Bench runner and scorer measure the shipped model:
 * {@code mapping_file.json} (PIE-Bench's schema) and {@code annotation_images/<type>/1_artificial/0_shapes/<id>.png}.
 * Each case is a seeded shapes image and one edit of the benchmark's kinds (the same cases as {@code bench shapes}):
 * colour (PIE-Bench type 6, change attribute colour), shape (1, change object), background (8). The edited words are
 * bracketed in the editing prompt; the mask (RLE, row-major over the image) is the shape's region for colour and shape
 * edits and its complement for background edits. Images are PNG (lossless), not PIE-Bench's JPEG.
 */
public final class ShapesPieBench {
  private ShapesPieBench() {}

  /** PIE-Bench's type id and folder of each benchmark edit kind. */
  private static String[] type(String kind) {
    return switch (kind) {
      case "colour" -> new String[] {"6", "6_change_attribute_color"};
      case "shape" -> new String[] {"1", "1_change_object"};
      default -> new String[] {"8", "8_change_background"};
    };
  }

  /**
   * Writes {@code cases} cases of each edit kind.
   *
   * @param dir the dataset folder (made if missing)
   * @param cases cases per edit kind
   * @param seed the benchmark's case seed
   * @return the number of entries written
   */
  public static int write(Path dir, int cases, long seed) {
    InvalidInputException.check(cases >= 1, "cases", "at least 1", cases);
    ObjectMapper json = new ObjectMapper();
    ObjectNode mapping = json.createObjectNode();
    ShapesDataset data = new ShapesDataset(seed + 41);
    int n = 0;
    for (int i = 0; i < cases; i++) {
      ShapeSample s = data.sample(i);
      SplittableRandom rng = new SplittableRandom(seed * 13 + i);
      boolean[] object = ShapeAnalyzer.analyze(s.image()).mask();
      for (String kind : EditCase.TYPES) {
        EditCase c = EditCase.of(s, kind, rng);
        String[] t = type(kind);
        String key = t[0] + "10" + String.format(Locale.ROOT, "%09d", i);
        String path = t[1] + "/1_artificial/0_shapes/" + key + ".png";
        Images.write(s.image(), dir.resolve("annotation_images").resolve(path));
        ObjectNode e = mapping.putObject(key);
        e.put("image_path", path);
        e.put("original_prompt", s.caption());
        e.put("editing_prompt", bracketed(s.caption(), c.targetCaption()));
        e.put("editing_instruction", instruction(kind, c));
        e.put("editing_type_id", t[0]);
        e.put("blended_word", switch (kind) {
          case "colour" -> s.shape().word() + " " + s.shape().word();
          case "shape" -> s.shape().word() + " " + c.shape().word();
          default -> "background background";
        });
        ArrayNode rle = e.putArray("mask");
        for (long v : rle(kind.equals("background") ? PieBenchMask.invert(object) : object)) {
          rle.add(v);
        }
        n++;
      }
    }
    try {
      OutputFiles.writeString(dir.resolve("mapping_file.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(mapping));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return n;
  }

  /** The target caption with the words that differ from the source in brackets, as PIE-Bench marks edits. */
  static String bracketed(String source, String target) {
    String[] a = source.split(" ");
    String[] b = target.split(" ");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      out.add(i < a.length && a[i].equals(b[i]) ? b[i] : "[" + b[i] + "]");
    }
    return String.join(" ", out);
  }

  private static String instruction(String kind, EditCase c) {
    return switch (kind) {
      case "colour" -> "Make the " + c.source().shape().word() + " " + c.color().word();
      case "shape" -> "Change the " + c.source().shape().word() + " into a " + c.shape().word();
      default -> "Make the background " + c.background().word();
    };
  }

  /** PIE-Bench's RLE: {@code (start, length)} of each run of true values, row-major. */
  static long[] rle(boolean[] mask) {
    List<Long> runs = new ArrayList<>();
    int i = 0;
    while (i < mask.length) {
      if (!mask[i]) {
        i++;
        continue;
      }
      int start = i;
      while (i < mask.length && mask[i]) {
        i++;
      }
      runs.add((long) start);
      runs.add((long) (i - start));
    }
    return runs.stream().mapToLong(Long::longValue).toArray();
  }
}

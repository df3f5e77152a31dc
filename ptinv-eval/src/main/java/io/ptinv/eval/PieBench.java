package io.ptinv.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.InvalidInputException;
import io.ptinv.ModelLoadException;
import io.ptinv.files.InputFiles;
import io.ptinv.image.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PIE-Bench's files as PnPInversion's evaluate.py reads them: the mapping file, source images, method outputs. */
public final class PieBench {
  private PieBench() {}

  /**
   * A mapping file's entries, and the entries that could not be read with the reason (reported and skipped, never
   * stopping a run).
   *
   * @param entries the valid entries in file order
   * @param invalid entry id → what is wrong with it
   */
  public record Mapping(List<PieBenchEntry> entries, Map<String, String> invalid) {}

  /**
   * Reads {@code mapping_file.json}: {@code {key: {image_path, original_prompt, editing_prompt, editing_type_id, mask}}}.
   *
   * @param mappingFile the file
   * @return the entries, and those with a missing field or a malformed mask
   * @throws InvalidInputException if the file is missing; {@link ModelLoadException} if it is not a JSON object
   */
  public static Mapping readMapping(Path mappingFile) {
    InputFiles.checkRegularFile(mappingFile, "mapping file", "PIE-Bench's mapping_file.json");
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(mappingFile.toFile());
    } catch (IOException e) {
      throw new ModelLoadException(mappingFile + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelLoadException(mappingFile + ": expected a JSON object of entries keyed by id");
    }
    List<PieBenchEntry> out = new ArrayList<>();
    Map<String, String> invalid = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode n = e.getValue();
      String missing = null;
      for (String field : new String[] {"image_path", "original_prompt", "editing_prompt", "mask"}) {
        if (!n.hasNonNull(field)) {
          missing = field;
          break;
        }
      }
      if (missing != null) {
        invalid.put(e.getKey(), "no " + missing);
        continue;
      }
      JsonNode mask = n.get("mask");
      if (!mask.isArray() || mask.size() % 2 != 0) {
        invalid.put(e.getKey(), "mask is not a list of (start, length) pairs");
        continue;
      }
      long[] rle = new long[mask.size()];
      for (int i = 0; i < rle.length; i++) {
        rle[i] = mask.get(i).asLong();
      }
      out.add(new PieBenchEntry(e.getKey(), n.get("image_path").asText(), n.get("original_prompt").asText(),
          n.get("editing_prompt").asText(), n.path("editing_type_id").asText(""), rle));
    }
    return new Mapping(out, invalid);
  }

  /**
   * A method's output as evaluate.py reads it: the image itself, or, when it is not the source's size (PnPInversion
   * saves {@code [instruction | source | reconstruction | edit]} strips), its last {@code H x W} block (bottom right).
   *
   * @param output the method's image file
   * @param height the source's height
   * @param width the source's width
   * @return the edit
   */
  public static BufferedImage readOutput(Path output, int height, int width) {
    BufferedImage img = Images.read(output);
    if (img.getWidth() == width && img.getHeight() == height) {
      return img;
    }
    InvalidInputException.check(img.getWidth() >= width && img.getHeight() >= height, "output image",
        "at least the source's " + width + "x" + height + " (" + output + ")", img.getWidth() + "x" + img.getHeight());
    return img.getSubimage(img.getWidth() - width, img.getHeight() - height, width, height);
  }
}

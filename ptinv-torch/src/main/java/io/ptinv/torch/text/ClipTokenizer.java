package io.ptinv.torch.text;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ptinv.InvalidInputException;
import io.ptinv.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.StringEscapeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CLIP's byte-level BPE tokenizer, as CLIP and Stable Diffusion use it: HTML-unescape and NFC-normalise,
 * collapse whitespace, lower-case, split with CLIP's pre-tokenisation pattern, map UTF-8 bytes to printable
 * characters, apply the BPE merges with an end-of-word marker {@code </w>}, then
 * {@code [BOS] body [EOS] pad...} to the context length (77).
 */
public final class ClipTokenizer {
  private static final Logger LOG = LoggerFactory.getLogger(ClipTokenizer.class);
  private static final Pattern PRE_TOKENIZE = Pattern.compile(
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final int CONTEXT_LENGTH = 77;

  private final Map<String, Integer> vocab;
  private final Map<String, Integer> mergeRanks;
  private final char[] byteEncoder = byteEncoder();
  private final int bos;
  private final int eos;
  private final int pad;
  private final TruncationPolicy truncation;
  private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

  private ClipTokenizer(
      Map<String, Integer> vocab, Map<String, Integer> mergeRanks, String padToken, TruncationPolicy truncation) {
    this.vocab = vocab;
    this.mergeRanks = mergeRanks;
    this.bos = id("<|startoftext|>");
    this.eos = id("<|endoftext|>");
    this.pad = id(padToken);
    this.truncation = truncation;
  }

  private int id(String token) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new ModelLoadException("tokenizer vocabulary has no token " + token);
    }
    return id;
  }

  /**
   * Loads {@code vocab.json}, {@code merges.txt} and the pad token named by {@code special_tokens_map.json}
   * or {@code tokenizer_config.json} (default {@code <|endoftext|>}) from a diffusers {@code tokenizer/}
   * folder.
   */
  public static ClipTokenizer load(Path dir, TruncationPolicy truncation) {
    Path vocabFile = dir.resolve("vocab.json");
    Path mergesFile = dir.resolve("merges.txt");
    try (InputStream vocab = Files.newInputStream(vocabFile); InputStream merges = Files.newInputStream(mergesFile)) {
      return create(vocab, merges, padToken(dir), truncation, dir.toString());
    } catch (IOException e) {
      throw new ModelLoadException("cannot read tokenizer files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** CLIP ViT-L/14's tokenizer (SD v1's), bundled with ptinv for single-file checkpoints without one. */
  public static ClipTokenizer bundled(TruncationPolicy truncation) {
    String base = "/io/ptinv/torch/text/clip-vit-large-patch14/";
    try (InputStream vocab = ClipTokenizer.class.getResourceAsStream(base + "vocab.json");
        InputStream merges = ClipTokenizer.class.getResourceAsStream(base + "merges.txt")) {
      if (vocab == null || merges == null) {
        throw new ModelLoadException("bundled CLIP tokenizer files are missing from the class path");
      }
      return create(vocab, merges, "<|endoftext|>", truncation, "bundled CLIP tokenizer");
    } catch (IOException e) {
      throw new ModelLoadException("cannot read the bundled CLIP tokenizer: " + e.getMessage(), e);
    }
  }

  private static ClipTokenizer create(
      InputStream vocabIn, InputStream mergesIn, String padToken, TruncationPolicy truncation, String where)
      throws IOException {
    Map<String, Integer> vocab = JSON.readValue(vocabIn, new TypeReference<LinkedHashMap<String, Integer>>() {});
    Map<String, Integer> ranks = new HashMap<>();
    String merges = new String(mergesIn.readAllBytes(), StandardCharsets.UTF_8);
    for (String line : merges.split("\n")) {
      if (line.startsWith("#version") || line.isBlank()) {
        continue;
      }
      String[] pair = line.strip().split(" ");
      if (pair.length != 2) {
        throw new ModelLoadException(where + ": malformed merge line '" + line + "'");
      }
      ranks.putIfAbsent(pair[0] + " " + pair[1], ranks.size());
    }
    return new ClipTokenizer(vocab, ranks, padToken, truncation);
  }

  private static String padToken(Path dir) throws IOException {
    for (String name : new String[] {"special_tokens_map.json", "tokenizer_config.json"}) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        JsonNode pad = JSON.readTree(f.toFile()).get("pad_token");
        if (pad != null && pad.isTextual()) {
          return pad.asText();
        }
        if (pad != null && pad.has("content")) {
          return pad.get("content").asText();
        }
      }
    }
    return "<|endoftext|>";
  }

  public int bosId() {
    return bos;
  }

  public int eosId() {
    return eos;
  }

  public int padId() {
    return pad;
  }

  /** The BPE token ids of {@code text}, without BOS/EOS or padding. */
  public List<Integer> encodeBody(String text) {
    List<Integer> ids = new ArrayList<>();
    Matcher m = PRE_TOKENIZE.matcher(clean(text));
    while (m.find()) {
      StringBuilder mapped = new StringBuilder();
      for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
        mapped.append(byteEncoder[b & 0xFF]);
      }
      for (String piece : bpe(mapped.toString())) {
        Integer id = vocab.get(piece);
        if (id == null) {
          throw new InvalidInputException("prompt", "token '" + piece + "' is not in the vocabulary");
        }
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * {@code [BOS] body [EOS] pad...} of exactly {@value #CONTEXT_LENGTH} ids; a body longer than 75 tokens
   * is truncated with a warning or rejected, as the {@link TruncationPolicy} says.
   */
  public long[] encode(String text) {
    List<Integer> body = encodeBody(text);
    int max = CONTEXT_LENGTH - 2;
    if (body.size() > max) {
      if (truncation == TruncationPolicy.REJECT) {
        throw new InvalidInputException(
            "prompt", "expected at most " + max + " tokens but \"" + text + "\" has " + body.size());
      }
      LOG.warn("prompt has {} tokens; the last {} are dropped (CLIP takes {})", body.size(), body.size() - max, max);
      body = body.subList(0, max);
    }
    long[] ids = new long[CONTEXT_LENGTH];
    java.util.Arrays.fill(ids, pad);
    ids[0] = bos;
    for (int i = 0; i < body.size(); i++) {
      ids[i + 1] = body.get(i);
    }
    ids[body.size() + 1] = eos;
    return ids;
  }

  /** HTML-unescape (twice, as CLIP's basic_clean does), NFC, collapse whitespace, lower-case. */
  static String clean(String text) {
    String t = StringEscapeUtils.unescapeHtml4(StringEscapeUtils.unescapeHtml4(text));
    t = Normalizer.normalize(t, Normalizer.Form.NFC);
    return t.replaceAll("\\s+", " ").strip().toLowerCase(java.util.Locale.ROOT);
  }

  private List<String> bpe(String token) {
    return cache.computeIfAbsent(token, this::computeBpe);
  }

  private List<String> computeBpe(String token) {
    List<String> word = new ArrayList<>();
    int[] cps = token.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      String s = new String(cps, i, 1);
      word.add(i == cps.length - 1 ? s + "</w>" : s);
    }
    while (word.size() > 1) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i < word.size() - 1; i++) {
        Integer r = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
        if (r != null && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      String first = word.get(best);
      String second = word.get(best + 1);
      List<String> merged = new ArrayList<>(word.size());
      for (int i = 0; i < word.size(); i++) {
        if (i < word.size() - 1 && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
          merged.add(first + second);
          i++;
        } else {
          merged.add(word.get(i));
        }
      }
      word = merged;
    }
    return word;
  }

  /** GPT-2/CLIP's reversible map from bytes to printable unicode characters. */
  private static char[] byteEncoder() {
    char[] enc = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int n = 0;
    for (int b = 0; b < 256; b++) {
      enc[b] = printable[b] ? (char) b : (char) (256 + n++);
    }
    return enc;
  }
}

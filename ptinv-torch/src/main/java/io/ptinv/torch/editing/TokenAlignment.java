package io.ptinv.torch.editing;

import io.ptinv.torch.text.ClipTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * How the target prompt's tokens take the source prompt's cross-attention maps in Prompt-to-Prompt (Hertz et al.
 * 2023; its {@code seq_aligner}). Prompts with the same number of words give a <em>replacement</em> mapper (word
 * swap): a {@code 77 x 77} matrix, identity on unchanged words, the swapped words' tokens mapped onto each other
 * (spread evenly when their token counts differ); new maps are {@code M_src @ mapper}. Otherwise a
 * <em>refinement</em> mapper (words added or removed): the token ids of both prompts (with BOS and EOS) are aligned
 * globally (Needleman-Wunsch: match 1, mismatch -1, gap 0, ties preferring an insertion in the target, then a
 * deletion, then a match, as the reference code does); a target token aligned to a source token takes its map,
 * a new token keeps its own ({@code alpha = 0}).
 */
public final class TokenAlignment {
  static final int N = ClipTokenizer.CONTEXT_LENGTH;

  /** Which mapper. */
  public enum Kind {
    /** Same word count: word swap. */
    REPLACE,
    /** Different word counts: words added or removed. */
    REFINE
  }

  private final Kind kind;
  private final float[] matrix; // REPLACE: [N * N], row = source token, column = target token
  private final long[] index; // REFINE: per target token, the source token whose map it takes (-1: none)
  private final float[] alphas; // REFINE: 1 where the target token takes a source map

  private TokenAlignment(Kind kind, float[] matrix, long[] index, float[] alphas) {
    this.kind = kind;
    this.matrix = matrix;
    this.index = index;
    this.alphas = alphas;
  }

  /** The alignment of {@code source} to {@code target}: replacement when their word counts match, else refinement. */
  public static TokenAlignment of(ClipTokenizer tokenizer, String source, String target) {
    return words(source).length == words(target).length ? replacement(tokenizer, source, target)
        : refinement(tokenizer, source, target);
  }

  /** Replacement (same word count) or refinement. */
  public Kind kind() {
    return kind;
  }

  static String[] words(String prompt) {
    String p = prompt.strip();
    return p.isEmpty() ? new String[0] : p.split("\\s+");
  }

  /** Word swap; the prompts must have the same number of words. */
  static TokenAlignment replacement(ClipTokenizer tokenizer, String source, String target) {
    String[] ws = words(source);
    String[] wt = words(target);
    if (ws.length != wt.length) {
      throw new IllegalArgumentException("a replacement needs prompts with the same word count: " + ws.length + " vs " + wt.length);
    }
    float[] m = new float[N * N];
    int i = 0; // source token position
    int j = 0; // target token position
    set(m, i++, j++, 1f); // BOS
    for (int w = 0; w < ws.length && i < N && j < N; w++) {
      int ns = tokenizer.encodeBody(ws[w]).size();
      int nt = tokenizer.encodeBody(wt[w]).size();
      if (ws[w].equals(wt[w]) || ns == nt) {
        for (int k = 0; k < Math.min(ns, nt); k++) {
          set(m, i + k, j + k, 1f); // unchanged word, or a swap with as many tokens: token to token
        }
      } else {
        for (int a = 0; a < ns; a++) {
          for (int b = 0; b < nt; b++) {
            set(m, i + a, j + b, 1f / nt); // the reference spreads a swapped word's map over the new tokens
          }
        }
      }
      i += ns;
      j += nt;
    }
    // EOS and padding: position to position from where the words end (the reference maps j to j here, which
    // misplaces them when the swapped words' token counts differ)
    while (i < N && j < N) {
      set(m, i++, j++, 1f);
    }
    return new TokenAlignment(Kind.REPLACE, m, null, null);
  }

  private static void set(float[] m, int row, int col, float v) {
    if (row < N && col < N) {
      m[row * N + col] = v;
    }
  }

  /** Words added or removed: global alignment of the token ids. */
  static TokenAlignment refinement(ClipTokenizer tokenizer, String source, String target) {
    int[] x = ids(tokenizer, source);
    int[] y = ids(tokenizer, target);
    int[] yToX = align(x, y);
    long[] index = new long[N];
    float[] alphas = new float[N];
    Arrays.fill(alphas, 1f);
    for (int p = 0; p < N; p++) {
      if (p < y.length) {
        index[p] = yToX[p];
        alphas[p] = yToX[p] >= 0 ? 1f : 0f;
      } else {
        index[p] = p; // padding: position to position
      }
    }
    return new TokenAlignment(Kind.REFINE, null, index, alphas);
  }

  /** BOS, the body (truncated as the text encoder truncates it), EOS. */
  private static int[] ids(ClipTokenizer tokenizer, String prompt) {
    List<Integer> body = tokenizer.encodeBody(prompt);
    List<Integer> out = new ArrayList<>();
    out.add(tokenizer.bosId());
    out.addAll(body.subList(0, Math.min(body.size(), N - 2)));
    out.add(tokenizer.eosId());
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Needleman-Wunsch with the reference's scores and tie order; returns for each y position the aligned x position,
   * or -1 where y has an insertion.
   */
  static int[] align(int[] x, int[] y) {
    int[][] score = new int[x.length + 1][y.length + 1];
    int[][] trace = new int[x.length + 1][y.length + 1]; // 1 left (insert y), 2 up (delete x), 3 diagonal, 4 start
    for (int j = 1; j <= y.length; j++) {
      trace[0][j] = 1;
    }
    for (int i = 1; i <= x.length; i++) {
      trace[i][0] = 2;
    }
    trace[0][0] = 4;
    for (int i = 1; i <= x.length; i++) {
      for (int j = 1; j <= y.length; j++) {
        int left = score[i][j - 1];
        int up = score[i - 1][j];
        int diag = score[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 1 : -1);
        int best = Math.max(left, Math.max(up, diag));
        score[i][j] = best;
        trace[i][j] = best == left ? 1 : best == up ? 2 : 3;
      }
    }
    int[] yToX = new int[y.length];
    int i = x.length;
    int j = y.length;
    while (i > 0 || j > 0) {
      int tr = trace[i][j];
      if (tr == 3) {
        i--;
        j--;
        yToX[j] = i;
      } else if (tr == 1) {
        j--;
        yToX[j] = -1;
      } else if (tr == 2) {
        i--;
      } else {
        break;
      }
    }
    return yToX;
  }

  /**
   * The target branch's new cross-attention maps from the source branch's.
   *
   * @param source the source branch's maps {@code [heads, Nq, 77]}
   * @param target the target branch's own maps, same shape
   */
  public Tensor apply(Tensor source, Tensor target) {
    if (kind == Kind.REPLACE) {
      Tensor m = Tensor.create(matrix, N, N).to(source.device(), source.scalar_type());
      return torch.matmul(source, m);
    }
    Tensor idx = Tensor.create(index, N).clamp_min(new Scalar(0)).to(source.device(), torch.ScalarType.Long);
    Tensor a = Tensor.create(alphas, N).to(source.device(), source.scalar_type());
    Tensor taken = source.index_select(2, idx);
    return taken.mul(a).add(target.mul(a.neg().add(new Scalar(1))));
  }

  /** Target token position to source token position (-1: none); for tests and diagnostics. */
  int[] targetToSource() {
    int[] out = new int[N];
    for (int q = 0; q < N; q++) {
      if (kind == Kind.REFINE) {
        out[q] = alphas[q] > 0 ? (int) index[q] : -1;
      } else {
        out[q] = -1;
        for (int p = 0; p < N; p++) {
          if (matrix[p * N + q] > 0) {
            out[q] = p;
            break;
          }
        }
      }
    }
    return out;
  }
}

package io.ptinv.torch.parity;

/**
 * One checked reference tensor.
 *
 * @param name the check, e.g. {@code folder/unet.eps.t261}; rows of a stacked tensor compared one by one are
 *     {@code folder/pti.embeddings[3]}
 * @param maxAbsError largest absolute difference
 * @param relError relative L2 error {@code ||ours - ref|| / ||ref||}
 * @param status PASS, FAIL, SKIP or UNKNOWN
 * @param note the tolerance (from the golden folder's tolerances.json) and what was compared, or why it was skipped
 */
public record ParityRow(String name, double maxAbsError, double relError, Status status, String note) {
  /** The outcome of one row. */
  public enum Status {
    /** within the golden folder's tolerance */
    PASS,
    /** outside it, or of another shape */
    FAIL,
    /** not checked: the reference file (or tolerances.json) lacks the row or one of its inputs */
    SKIP,
    /** a row tolerances.json lists that this version of ptinv has no check for */
    UNKNOWN
  }

  @Override
  public String toString() {
    return status == Status.SKIP || status == Status.UNKNOWN
        ? String.format("%-40s %12s %12s  %s  (%s)", name, "-", "-", status, note)
        : String.format("%-40s %12.3e %12.3e  %s  (%s)", name, maxAbsError, relError, status, note);
  }
}

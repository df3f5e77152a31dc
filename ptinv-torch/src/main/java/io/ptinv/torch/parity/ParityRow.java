package io.ptinv.torch.parity;

/**
 * One checked reference tensor.
 *
 * @param name the check, e.g. {@code folder/unet.eps.t261}
 * @param maxAbsError largest absolute difference
 * @param relError relative L2 error {@code ||ours - ref|| / ||ref||}
 * @param status PASS, FAIL or SKIP
 * @param note why it was skipped or what the tolerance is
 */
public record ParityRow(String name, double maxAbsError, double relError, Status status, String note) {
  public enum Status { PASS, FAIL, SKIP }

  @Override
  public String toString() {
    return status == Status.SKIP
        ? String.format("%-40s %12s %12s  SKIP  (%s)", name, "-", "-", note)
        : String.format("%-40s %12.3e %12.3e  %s  (%s)", name, maxAbsError, relError, status, note);
  }
}

package io.ptinv.examples.api;

/** Argument count check shared by the examples. */
final class Usage {
  private Usage() {}

  static void check(String[] args, int required, String usage) {
    if (args.length < required) {
      throw new IllegalArgumentException("usage: " + usage);
    }
  }
}

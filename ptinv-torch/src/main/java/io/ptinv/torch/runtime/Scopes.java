package io.ptinv.torch.runtime;

import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * The native-memory discipline: every tensor made inside a call is released when the call ends.
 *
 * <p>Work runs in a JavaCPP {@link PointerScope} (one per step or block, never one per long run: a scope
 * holding tens of thousands of tensors slows every op). {@link #returning} runs a block in its own scope
 * and hands its result to the caller's scope, so that intermediate tensors die at the block's end and the
 * result dies with the caller's. {@link #keep} detaches a long-lived tensor (a weight) from every scope:
 * its owner releases it in {@code close()}.
 */
public final class Scopes {
  private Scopes() {}

  /**
   * Runs {@code body} in a fresh scope; the result survives it, attached to the enclosing scope if there is
   * one (or, if there is none, owned by the caller, who must close it).
   */
  public static <T extends Pointer> T returning(Supplier<T> body) {
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope inner = new PointerScope()) {
      T result = body.get();
      if (outer != null) {
        outer.attach(result);
      } else {
        result.retainReference();
      }
      return result;
    }
  }

  /**
   * Runs {@code body} in a fresh scope and returns a plain Java value computed from its tensors; nothing
   * native survives.
   */
  public static <T> T compute(Supplier<T> body) {
    try (PointerScope scope = new PointerScope()) {
      return body.get();
    }
  }

  /**
   * Makes {@code pointer} outlive every open scope: its owner must call {@link #release} (e.g. in {@code
   * close()}).
   */
  public static <T extends Pointer> T keep(T pointer) {
    // One extra reference: the scope it was made in (if any) drops its own at close, this one stays.
    pointer.retainReference();
    return pointer;
  }

  /** Releases a pointer kept with {@link #keep}. */
  public static void release(Pointer pointer) {
    if (pointer != null && !pointer.isNull()) {
      pointer.releaseReference();
    }
  }
}

package dev.jdgram.cli;

import dev.jdgram.DgramSocket;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A started {@link Command}: its exit code once it has finished, and a way to stop it.
 *
 * <p>A command finishes when its socket has closed ({@code 'close'}), after an error or a {@link
 * #stop()}. Threading: every method may be called from any thread.
 */
public final class Execution {
  private final CompletableFuture<Integer> exitCode;
  private final Runnable stopAction;
  private final DgramSocket socket;

  Execution(CompletableFuture<Integer> exitCode, Runnable stopAction) {
    this(exitCode, stopAction, null);
  }

  Execution(CompletableFuture<Integer> exitCode, Runnable stopAction, DgramSocket socket) {
    this.exitCode = exitCode;
    this.stopAction = stopAction;
    this.socket = socket;
  }

  /** The command's socket, or null for a command without one. */
  DgramSocket socket() {
    return socket;
  }

  /** Runs {@code action} once the command has finished, on whatever thread finishes it. */
  Execution alsoOnFinish(Runnable action) {
    exitCode.whenComplete((code, failure) -> action.run());
    return this;
  }

  /** Returns an execution that has already finished with {@code code}. */
  static Execution finished(int code) {
    return new Execution(CompletableFuture.completedFuture(code), () -> {});
  }

  /**
   * Asks the command to finish: closes its socket, as Ctrl-C does. A command that is stopped before
   * it fails exits 0. Does nothing once the command has finished.
   */
  public void stop() {
    if (!exitCode.isDone()) {
      stopAction.run();
    }
  }

  /**
   * Waits for the command to finish.
   *
   * @return the exit code: 0 on success, 1 on a network error, 2 on a usage error
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public int awaitExitCode() throws InterruptedException {
    try {
      return exitCode.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the command failed unexpectedly", e.getCause());
    }
  }

  /**
   * Waits at most {@code timeout} for the command to finish.
   *
   * @param timeout how long to wait
   * @return the exit code, or empty if the command is still running
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public OptionalInt awaitExitCode(Duration timeout) throws InterruptedException {
    try {
      return OptionalInt.of(exitCode.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return OptionalInt.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the command failed unexpectedly", e.getCause());
    }
  }
}

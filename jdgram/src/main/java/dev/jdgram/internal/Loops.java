package dev.jdgram.internal;

import io.netty.channel.EventLoop;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a socket's work on its loop for the few public calls that must wait for the answer. */
final class Loops {
  /** How long a synchronous method waits for the loop before it gives up. */
  static final long SYNC_TIMEOUT_SECONDS = 30;

  private Loops() {}

  /** Runs a task on the loop (inline when already there) and waits for its result. */
  static <T> T callAndWait(EventLoop loop, Callable<T> task) {
    if (loop.inEventLoop()) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    Future<T> f = loop.submit(task);
    try {
      return f.get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw NodeErrors.errno(Errno.EINTR, "uv_run", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IllegalStateException(c);
    } catch (TimeoutException e) {
      throw NodeErrors.errno(Errno.ETIMEDOUT, "uv_run", e);
    }
  }
}

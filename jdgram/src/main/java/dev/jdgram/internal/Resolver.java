package dev.jdgram.internal;

import dev.jdgram.DgramException;
import dev.jdgram.Lookup;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs a socket's {@link Lookup} and brings the answer back to its loop: inline when the stage is
 * already complete (an IP literal through the default lookup), else as a loop task. Failures become
 * Node's lookup errors.
 */
final class Resolver {
  /** What to do with an answer; runs on the loop. */
  interface Resolved {
    void accept(InetAddress ip, DgramException err);
  }

  private final Lookup lookup;
  private final int family;
  private final EventLoop loop;

  Resolver(Lookup lookup, int family, EventLoop loop) {
    this.lookup = lookup;
    this.family = family;
    this.loop = loop;
  }

  /** Resolves {@code host}; loop thread. The continuation may run before this returns. */
  void resolve(String host, Resolved then) {
    CompletionStage<InetAddress> stage;
    try {
      stage = lookup.lookup(host, family);
      if (stage == null) {
        throw new NullPointerException("Lookup returned null for " + host);
      }
    } catch (RuntimeException e) {
      then.accept(null, lookupError(host, e));
      return;
    }
    CompletableFuture<InetAddress> f = toFuture(stage);
    if (f != null && f.isDone()) {
      deliver(host, f, then);
      return;
    }
    stage.whenComplete((ip, t) -> loop.execute(() -> answer(host, ip, t, then)));
  }

  private static void answer(String host, InetAddress ip, Throwable t, Resolved then) {
    if (t != null) {
      then.accept(null, lookupError(host, t));
    } else if (ip == null) {
      then.accept(null, lookupError(host, new NullPointerException("no address")));
    } else {
      then.accept(ip, null);
    }
  }

  private static CompletableFuture<InetAddress> toFuture(CompletionStage<InetAddress> stage) {
    try {
      return stage.toCompletableFuture();
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  private static void deliver(String host, CompletableFuture<InetAddress> f, Resolved then) {
    InetAddress ip;
    try {
      ip = f.getNow(null);
    } catch (CompletionException | CancellationException e) {
      then.accept(null, lookupError(host, e));
      return;
    }
    answer(host, ip, null, then);
  }

  /**
   * A lookup failure as Node reports it: a DgramException as it is, an unknown host as {@code
   * getaddrinfo ENOTFOUND <host>}, anything else with the closest code.
   */
  static DgramException lookupError(String host, Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof DgramException) {
      return (DgramException) c;
    }
    if (c instanceof java.net.UnknownHostException) {
      return NodeErrors.lookupFailed(Errno.ENOTFOUND, host, c);
    }
    // The lookup is the user's code, so what it throws is its failure, not a bug of jdgram's: an
    // I/O failure keeps its errno, anything else is a temporary failure (EAI_AGAIN).
    Errno e = c instanceof java.io.IOException ? ErrorMapping.toErrno(c) : Errno.UNKNOWN;
    return NodeErrors.lookupFailed(e == Errno.UNKNOWN ? Errno.EAI_AGAIN : e, host, c);
  }
}

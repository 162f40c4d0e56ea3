package dev.jdgram.internal;

import dev.jdgram.DgramException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A send or connect waiting its turn on the socket's loop. Operations run strictly in the order
 * they were called; one whose destination is still being looked up holds back those behind it, so
 * the order holds even when a host name and an IP literal are mixed.
 *
 * <p>An operation owns its state. Before it is queued, the calling thread may give it a destination
 * it already knows ({@link #knownDestination}) or the batch whose lookup it shares ({@link
 * #sharesLookupWith}); once queued, only the loop touches it, through the {@code ...OnLoop}
 * methods.
 */
abstract class Op {
  /** The destination as the caller wrote it; null for a send on a connected socket. */
  final String host;

  final int port;

  private InetAddress resolved;
  private InetSocketAddress destination;
  private DgramException lookupError;
  private Op follows;
  private boolean resolving;

  Op(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** A literal destination known when the call was made; before the operation is queued. */
  final void knownDestination(InetSocketAddress known) {
    destination = known;
    resolved = known.getAddress();
  }

  /** Shares the lookup of the first operation of its batch; before the operation is queued. */
  final void sharesLookupWith(Op first) {
    follows = first;
  }

  /** Whether the destination is known (or its lookup failed), so the operation can run. */
  final boolean isReady() {
    return host == null || resolved != null || lookupError != null;
  }

  /**
   * Whether the operation can run now; if not, starts its lookup (once) or takes its batch's
   * answer. {@code onLateAnswer} runs when a lookup that did not answer at once answers.
   */
  final boolean readyOnLoop(Resolver resolver, Runnable onLateAnswer) {
    if (isReady()) {
      return true;
    }
    if (resolving) {
      return false;
    }
    if (follows != null) {
      resolved = follows.resolved; // the batch's first operation ran, so it has an answer
      lookupError = follows.lookupError;
      return isReady();
    }
    resolving = true;
    boolean[] inline = {true};
    resolver.resolve(
        host,
        (ip, err) -> {
          resolved = ip;
          lookupError = err;
          resolving = false;
          if (!inline[0]) {
            onLateAnswer.run();
          }
        });
    inline[0] = false;
    return isReady();
  }

  /** The looked-up address; null for a connected send or a failed lookup. */
  final InetAddress resolved() {
    return resolved;
  }

  /** The lookup's failure, or null. */
  final DgramException lookupError() {
    return lookupError;
  }

  /** Where a datagram goes: the resolved address and the port. */
  final InetSocketAddress destination() {
    return destination != null ? destination : new InetSocketAddress(resolved, port);
  }

  /**
   * Runs the operation, its destination known.
   *
   * @return whether it wrote to the channel, which the drain then flushes
   */
  abstract boolean runOnLoop(SendQueue queue);

  /**
   * Runs the operation as close() drains the queue: a send still goes out, a connect fails.
   *
   * @return whether it wrote to the channel
   */
  abstract boolean runForCloseOnLoop(SendQueue queue);

  /**
   * Whether it may run now, behind what the drain has written so far. Only a zero-length datagram
   * may have to wait.
   */
  boolean mayRunNowOnLoop(SendQueue queue, boolean wroteBefore) {
    return true;
  }

  /**
   * Fails the operation without running it (the socket closed, or its bind failed): its callback
   * gets {@code why}; without one nothing is emitted, as the cause has its own event.
   */
  abstract void abandonOnLoop(SendQueue queue, DgramException why);
}

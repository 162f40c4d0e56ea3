package dev.jdgram.internal;

import dev.jdgram.DgramException;
import java.net.InetAddress;

/**
 * A send or connect waiting its turn on the socket's loop. Operations run strictly in the order
 * they were called; one whose destination is still being looked up holds back those behind it, so
 * the order holds even when a host name and an IP literal are mixed.
 */
abstract class Op {
  /** The destination as the caller wrote it; null for a send on a connected socket. */
  final String host;

  final int port;

  /** Set once the destination is known (loop thread, or the caller for a literal). */
  InetAddress resolved;

  /** Set when the lookup failed. */
  DgramException lookupError;

  /** An earlier operation of the same batch whose lookup this one shares; or null. */
  Op follows;

  /** A lookup was started and has not completed. */
  boolean resolving;

  Op(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Whether this operation can run now without waiting for a lookup. */
  boolean ready() {
    return host == null || resolved != null || lookupError != null;
  }

  /**
   * Fails the operation without running it (the socket closed, or its bind failed): its callback
   * gets {@code why}; without one nothing is emitted, as the cause has its own event. Loop thread.
   */
  abstract void abandon(SocketCore core, DgramException why);
}

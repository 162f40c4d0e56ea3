package dev.jdgram.internal;

import dev.jdgram.Callback;
import dev.jdgram.DgramException;

/** A connect() waiting its turn behind the sends called before it, as Node queues it. */
final class ConnectOp extends Op {
  final Callback callback;

  ConnectOp(String host, int port, Callback callback) {
    super(host, port);
    this.callback = callback;
  }

  @Override
  boolean runOnLoop(SendQueue queue) {
    queue.core().connector().connectOnLoop(this);
    return false;
  }

  @Override
  boolean runForCloseOnLoop(SendQueue queue) {
    abandonOnLoop(queue, NodeErrors.notRunning());
    return false;
  }

  @Override
  void abandonOnLoop(SendQueue queue, DgramException why) {
    queue.core().connector().connectFailedOnLoop(this, why, true);
  }
}

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
  void abandon(SocketCore core, DgramException why) {
    core.connectFailedOnLoop(this, why, true);
  }
}

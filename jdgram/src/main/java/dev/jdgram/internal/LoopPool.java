package dev.jdgram.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The loops that sockets created with {@code ownEventLoop} run on, apart from the shared loop: one
 * per processor, each socket given the loop with the fewest sockets, so that N such sockets on N
 * processors each have a thread of their own. The threads are daemons and live as long as the JVM,
 * like the shared loop's; Netty starts each on first use.
 */
final class LoopPool {
  private final Map<EventLoop, Integer> sockets = new IdentityHashMap<>();

  LoopPool(EventLoopGroup group) {
    for (EventExecutor e : group) {
      sockets.put((EventLoop) e, 0);
    }
  }

  /** The loop with the fewest sockets, now counted one more. */
  synchronized EventLoop take() {
    EventLoop best = null;
    int fewest = Integer.MAX_VALUE;
    for (Map.Entry<EventLoop, Integer> e : sockets.entrySet()) {
      if (e.getValue() < fewest) {
        best = e.getKey();
        fewest = e.getValue();
      }
    }
    sockets.put(best, fewest + 1);
    return best;
  }

  /** A socket on {@code loop} has closed. */
  synchronized void give(EventLoop loop) {
    sockets.merge(loop, -1, Integer::sum);
  }
}

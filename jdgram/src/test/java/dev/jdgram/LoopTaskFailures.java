package dev.jdgram;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the exceptions that escaped a task on a Netty event loop. Netty's task runner catches
 * them and only logs "A task raised an exception" (through java.util.logging here), so they never
 * reach an uncaught-exception handler and LeakCheck cannot see them; a stress test installs this
 * for its run and asserts on what it took.
 */
final class LoopTaskFailures extends Handler implements AutoCloseable {
  private static final String LOGGER = "io.netty.util.concurrent.AbstractEventExecutor";
  private final Logger logger = Logger.getLogger(LOGGER);
  private final List<Throwable> failures = new ArrayList<>();

  private LoopTaskFailures() {}

  static LoopTaskFailures install() {
    LoopTaskFailures h = new LoopTaskFailures();
    h.logger.addHandler(h);
    return h;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getThrown() != null) {
      failures.add(record.getThrown());
    }
  }

  /** Returns and clears what was collected. */
  synchronized List<Throwable> take() {
    List<Throwable> copy = new ArrayList<>(failures);
    failures.clear();
    return copy;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}

package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** What an example printed, collected from whichever thread printed it; waits are bounded. */
final class Lines implements Consumer<String> {
  static final long TIMEOUT_SECONDS = 10;

  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

  @Override
  public void accept(String line) {
    queue.add(line);
  }

  /** The next line, or a failure naming what was awaited after {@link #TIMEOUT_SECONDS}. */
  String next(String what) throws InterruptedException {
    String line = queue.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (line == null) {
      fail("no line within " + TIMEOUT_SECONDS + " s; waited for " + what);
    }
    return line;
  }
}

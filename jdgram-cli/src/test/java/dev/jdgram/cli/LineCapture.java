package dev.jdgram.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An output stream for a command under test that collects its lines, written from any thread, and
 * lets the test wait, with a bound, for a line matching a pattern.
 */
final class LineCapture extends OutputStream {
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final List<String> lines = new ArrayList<>();
  private final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

  /** The stream to give the command. */
  PrintStream stream() {
    return stream;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      String line = partial.toString(StandardCharsets.UTF_8);
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      partial.reset();
      notifyAll();
    } else {
      partial.write(b);
    }
  }

  /** Returns the complete lines written so far. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** Returns everything written so far, the last line even if it is unterminated. */
  synchronized String text() {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line).append('\n'));
    return text.append(partial.toString(StandardCharsets.UTF_8)).toString();
  }

  /**
   * Waits until some line matches {@code regex} entirely and returns its match.
   *
   * @throws AssertionError naming the pattern and the lines seen, if none matches in time
   */
  synchronized Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    while (true) {
      for (; checked < lines.size(); checked++) {
        Matcher matcher = pattern.matcher(lines.get(checked));
        if (matcher.matches()) {
          return matcher;
        }
      }
      long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
      if (remainingMillis <= 0) {
        throw new AssertionError(
            "no line matching /" + regex + "/ within " + timeout + "; lines: " + lines);
      }
      wait(remainingMillis);
    }
  }
}

package dev.jdgram.bench.subject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The line protocol between the orchestrator and a Java subject program: the subject prints {@code
 * READY k=v...} once set up, the orchestrator writes {@code MARK} (the measured window starts) and
 * {@code STOP} (it ends: the subject prints {@code RESULT k=v...} and exits). End of input also
 * ends the subject, so a subject never outlives an orchestrator that died.
 */
final class Control {
  private Control() {}

  static void ready(String fields) {
    line("READY " + fields);
  }

  static void result(String fields) {
    line("RESULT " + fields);
  }

  static synchronized void line(String text) {
    System.out.println(text);
    System.out.flush();
  }

  /**
   * Serves MARK and STOP from standard input on the calling thread, then exits the JVM: {@code
   * onStop} gives the RESULT fields.
   */
  static void serve(Runnable onMark, Supplier<String> onStop) {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    try {
      String cmd;
      while ((cmd = in.readLine()) != null) {
        switch (cmd.trim()) {
          case "MARK" -> onMark.run();
          case "STOP" -> {
            result(onStop.get());
            Runtime.getRuntime().halt(0);
          }
          default -> System.err.println("unknown command: " + cmd);
        }
      }
    } catch (IOException | RuntimeException e) {
      e.printStackTrace();
      Runtime.getRuntime().halt(3);
    }
    Runtime.getRuntime().halt(0); // orchestrator gone
  }

  /** Exits the JVM when standard input ends, for subjects that finish on their own. */
  static void exitOnEndOfInput() {
    Thread t =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // ignore
                }
              } catch (IOException e) {
                // fall through
              }
              Runtime.getRuntime().halt(0);
            },
            "bench-stdin");
    t.setDaemon(true);
    t.start();
  }

  /** Fails the subject: one line on stderr, exit code 2. */
  static void fail(String why, Throwable cause) {
    System.err.println("subject failed: " + why);
    if (cause != null) {
      cause.printStackTrace();
    }
    System.err.flush();
    Runtime.getRuntime().halt(2);
  }
}

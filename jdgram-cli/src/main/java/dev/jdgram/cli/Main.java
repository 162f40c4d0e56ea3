package dev.jdgram.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code jdgram} command: parses the arguments, runs the command, and exits with its code.
 *
 * <p>Exit codes: 0 success (or a server stopped by Ctrl-C), 1 a network error, 2 a usage error.
 */
public final class Main {
  /** Exit code of a command that failed at run time, such as a port already in use. */
  public static final int EXIT_ERROR = 1;

  /** Exit code of a command line that cannot be run: unknown command, bad argument. */
  public static final int EXIT_USAGE = 2;

  static final int EXIT_OK = 0;

  /** How long Ctrl-C waits for the socket to close before the JVM halts anyway. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private Main() {}

  /**
   * Runs {@code jdgram} and exits the JVM with the command's exit code. Servers run until the JVM
   * is interrupted (Ctrl-C), which closes their socket cleanly first.
   *
   * @param args the command line
   * @throws InterruptedException if the main thread is interrupted while the command runs
   */
  public static void main(String... args) throws InterruptedException {
    // Node writes UTF-8 whatever the locale; so do we, as datagrams are printed as UTF-8.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    Execution execution = start(out, err, args);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  execution.stop();
                  try {
                    execution.awaitExitCode(SHUTDOWN_GRACE);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "jdgram-shutdown"));
    int code = execution.awaitExitCode();
    System.exit(code);
  }

  /**
   * Parses {@code args} and starts the command; a usage error prints {@code jdgram: <problem>} and
   * a pointer to {@code jdgram help} to {@code err}, and finishes at once with {@link #EXIT_USAGE}.
   *
   * @param out the command's output
   * @param err the command's errors
   * @param args the command line
   * @return the started command
   */
  public static Execution start(PrintStream out, PrintStream err, String... args) {
    Command command;
    try {
      command = Command.fromArgs(args);
    } catch (UsageException e) {
      err.println("jdgram: " + e.getMessage());
      err.println("Run 'jdgram help' for usage.");
      return Execution.finished(EXIT_USAGE);
    }
    return command.start(out, err);
  }

  /**
   * Runs a command line to the end, as {@link #main} does but without exiting the JVM: blocks until
   * the command finishes (for {@code listen} and {@code echo}, until their socket closes).
   *
   * @param out the command's output
   * @param err the command's errors
   * @param args the command line
   * @return the exit code
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public static int run(PrintStream out, PrintStream err, String... args)
      throws InterruptedException {
    return start(out, err, args).awaitExitCode();
  }
}

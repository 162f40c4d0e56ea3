package dev.jdgram.cli;

import dev.jdgram.bench.Bench;
import dev.jdgram.bench.BenchOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code jdgram bench [options]}: the loopback benchmark of jdgram against Node.js dgram and raw
 * Netty ({@link Bench}, module jdgram-bench). Options are checked when parsed; running it takes
 * minutes, and Ctrl-C ends it and every process it started.
 *
 * @param args the options after {@code bench}, as {@link BenchOptions#USAGE} lists them
 */
public record BenchCommand(List<String> args) implements Command {
  /** Copies the arguments. */
  public BenchCommand {
    args = List.copyOf(args);
  }

  /**
   * Parses and checks {@code jdgram bench}'s options.
   *
   * @param args the arguments after {@code bench}
   * @return the command
   * @throws UsageException for an unknown option or a bad value
   */
  static BenchCommand parse(List<String> args) throws UsageException {
    try {
      BenchOptions.parse(args.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage() + " (see 'jdgram bench --help')");
    }
    return new BenchCommand(args);
  }

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                exit.complete(Bench.run(out, err, args.toArray(String[]::new)));
              } catch (Throwable t) {
                exit.completeExceptionally(t);
              }
            },
            "jdgram-bench");
    runner.start();
    return new Execution(exit, runner::interrupt);
  }
}

package dev.jdgram.cli;

import dev.jdgram.bench.Bench;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code jdgram bench [options]}: the loopback benchmark of jdgram against Node.js dgram and raw
 * Netty ({@link Bench}, module jdgram-bench). The options are checked when parsed, by the grammar
 * that {@link Bench#command()} gives; running it takes minutes, and Ctrl-C ends it and every
 * process it started.
 *
 * @param args the options after {@code bench}, as {@code jdgram bench --help} lists them
 */
public record BenchCommand(List<String> args) implements Command {
  /** Copies the arguments. */
  public BenchCommand {
    args = List.copyOf(args);
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

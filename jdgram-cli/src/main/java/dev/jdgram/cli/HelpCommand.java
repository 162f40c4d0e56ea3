package dev.jdgram.cli;

import java.io.PrintStream;
import picocli.CommandLine;

/**
 * {@code jdgram help}, or {@code <command> --help}: prints a usage text to standard output and
 * exits 0.
 *
 * @param text the usage text to print: {@link #USAGE}, or one command's
 */
public record HelpCommand(String text) implements Command {
  /** The usage text, listing every command and its options, generated from the grammar. */
  public static final String USAGE = Grammar.usage();

  /** {@code jdgram help}: prints {@link #USAGE}. */
  public HelpCommand() {
    this(USAGE);
  }

  /** {@code help}'s command line. */
  @CommandLine.Command(
      name = "help",
      description = "Print this text (also --help, -h, or no arguments).")
  static final class Args implements Grammar.Parsed {
    @Override
    public Command toCommand() {
      return new HelpCommand();
    }
  }

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    out.println(text);
    return Execution.finished(Main.EXIT_OK);
  }
}

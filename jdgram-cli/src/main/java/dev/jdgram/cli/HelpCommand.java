package dev.jdgram.cli;

import java.io.PrintStream;

/** {@code jdgram help}: prints the usage text to standard output and exits 0. */
public record HelpCommand() implements Command {
  /** The usage text, listing every command. */
  public static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: jdgram <command> [arguments]",
          "",
          "UDP from the command line, on jdgram (Node.js node:dgram for Java).",
          "",
          "Commands:",
          "  listen [port] [address]       Print every datagram received, as the seed's example",
          "                                server does. Port defaults to 41234, address to all",
          "                                IPv4 interfaces (an IPv6 literal listens with udp6).",
          "                                Runs until interrupted.",
          "  send <message> <port> [host]  Send <message> as one UTF-8 datagram to host (default",
          "                                localhost) and exit.",
          "  echo [port] [address]         Send every datagram received back to its sender.",
          "                                Defaults as for listen. Runs until interrupted.",
          "  help                          Print this text (also --help, -h, or no arguments).",
          "",
          "Port 0 binds a free port chosen by the system.",
          "Exit status: 0 on success, 1 on a network error, 2 on a usage error.");

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    out.println(USAGE);
    return Execution.finished(Main.EXIT_OK);
  }
}

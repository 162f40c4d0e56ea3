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
          "                                localhost) and exit. Options, anywhere after 'send':",
          "    --broadcast                   allow sending to a broadcast address (setBroadcast)",
          "    --ttl N                       unicast time to live, 1 to 255 (setTTL)",
          "    --multicast-ttl N             multicast time to live, 0 to 255 (setMulticastTTL)",
          "    --multicast-interface ADDR    send multicast out of the interface with this IPv4",
          "                                  address, or ::%NAME for IPv6 (setMulticastInterface)",
          "  echo [port] [address]         Send every datagram received back to its sender.",
          "                                Defaults as for listen. Runs until interrupted.",
          "  multicast <group> <port>      Join a multicast group (udp6 for an IPv6 group) and",
          "                                print every datagram received, as listen does. Binds",
          "                                the port on all interfaces with reuseAddr, so several",
          "                                listeners can share it. Runs until interrupted.",
          "    --iface ADDR                  join on the interface with this IPv4 address (for an",
          "                                  IPv6 group: its name or index, or ::%NAME)",
          "  bench [options]               Benchmark jdgram against Node.js dgram and raw Netty on",
          "                                loopback; 'jdgram bench --help' lists the options.",
          "  help                          Print this text (also --help, -h, or no arguments).",
          "",
          "Port 0 binds a free port chosen by the system. '--' ends the options, so that a",
          "message may start with '--'.",
          "Exit status: 0 on success, 1 on a network error, 2 on a usage error.");

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    out.println(USAGE);
    return Execution.finished(Main.EXIT_OK);
  }
}

package dev.jdgram.cli;

import dev.jdgram.RemoteInfo;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code jdgram listen [port] [address]}: the seed's example server. Prints {@code server listening
 * <address>:<port>} once bound, then {@code server got: <msg> from <address>:<port>} for every
 * datagram, until stopped.
 *
 * @param port the port to bind, 0 for any
 * @param address the address to bind; an IPv6 literal makes a udp6 socket, anything else udp4
 */
public record ListenCommand(int port, String address) implements Command {
  @Override
  public Execution start(PrintStream out, PrintStream err) {
    return Server.start(
        "server", port, address, out, err, (socket, msg, rinfo) -> print(out, msg, rinfo));
  }

  /** Prints one datagram as the seed's example server does; {@code multicast} prints the same. */
  static void print(PrintStream out, byte[] msg, RemoteInfo rinfo) {
    out.println(
        "server got: "
            + new String(msg, StandardCharsets.UTF_8)
            + " from "
            + rinfo.address()
            + ":"
            + rinfo.port());
  }
}

package dev.jdgram.cli;

import static dev.jdgram.cli.Arguments.nonEmpty;
import static dev.jdgram.cli.Arguments.parsePort;

import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code jdgram multicast <group> <port> [--iface ADDR]}: a multicast listener, after Node's
 * multicast examples. Creates a socket of the group's family with {@code reuseAddr}, so several
 * listeners on one host can share the port; binds the port on all interfaces; joins the group
 * ({@code addMembership}); prints {@code server listening <address>:<port>, joined <group> on
 * <interface>} and then every datagram as {@code listen} does, until stopped.
 *
 * <p>The library judges the group and the interface: a group that is not a multicast address fails
 * with Node's {@code EINVAL}, an IPv4 interface address that no interface has with the kernel's
 * error. Either prints {@code jdgram: cannot join <group> on <interface>: <error>} and exits 1.
 *
 * @param group the multicast group; an IPv6 literal makes a udp6 socket, anything else udp4
 * @param port the port to bind, 0 for any
 * @param iface the interface to join on, or null for the system's choice: for an IPv4 group the
 *     interface's IPv4 address; for an IPv6 group what Node's {@code multicastInterface} takes
 *     ({@code ::%eth0}, {@code ::%2}), or just the interface's name or index ({@code eth0}), which
 *     is taken as {@code ::%eth0}
 */
public record MulticastCommand(String group, int port, String iface) implements Command {
  static final String IFACE = "--iface";

  /** {@code multicast}'s command line. */
  @CommandLine.Command(
      name = "multicast",
      description =
          "Join a multicast group (udp6 for an IPv6 group) and print every datagram received, as"
              + " listen does. Binds the port on all interfaces with reuseAddr, so several"
              + " listeners can share it. Runs until interrupted.")
  static final class Args implements Grammar.Parsed, Grammar.HasOperands {
    @CommandLine.Option(
        names = IFACE,
        paramLabel = "ADDR",
        description =
            "join on the interface with this IPv4 address (for an IPv6 group: its name or index,"
                + " or ::%%NAME)")
    String iface;

    @CommandLine.Mixin Grammar.HelpOption help;

    @CommandLine.Parameters(
        paramLabel = "<group> <port>",
        hideParamSyntax = true,
        preprocessor = Grammar.Operands.class,
        description = "the multicast group and the port to bind (0 for any free port)")
    List<String> operands = new ArrayList<>();

    @Override
    public List<String> operands() {
      return operands;
    }

    @Override
    public Command toCommand() throws UsageException {
      Arguments.expectTwoToMost("multicast", operands, "<group>", "<port>", 2);
      String group = nonEmpty("group", operands.get(0));
      int port = parsePort(operands.get(1), 0);
      return new MulticastCommand(group, port, iface == null ? null : nonEmpty("interface", iface));
    }
  }

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    String type = Addresses.socketType(group);
    DgramSocket socket = Dgram.createSocket(SocketOptions.of(type).reuseAddr(true));
    String anyAddress = type.equals("udp6") ? "::" : Command.ALL_INTERFACES;
    String where = group + " on " + (iface == null ? "the default interface" : iface);
    return Server.start(
        "server",
        socket,
        port,
        anyAddress,
        bound -> {
          try {
            bound.addMembership(group, membershipInterface());
          } catch (DgramException e) {
            throw new Server.SetupException("cannot join " + where + ": " + ErrorText.describe(e));
          }
          return ", joined " + where;
        },
        out,
        err,
        (s, msg, rinfo) -> ListenCommand.print(out, msg, rinfo));
  }

  /**
   * The interface as {@code addMembership} takes it: for an IPv6 group, a bare interface name or
   * index becomes the scope of {@code ::}, as Node's {@code multicastInterface} spells it.
   */
  String membershipInterface() {
    if (iface != null && group.indexOf(':') >= 0 && iface.indexOf(':') < 0) {
      return "::%" + (iface.startsWith("%") ? iface.substring(1) : iface);
    }
    return iface;
  }
}

package dev.jdgram.cli;

import static dev.jdgram.cli.Arguments.nonEmpty;
import static dev.jdgram.cli.Arguments.parsePort;

import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * {@code jdgram send <message> <port> [host] [options]}: the seed's client. Binds a socket to a
 * free port, applies the options, sends {@code message} as one UTF-8 datagram and closes the socket
 * in the send callback; exits 0 once the datagram is handed to the kernel, or prints {@code jdgram:
 * cannot send to <host>:<port>: <error>} and exits 1.
 *
 * <p>The options are applied once the socket is bound, as Node's setters need a bound socket
 * ({@code EBADF} otherwise): bind, then set, then send. Their ranges are the library's to check, so
 * an out-of-range TTL fails as Node's {@code setTTL} does, with {@code EINVAL}, and nothing is
 * sent.
 *
 * @param message the datagram's text
 * @param port the destination port, 1 to 65535
 * @param host the destination host name or address; an IPv6 literal makes a udp6 socket
 * @param options the socket options to set before sending
 */
public record SendCommand(String message, int port, String host, Options options)
    implements Command {

  /**
   * The socket options of {@code send}, each applied only when given.
   *
   * @param broadcast {@code --broadcast}: {@code setBroadcast(true)}
   * @param ttl {@code --ttl N}: {@code setTTL(N)}, or null
   * @param multicastTtl {@code --multicast-ttl N}: {@code setMulticastTTL(N)}, or null
   * @param multicastInterface {@code --multicast-interface ADDR}: {@code
   *     setMulticastInterface(ADDR)}, or null
   */
  public record Options(
      boolean broadcast, Integer ttl, Integer multicastTtl, String multicastInterface) {
    /** No options: the socket as {@code createSocket} makes it. */
    public static final Options NONE = new Options(false, null, null, null);

    /** Returns these options with {@code --broadcast} set. */
    public Options withBroadcast() {
      return new Options(true, ttl, multicastTtl, multicastInterface);
    }

    /** Returns these options with {@code --ttl}. */
    public Options withTtl(int value) {
      return new Options(broadcast, value, multicastTtl, multicastInterface);
    }

    /** Returns these options with {@code --multicast-ttl}. */
    public Options withMulticastTtl(int value) {
      return new Options(broadcast, ttl, value, multicastInterface);
    }

    /** Returns these options with {@code --multicast-interface}. */
    public Options withMulticastInterface(String value) {
      return new Options(broadcast, ttl, multicastTtl, value);
    }
  }

  static final String BROADCAST = "--broadcast";
  static final String TTL = "--ttl";
  static final String MULTICAST_TTL = "--multicast-ttl";
  static final String MULTICAST_INTERFACE = "--multicast-interface";

  /** A send without options, as the seed's client does it. */
  public SendCommand(String message, int port, String host) {
    this(message, port, host, Options.NONE);
  }

  /** {@code send}'s command line. */
  @CommandLine.Command(
      name = "send",
      description =
          "Send <message> as one UTF-8 datagram to host (default localhost) and exit. Options may"
              + " come anywhere after 'send'.")
  static final class Args implements Grammar.Parsed, Grammar.HasOperands {
    @CommandLine.Option(
        names = BROADCAST,
        preprocessor = Grammar.NoValue.class,
        description = "allow sending to a broadcast address (setBroadcast)")
    boolean broadcast;

    @CommandLine.Option(
        names = TTL,
        paramLabel = "N",
        converter = Grammar.Int32.class,
        description = "unicast time to live, 1 to 255 (setTTL)")
    Integer ttl;

    @CommandLine.Option(
        names = MULTICAST_TTL,
        paramLabel = "N",
        converter = Grammar.Int32.class,
        description = "multicast time to live, 0 to 255 (setMulticastTTL)")
    Integer multicastTtl;

    @CommandLine.Option(
        names = MULTICAST_INTERFACE,
        paramLabel = "ADDR",
        description =
            "send multicast out of the interface with this IPv4 address, or ::%%NAME for IPv6"
                + " (setMulticastInterface)")
    String multicastInterface;

    @CommandLine.Mixin Grammar.HelpOption help;

    @CommandLine.Parameters(
        paramLabel = "<message> <port> [host]",
        hideParamSyntax = true,
        preprocessor = Grammar.Operands.class,
        description = "the datagram's text, the port to send to (1 to 65535) and the host")
    List<String> operands = new ArrayList<>();

    @Override
    public List<String> operands() {
      return operands;
    }

    @Override
    public Command toCommand() throws UsageException {
      Arguments.expectTwoToMost("send", operands, "<message>", "<port>", 3);
      int port = parsePort(operands.get(1), 1);
      String host = operands.size() < 3 ? DEFAULT_HOST : nonEmpty("host", operands.get(2));
      String iface =
          multicastInterface == null ? null : nonEmpty("multicast interface", multicastInterface);
      return new SendCommand(
          operands.get(0), port, host, new Options(broadcast, ttl, multicastTtl, iface));
    }
  }

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    DgramSocket socket = Dgram.createSocket(Addresses.socketType(host));
    CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    AtomicBoolean failed = new AtomicBoolean();

    socket.on(
        DgramSocket.ERROR,
        error -> {
          // With a send callback the library reports send errors there; this is the bind, or
          // anything else that goes wrong with the socket itself.
          fail(socket, failed, err, "", error);
        });
    socket.on(DgramSocket.CLOSE, () -> exitCode.complete(failed.get() ? Main.EXIT_ERROR : 0));
    try {
      // Bind explicitly, to the port and address the send would bind implicitly: Node's setters
      // (setBroadcast, setTTL...) throw EBADF on an unbound socket.
      socket.bind(() -> setOptionsAndSend(socket, failed, err));
    } catch (DgramException e) {
      fail(socket, failed, err, "", e);
    }
    return new Execution(exitCode, socket::close);
  }

  /** Runs on the loop thread once the socket is bound. */
  private void setOptionsAndSend(DgramSocket socket, AtomicBoolean failed, PrintStream err) {
    String option = "";
    try {
      if (options.broadcast()) {
        option = BROADCAST + ": ";
        socket.setBroadcast(true);
      }
      if (options.ttl() != null) {
        option = TTL + " " + options.ttl() + ": ";
        socket.setTTL(options.ttl());
      }
      if (options.multicastTtl() != null) {
        option = MULTICAST_TTL + " " + options.multicastTtl() + ": ";
        socket.setMulticastTTL(options.multicastTtl());
      }
      if (options.multicastInterface() != null) {
        option = MULTICAST_INTERFACE + " " + options.multicastInterface() + ": ";
        socket.setMulticastInterface(options.multicastInterface());
      }
      option = "";
      socket.send(
          message,
          port,
          host,
          (error, bytes) -> {
            if (error != null) {
              fail(socket, failed, err, "", error);
            } else {
              socket.close();
            }
          });
    } catch (DgramException e) {
      // An option the library refused (its message names the Node call), or a send that
      // cannot start, such as one to a socket closed by stop() meanwhile.
      fail(socket, failed, err, option, e);
    }
  }

  /**
   * Reports the first failure in one line, naming the option that failed if one did, and closes the
   * socket.
   */
  private void fail(
      DgramSocket socket,
      AtomicBoolean failed,
      PrintStream err,
      String option,
      DgramException error) {
    if (failed.compareAndSet(false, true)) {
      err.println(
          "jdgram: cannot send to "
              + Addresses.hostPort(host, port)
              + ": "
              + option
              + ErrorText.describe(error));
    }
    socket.close();
  }
}

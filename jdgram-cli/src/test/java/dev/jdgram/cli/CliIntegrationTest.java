package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real commands, run in-process against the real library on loopback. Servers bind port 0 and
 * are stopped after each test; payloads carry a unique tag so stray datagrams cannot pass a test.
 */
class CliIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<Execution> started = new ArrayList<>();
  private final LineCapture serverOut = new LineCapture();
  private final LineCapture serverErr = new LineCapture();

  @AfterEach
  void stopEveryServer() throws InterruptedException {
    for (Execution execution : started) {
      execution.stop();
      assertEquals(
          OptionalInt.of(0),
          execution.awaitExitCode(TIMEOUT),
          "a server did not close within " + TIMEOUT + "; stderr: " + serverErr.lines());
    }
  }

  /** Starts a server command and returns its bound port, from its "listening" line. */
  private int startServer(String name, String... args) throws InterruptedException {
    Execution execution = Main.start(serverOut.stream(), serverErr.stream(), args);
    started.add(execution);
    String address = Pattern.quote(args[2]);
    Matcher listening = serverOut.awaitLine(name + " listening " + address + ":(\\d+)", TIMEOUT);
    return Integer.parseInt(listening.group(1));
  }

  private static String tag(String text) {
    return text + " " + UUID.randomUUID();
  }

  /** Runs {@code jdgram send} to the end, asserting it succeeds silently. */
  private static void send(String... args) throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();
    Execution execution = Main.start(out.stream(), err.stream(), args);
    OptionalInt code = execution.awaitExitCode(TIMEOUT);
    assertEquals(OptionalInt.of(0), code, "send exit code; stderr: " + err.lines());
    assertEquals(List.of(), err.lines(), "send's stderr");
    assertEquals(List.of(), out.lines(), "send's stdout");
  }

  @Test
  void listenPrintsEachDatagramFromSendWithItsSender() throws Exception {
    int port = startServer("server", "listen", "0", "127.0.0.1");
    String message = tag("hello");

    send("send", message, Integer.toString(port), "127.0.0.1");

    serverOut.awaitLine(
        "server got: " + Pattern.quote(message) + " from 127\\.0\\.0\\.1:\\d+", TIMEOUT);
    assertEquals(List.of(), serverErr.lines());
  }

  @Test
  void listenPrintsTheMessageAsUtf8() throws Exception {
    int port = startServer("server", "listen", "0", "127.0.0.1");
    String message = tag("héllo wörld ✓ 🦜");

    send("send", message, Integer.toString(port), "127.0.0.1");

    serverOut.awaitLine("server got: " + Pattern.quote(message) + " from .*", TIMEOUT);
  }

  @Test
  void sendWithoutAHostSendsToLocalhostAsTheSeedsClientDoes() throws Exception {
    int port = startServer("server", "listen", "0", "127.0.0.1");
    String message = tag("to localhost");

    send("send", message, Integer.toString(port));

    serverOut.awaitLine(
        "server got: " + Pattern.quote(message) + " from 127\\.0\\.0\\.1:\\d+", TIMEOUT);
  }

  @Test
  void listenPrintsTheSendersRealPort() throws Exception {
    int port = startServer("server", "listen", "0", "127.0.0.1");
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(loopback4(), 0))) {
      String message = tag("from a known port");
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      client.send(new DatagramPacket(bytes, bytes.length, loopback4(), port));

      serverOut.awaitLine(
          "server got: "
              + Pattern.quote(message)
              + " from 127\\.0\\.0\\.1:"
              + client.getLocalPort(),
          TIMEOUT);
    }
  }

  @Test
  void listenOnAnIpv6LiteralUsesUdp6() throws Exception {
    assumeTrue(ipv6LoopbackWorks(), "IPv6 loopback is not available here");
    int port = startServer("server", "listen", "0", "::1");
    String message = tag("over udp6");

    send("send", message, Integer.toString(port), "::1");

    serverOut.awaitLine("server got: " + Pattern.quote(message) + " from ::1:\\d+", TIMEOUT);
  }

  @Test
  void echoSendsEachDatagramBackToItsSender() throws Exception {
    int port = startServer("echo", "echo", "0", "127.0.0.1");
    try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(loopback4(), 0))) {
      client.setSoTimeout((int) TIMEOUT.toMillis());
      byte[] sent = tag("ping").getBytes(StandardCharsets.UTF_8);
      client.send(new DatagramPacket(sent, sent.length, loopback4(), port));

      DatagramPacket reply = new DatagramPacket(new byte[65536], 65536);
      client.receive(reply); // Bounded by the SO_TIMEOUT above.

      assertEquals(port, reply.getPort(), "the echo comes from the server's port");
      assertArrayEquals(sent, Arrays.copyOf(reply.getData(), reply.getLength()));
    }
    assertEquals(List.of(), serverErr.lines());
  }

  @Test
  void listenOnAPortInUsePrintsOneLineAndExitsOne() throws Exception {
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(loopback4(), 0))) {
      int port = holder.getLocalPort();
      LineCapture out = new LineCapture();
      LineCapture err = new LineCapture();

      OptionalInt code =
          Main.start(out.stream(), err.stream(), "listen", Integer.toString(port), "127.0.0.1")
              .awaitExitCode(TIMEOUT);

      assertEquals(OptionalInt.of(1), code, "exit code; stderr: " + err.lines());
      assertEquals(
          List.of(
              "jdgram: cannot listen on 127.0.0.1:"
                  + port
                  + ": address already in use (EADDRINUSE)"),
          err.lines());
      assertEquals(List.of(), out.lines());
    }
  }

  @Test
  void echoOnAPortInUsePrintsOneLineAndExitsOne() throws Exception {
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(loopback4(), 0))) {
      int port = holder.getLocalPort();
      LineCapture err = new LineCapture();

      OptionalInt code =
          Main.start(new LineCapture().stream(), err.stream(), "echo", "" + port, "127.0.0.1")
              .awaitExitCode(TIMEOUT);

      assertEquals(OptionalInt.of(1), code, "exit code; stderr: " + err.lines());
      assertEquals(
          List.of(
              "jdgram: cannot listen on 127.0.0.1:"
                  + port
                  + ": address already in use (EADDRINUSE)"),
          err.lines());
    }
  }

  @Test
  void stoppingListenClosesItsSocketAndExitsZero() throws Exception {
    Execution execution = Main.start(serverOut.stream(), serverErr.stream(), "listen", "0");
    started.add(execution);
    Matcher listening = serverOut.awaitLine("server listening 0\\.0\\.0\\.0:(\\d+)", TIMEOUT);
    int port = Integer.parseInt(listening.group(1));

    execution.stop();

    assertEquals(OptionalInt.of(0), execution.awaitExitCode(TIMEOUT), "exit code after stop");
    // The port is free again: the socket really closed (no SO_REUSEADDR on either socket).
    try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(port))) {
      assertEquals(port, again.getLocalPort());
    }
    assertEquals(List.of(), serverErr.lines());
  }

  @Test
  void sendOfAMessageTooLongForUdpPrintsOneLineAndExitsOne() throws Exception {
    // 65,507 bytes is the most an IPv4 UDP datagram carries; Node's send fails with EMSGSIZE.
    String message = "x".repeat(70_000);
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    OptionalInt code =
        Main.start(out.stream(), err.stream(), "send", message, "9", "127.0.0.1")
            .awaitExitCode(TIMEOUT);

    assertEquals(OptionalInt.of(1), code, "exit code; stderr: " + err.lines());
    assertEquals(
        List.of("jdgram: cannot send to 127.0.0.1:9: message too long (EMSGSIZE)"), err.lines());
    assertEquals(List.of(), out.lines());
  }

  private static InetAddress loopback4() throws IOException {
    return InetAddress.getByName("127.0.0.1");
  }

  private static boolean ipv6LoopbackWorks() {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
      return probe.getLocalPort() > 0;
    } catch (IOException e) {
      return false;
    }
  }
}

package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real commands, run in-process against the real library on loopback. Servers bind port 0 and
 * are stopped after each test; payloads carry a unique tag so stray datagrams cannot pass a test.
 */
class CliIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** An administratively scoped group (RFC 2365); ports are random, so tests cannot collide. */
  private static final String GROUP = "239.255.43.21";

  /** The broadcast address of 127.0.0.0/8 on Linux: sending there needs SO_BROADCAST. */
  private static final String LOOPBACK_BROADCAST = "127.255.255.255";

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

  /** listen --stats: a line a second with what arrived and what was lost, from stats(). */
  @Test
  void listenWithStatsPrintsReceivedAndDroppedEverySecond() throws Exception {
    int port = startServer("server", "listen", "0", "127.0.0.1", "--stats", "--quiet");
    for (int i = 0; i < 3; i++) {
      send("send", tag("counted"), Integer.toString(port), "127.0.0.1");
    }
    Matcher total =
        serverOut.awaitLine(
            "stats: received \\d+/s, dropped 0/s \\(kernel 0, block list 0\\);"
                + " total received 3, dropped 0",
            TIMEOUT);
    assertTrue(total.matches());
    assertTrue(
        serverOut.lines().stream().noneMatch(l -> l.startsWith("server got:")),
        "--quiet leaves out the line per datagram");
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

  // multicast, on loopback: join on 127.0.0.1 and send out of it, so no route is needed

  /** Starts {@code multicast} and returns its bound port, from its first line. */
  private int startMulticast(LineCapture out, String group, String port, String iface)
      throws InterruptedException {
    Execution execution =
        Main.start(out.stream(), serverErr.stream(), "multicast", group, port, "--iface", iface);
    started.add(execution);
    Matcher listening =
        out.awaitLine(
            "server listening 0\\.0\\.0\\.0:(\\d+), joined "
                + Pattern.quote(group)
                + " on "
                + Pattern.quote(iface),
            TIMEOUT);
    return Integer.parseInt(listening.group(1));
  }

  /** Runs a command that must fail: asserts exit 1, nothing on stdout, and returns its stderr. */
  private static List<String> failingRun(String... args) throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();
    OptionalInt code = Main.start(out.stream(), err.stream(), args).awaitExitCode(TIMEOUT);
    assertEquals(OptionalInt.of(1), code, "exit code; stderr: " + err.lines());
    assertEquals(List.of(), out.lines(), "stdout");
    return err.lines();
  }

  @Test
  void multicastPrintsADatagramSentToTheGroupAsListenDoes() throws Exception {
    int port = startMulticast(serverOut, GROUP, "0", "127.0.0.1");
    String message = tag("to the group");

    send(
        "send",
        message,
        Integer.toString(port),
        GROUP,
        "--multicast-interface",
        "127.0.0.1",
        "--multicast-ttl",
        "1");

    // From 127.0.0.1: the datagram left by loopback, as --multicast-interface asked.
    serverOut.awaitLine(
        "server got: " + Pattern.quote(message) + " from 127\\.0\\.0\\.1:\\d+", TIMEOUT);
    assertEquals(List.of(), serverErr.lines());
  }

  @Test
  void twoMulticastListenersShareAPortWithReuseAddrAndBothReceive() throws Exception {
    // Node's multicast examples bind with reuseAddr so that several listeners share the group.
    int port = startMulticast(serverOut, GROUP, "0", "127.0.0.1");
    LineCapture secondOut = new LineCapture();
    startMulticast(secondOut, GROUP, Integer.toString(port), "127.0.0.1");
    String message = tag("to both");

    send("send", message, "" + port, GROUP, "--multicast-interface", "127.0.0.1");

    String got = "server got: " + Pattern.quote(message) + " from 127\\.0\\.0\\.1:\\d+";
    serverOut.awaitLine(got, TIMEOUT);
    secondOut.awaitLine(got, TIMEOUT);
    assertEquals(List.of(), serverErr.lines());
  }

  @Test
  void multicastOnAPortHeldWithoutReuseAddrFailsWithEaddrinuse() throws Exception {
    // SO_REUSEADDR lets two sockets share a port only if both ask for it; this holder does not.
    try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(0))) {
      int port = holder.getLocalPort();

      List<String> err = failingRun("multicast", GROUP, "" + port, "--iface", "127.0.0.1");

      assertEquals(
          List.of(
              "jdgram: cannot listen on 0.0.0.0:" + port + ": address already in use (EADDRINUSE)"),
          err);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "255.255.255.255", "not-an-address"})
  void multicastToAnAddressThatIsNoGroupFailsWithEinvalAsInNode(String group) throws Exception {
    // Node: addMembership('10.0.0.1') throws "addMembership EINVAL".
    assertEquals(
        List.of(
            "jdgram: cannot join "
                + group
                + " on the default interface: invalid argument (EINVAL)"),
        failingRun("multicast", group, "0"));
  }

  @Test
  void multicastOnAnIpv6InterfaceForAnIpv4GroupFailsWithEinval() throws Exception {
    assertEquals(
        List.of("jdgram: cannot join " + GROUP + " on ::1: invalid argument (EINVAL)"),
        failingRun("multicast", GROUP, "0", "--iface", "::1"));
  }

  @Test
  void multicastOnAnAddressThatNoInterfaceHasFailsWithEnodevAsInNode() throws Exception {
    // 198.51.100.7 is TEST-NET-2, never a local address. Node (libuv, Linux) says ENODEV here.
    assertEquals(
        List.of("jdgram: cannot join " + GROUP + " on 198.51.100.7: no such device (ENODEV)"),
        failingRun("multicast", GROUP, "0", "--iface", "198.51.100.7"));
  }

  @Test
  void multicastOnAnIpv6GroupUsesUdp6AndTakesAnInterfaceName() throws Exception {
    assumeTrue(ipv6LoopbackWorks(), "IPv6 loopback is not available here");
    String loopback = NetworkInterface.getByInetAddress(InetAddress.getByName("::1")).getName();
    Execution execution =
        Main.start(
            serverOut.stream(),
            serverErr.stream(),
            "multicast",
            "ff02::7:1",
            "0",
            "--iface",
            loopback);
    started.add(execution);

    serverOut.awaitLine(
        "server listening :::\\d+, joined ff02::7:1 on " + Pattern.quote(loopback), TIMEOUT);
  }

  // send's options

  @Test
  void sendWithBroadcastReachesAListenerOnAllInterfaces() throws Exception {
    int port = startServer("server", "listen", "0", "0.0.0.0");
    String message = tag("to everyone");

    send("send", "--broadcast", message, Integer.toString(port), LOOPBACK_BROADCAST);

    serverOut.awaitLine("server got: " + Pattern.quote(message) + " from .*", TIMEOUT);
  }

  @Test
  void sendToABroadcastAddressWithoutBroadcastFailsWithEaccesAsInNode() throws Exception {
    // Node: send to 127.255.255.255 without setBroadcast(true) fails with "send EACCES".
    assertEquals(
        List.of("jdgram: cannot send to " + LOOPBACK_BROADCAST + ":9: permission denied (EACCES)"),
        failingRun("send", "hi", "9", LOOPBACK_BROADCAST));
  }

  @Test
  void sendWithATtlDelivers() throws Exception {
    int port = startServer("server", "listen", "0", "127.0.0.1");
    String message = tag("with a ttl");

    if (unicastTtlSupported()) {
      send("send", message, Integer.toString(port), "127.0.0.1", "--ttl", "1");
      serverOut.awaitLine("server got: " + Pattern.quote(message) + " from .*", TIMEOUT);
    } else {
      // The NIO transport has no unicast TTL: the library says ENOTSUP, and nothing is sent.
      assertEquals(
          List.of(
              "jdgram: cannot send to 127.0.0.1:"
                  + port
                  + ": --ttl 1: operation not supported (ENOTSUP)"),
          failingRun("send", message, Integer.toString(port), "127.0.0.1", "--ttl", "1"));
    }
  }

  @ParameterizedTest
  @CsvSource({"--ttl, 0", "--ttl, 256", "--ttl, -1", "--multicast-ttl, 256", "--multicast-ttl, -1"})
  void sendWithATtlOutOfRangeFailsWithTheLibrarysEinvalAndSendsNothing(String option, String ttl)
      throws Exception {
    // Node: setTTL(0) and setMulticastTTL(256) throw "setTTL EINVAL", "setMulticastTTL EINVAL".
    int port = startServer("server", "listen", "0", "127.0.0.1");
    String refused = tag("refused");

    assertEquals(
        List.of(
            "jdgram: cannot send to 127.0.0.1:"
                + port
                + ": "
                + option
                + " "
                + ttl
                + ": invalid argument (EINVAL)"),
        failingRun("send", refused, Integer.toString(port), "127.0.0.1", option, ttl));

    // Loopback delivers in order: once a later datagram is in, the refused one would be too.
    String later = tag("later");
    send("send", later, Integer.toString(port), "127.0.0.1");
    serverOut.awaitLine("server got: " + Pattern.quote(later) + " from .*", TIMEOUT);
    assertTrue(
        serverOut.lines().stream().noneMatch(line -> line.contains(refused)),
        "the refused datagram was sent: " + serverOut.lines());
  }

  @Test
  void sendWithAMulticastTtlOfZeroIsAllowedAsInNode() throws Exception {
    // setMulticastTTL takes 0 to 255 (0: the datagram stays on this host, loopback copy only).
    int port = startMulticast(serverOut, GROUP, "0", "127.0.0.1");
    String message = tag("ttl zero");

    send(
        "send",
        message,
        Integer.toString(port),
        GROUP,
        "--multicast-interface",
        "127.0.0.1",
        "--multicast-ttl",
        "0");

    serverOut.awaitLine("server got: " + Pattern.quote(message) + " from .*", TIMEOUT);
  }

  @Test
  void sendOutOfAnInterfaceThatDoesNotExistFailsWithEaddrnotavailAsInNode() throws Exception {
    // Node: setMulticastInterface('198.51.100.7') throws "setMulticastInterface EADDRNOTAVAIL".
    assertEquals(
        List.of(
            "jdgram: cannot send to "
                + GROUP
                + ":9: --multicast-interface 198.51.100.7: address not available (EADDRNOTAVAIL)"),
        failingRun("send", "hi", "9", GROUP, "--multicast-interface", "198.51.100.7"));
  }

  /** Whether the library's transport sets a unicast TTL (NIO's does not: ENOTSUP). */
  private static boolean unicastTtlSupported() {
    DgramSocket probe = Dgram.createSocket("udp4");
    try {
      CompletableFuture<Void> bound = new CompletableFuture<>();
      probe.bind(0, "127.0.0.1", () -> bound.complete(null));
      bound.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      probe.setTTL(64);
      return true;
    } catch (DgramException e) {
      if ("ENOTSUP".equals(e.code())) {
        return false;
      }
      throw e;
    } catch (Exception e) {
      throw new AssertionError("could not probe setTTL", e);
    } finally {
      probe.closeAsync().orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }
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

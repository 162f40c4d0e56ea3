package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jdgram.OddInputs.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property tests of the validating methods of real sockets bound to 127.0.0.1 port 0: send in every
 * form with odd messages, offsets, lengths, ports and addresses; connect; the option setters;
 * multicast membership. A call either throws a {@link DgramException} with Node's code for that
 * argument class, or is accepted, and then a send calls back with the byte count and delivers, or
 * calls back with a DgramException (EMSGSIZE past 65507 bytes). Every call runs under a preemptive
 * timeout, so a hang fails the case. The sender resolves names with {@link Sockets#literalsOnly},
 * so random text never reaches DNS.
 *
 * <p>Cases per property and their seed: {@code -Djdgram.fuzz.cases=N} (default {@value
 * Cases#DEFAULT_CASES}) and {@code -Djdgram.fuzz.seed=S} (fixed by default, or {@code random}); see
 * {@link Cases}, and {@link BadInputPropertiesTest} for the long run. A failure prints the input,
 * its seed and the options that replay it.
 *
 * <p>Each property gets its own sender and receiver, bound before its first case and closed after
 * its last, so {@link LeakCheck}, which runs around each property, also sees that they closed.
 */
class BadSocketInputPropertiesTest {
  private static final Duration CALL_LIMIT = Duration.ofSeconds(10);
  private static final Set<String> SEND_CODES =
      Set.of(
          "ERR_INVALID_ARG_TYPE",
          "ERR_BUFFER_OUT_OF_BOUNDS",
          "ERR_SOCKET_BAD_PORT",
          "ERR_SOCKET_DGRAM_IS_CONNECTED");

  private static final Gen<Message> MESSAGES = OddInputs.message();

  /** 7 stands for the receiver's port (taken often), the rest are odd ports. */
  private static final Gen<Integer> PORTS =
      Gen.<Integer>frequency(Gen.weight(3, Gen.just(7)), Gen.weight(2, OddInputs.port()));

  private static final Gen<String> DESTINATIONS =
      Gen.<String>frequency(
          Gen.weight(4, Gen.just("127.0.0.1")),
          Gen.weight(1, Gen.of("::1", "localhost", "0.0.0.0", "")),
          Gen.weight(1, Gen.just((String) null)),
          Gen.weight(2, OddInputs.addressLike()));

  private static final Gen<Integer> TTLS =
      Gen.oneOf(Gen.between(-2, 260), Gen.of(Integer.MIN_VALUE, Integer.MAX_VALUE));

  private static final Gen<Integer> SIZES =
      Gen.oneOf(Gen.between(-2, 1 << 20), Gen.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0));

  private static final Gen<String> GROUPS =
      Gen.<String>oneOf(
              Gen.of("224.0.0.114", "239.1.2.3", "232.1.1.1", "ff02::1", "", " 224.0.0.1"),
              OddInputs.ipv4(),
              OddInputs.addressLike())
          .orNull(0.03);

  private static final Gen<String> INTERFACES =
      Gen.<String>oneOf(
              Gen.of("127.0.0.1", "0.0.0.0", "::%lo", "1.2.3.4", "", "lo"), OddInputs.addressLike())
          .orNull(0.3);

  private DgramSocket sender;
  private DgramSocket receiver;
  private Sockets.Inbox inbox;
  private final ConcurrentLinkedQueue<Object> emitted = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void bindSenderAndReceiver() {
    receiver = Sockets.bound("udp4");
    inbox = new Sockets.Inbox(receiver);
    sender = Dgram.createSocket(SocketOptions.of("udp4").lookup(Sockets::literalsOnly));
    Sockets.bound(sender, "127.0.0.1");
    sender.on(DgramSocket.ERROR, emitted::add);
  }

  @AfterEach
  void closeAndCheckNothingWasEmitted() {
    Sockets.closeAll(sender, receiver);
    assertTrue(emitted.isEmpty(), "'error' emitted while every send had a callback: " + emitted);
  }

  /**
   * Waits for a datagram holding exactly {@code bytes}, passing over others (strays, or sends of
   * earlier tries to addresses that also reach the receiver).
   */
  private void awaitDatagram(byte[] bytes, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Sockets.WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      Sockets.Received r = inbox.next(what);
      if (java.util.Arrays.equals(bytes, r.msg)) {
        return;
      }
    }
    fail(what + ": the datagram did not arrive");
  }

  /** Sends in the message's own form, to {@code port} and {@code address}. */
  private void send(Message m, int port, String address, SendCallback cb) {
    switch (m.form) {
      case "byte[]":
        sender.send((byte[]) m.msg, port, address, cb);
        break;
      case "byte[] range":
        sender.send((byte[]) m.msg, m.offset, m.length, port, address, cb);
        break;
      case "String":
        sender.send((String) m.msg, port, address, cb);
        break;
      case "List":
        sender.send((List<?>) m.msg, port, address, cb);
        break;
      default:
        sender.send((ByteBuffer) m.msg, port, address, cb);
    }
  }

  /**
   * Node's {@code socket.send(msg[, offset, length], port, address, callback)}: the message type,
   * then offset and length (ERR_BUFFER_OUT_OF_BOUNDS), then the port (ERR_SOCKET_BAD_PORT) are
   * checked before anything is queued; an accepted send calls back once, with the byte count (and
   * the receiver gets exactly those bytes) or with a DgramException (EMSGSIZE over 65507 bytes).
   */
  @TestFactory
  Stream<DynamicTest> sendThrowsNodeCodesOrCallsBackAndDelivers() {
    return Cases.forAll(
        r -> new Send(MESSAGES.next(r), PORTS.next(r), DESTINATIONS.next(r)),
        c -> checkSend(c.m(), c.port(), c.address()));
  }

  private record Send(Message m, int port, String address) {}

  private void checkSend(Message m, int rawPort, String address) {
    // Half the tries aim at the receiver, so accepted sends can be checked for delivery.
    int port = rawPort == 7 ? receiver.address().port() : rawPort;
    String what = "send " + m + " to " + address + ":" + port;
    Sockets.Sent sent = new Sockets.Sent();
    DgramException e =
        assertTimeoutPreemptively(
            CALL_LIMIT,
            () ->
                BadInputPropertiesTest.outcome(
                    () -> send(m, port, address, sent), SEND_CODES, what),
            what);
    String expected =
        m.code != null ? m.code : port < 1 || port > 65535 ? "ERR_SOCKET_BAD_PORT" : null;
    assertEquals(expected, e == null ? null : e.code(), what);
    if (e != null) {
      return;
    }
    boolean ipv4Loopback =
        address == null || address.equals("127.0.0.1") || address.equals("0.0.0.0");
    boolean toReceiver = port == receiver.address().port() && ipv4Loopback;
    // Linux fails a UDP/IPv4 datagram over 65507 bytes with EMSGSIZE whatever the destination
    // (0.0.0.0, which means this host, included).
    if (m.bytes.length > 65507 && ipv4Loopback) {
      assertEquals("EMSGSIZE", sent.error(what).code(), what);
      return;
    }
    try {
      int n = sent.done.get(Sockets.WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(m.bytes.length, n, what + ": bytes in the callback");
      if (toReceiver) {
        awaitDatagram(m.bytes, what);
      }
    } catch (java.util.concurrent.ExecutionException x) {
      assertTrue(x.getCause() instanceof DgramException, what + ": " + x.getCause());
      DgramException err = (DgramException) x.getCause();
      assertNotNull(err.code(), what);
      assertTrue(!toReceiver, what + ": a send to the receiver failed: " + err);
    } catch (java.util.concurrent.TimeoutException x) {
      fail(what + ": no callback");
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  /**
   * Node's {@code socket.sendMany}-like batch (ours): a null list or an element that is not bytes,
   * a buffer or a string throws ERR_INVALID_ARG_TYPE; a bad port ERR_SOCKET_BAD_PORT; an accepted
   * batch calls back once.
   */
  @TestFactory
  Stream<DynamicTest> sendManyThrowsNodeCodesOrCallsBackOnce() {
    return Cases.forAll(
        r -> new SendMany(MESSAGES.next(r), MESSAGES.next(r), PORTS.next(r)),
        c -> checkSendMany(c.a(), c.b(), c.port()));
  }

  private record SendMany(Message a, Message b, int port) {}

  private void checkSendMany(Message a, Message b, int port) {
    Object first = a.form.equals("List") || a.form.equals("byte[] range") ? a.bytes : a.msg;
    List<Object> msgs = new java.util.ArrayList<>();
    msgs.add(first);
    msgs.add(b.form.equals("List") ? b.msg : b.bytes);
    String what = "sendMany " + a + ", " + b + " to " + port;
    Sockets.Sent sent = new Sockets.Sent();
    DgramException e =
        assertTimeoutPreemptively(
            CALL_LIMIT,
            () ->
                BadInputPropertiesTest.outcome(
                    () -> sender.sendMany(msgs, port, "127.0.0.1", sent), SEND_CODES, what),
            what);
    boolean badItem = first == null || b.form.equals("List") || b.bytes == null;
    String expected =
        badItem ? "ERR_INVALID_ARG_TYPE" : port < 1 || port > 65535 ? "ERR_SOCKET_BAD_PORT" : null;
    assertEquals(expected, e == null ? null : e.code(), what);
    if (e == null) {
      try {
        sent.done.get(Sockets.WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException x) {
        assertTrue(x.getCause() instanceof DgramException, what + ": " + x.getCause());
      } catch (Exception x) {
        fail(what + ": no callback: " + x);
      }
    }
  }

  /**
   * Node's setters on a bound socket: setTTL 1 to 255 and setMulticastTTL 0 to 255 return their
   * argument, otherwise EINVAL; setRecvBufferSize/setSendBufferSize throw
   * ERR_SOCKET_BAD_BUFFER_SIZE below 0 and may fail with ERR_SOCKET_BUFFER_SIZE.
   */
  @TestFactory
  Stream<DynamicTest> settersThrowNodeCodesOrApply() {
    return Cases.forAll(
        r -> new Setters(TTLS.next(r), SIZES.next(r)), c -> checkSetters(c.ttl(), c.size()));
  }

  private record Setters(int ttl, int size) {}

  private void checkSetters(int ttl, int size) {
    assertTimeoutPreemptively(
        CALL_LIMIT,
        () -> {
          // NIO has no unicast TTL: jdgram documents ENOTSUP there.
          Set<String> ttlCodes = Sockets.nio() ? Set.of("EINVAL", "ENOTSUP") : Set.of("EINVAL");
          DgramException e =
              BadInputPropertiesTest.outcome(() -> sender.setTTL(ttl), ttlCodes, "setTTL " + ttl);
          assertEquals(
              ttl < 1 || ttl > 255 || Sockets.nio(), e != null, "setTTL " + ttl + ": " + e);
          e =
              BadInputPropertiesTest.outcome(
                  () -> sender.setMulticastTTL(ttl), Set.of("EINVAL"), "setMulticastTTL");
          assertEquals(ttl < 0 || ttl > 255, e != null, "setMulticastTTL " + ttl);
          Set<String> sizeCodes = Set.of("ERR_SOCKET_BAD_BUFFER_SIZE", "ERR_SOCKET_BUFFER_SIZE");
          e =
              BadInputPropertiesTest.outcome(
                  () -> sender.setRecvBufferSize(size), sizeCodes, "setRecvBufferSize " + size);
          if (size < 0) {
            assertEquals("ERR_SOCKET_BAD_BUFFER_SIZE", e == null ? null : e.code(), "" + size);
          }
          BadInputPropertiesTest.outcome(
              () -> sender.setSendBufferSize(size), sizeCodes, "setSendBufferSize " + size);
          assertTrue(sender.getRecvBufferSize() > 0);
        });
  }

  /**
   * Node's connect: ERR_SOCKET_BAD_PORT outside 1 to 65535; an accepted connect calls back once,
   * with null or a DgramException (a lookup failure, an address of the other family).
   */
  @TestFactory
  Stream<DynamicTest> connectThrowsBadPortOrCallsBack() {
    return Cases.forAll(
        r -> new Connect(PORTS.next(r), DESTINATIONS.next(r)),
        c -> checkConnect(c.port(), c.address()));
  }

  private record Connect(int port, String address) {}

  private static void checkConnect(int port, String address) {
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").lookup(Sockets::literalsOnly));
    try {
      String what = "connect(" + port + ", " + address + ")";
      java.util.concurrent.CompletableFuture<DgramException> done =
          new java.util.concurrent.CompletableFuture<>();
      DgramException e =
          assertTimeoutPreemptively(
              CALL_LIMIT,
              () ->
                  BadInputPropertiesTest.outcome(
                      () -> s.connect(port, address, done::complete),
                      Set.of("ERR_SOCKET_BAD_PORT"),
                      what),
              what);
      assertEquals(port < 1 || port > 65535, e != null, what);
      if (e == null) {
        DgramException err = Sockets.await(done, what);
        if (err == null) {
          assertEquals(port, s.remoteAddress().port(), what);
        } else {
          assertNotNull(err.code(), what);
        }
      }
    } finally {
      Sockets.closeAndWait(s);
    }
  }

  /**
   * Node's membership calls: ERR_MISSING_ARGS for an empty group; text that is not a group of the
   * family, or an interface that is not one, EINVAL (or the kernel's ENOPROTOOPT, EADDRNOTAVAIL,
   * ENODEV); a group joined can be dropped.
   */
  @TestFactory
  Stream<DynamicTest> membershipThrowsNodeCodesOrJoins() {
    return Cases.forAll(
        r -> new Membership(GROUPS.next(r), GROUPS.next(r), INTERFACES.next(r)),
        c -> checkMembership(c.group(), c.source(), c.iface()));
  }

  private record Membership(String group, String source, String iface) {}

  private void checkMembership(String group, String source, String iface) {
    Set<String> kernel =
        Set.of(
            "ERR_MISSING_ARGS",
            "ERR_INVALID_ARG_TYPE",
            "EINVAL",
            "ENOPROTOOPT",
            "EADDRNOTAVAIL",
            "ENODEV",
            "EADDRINUSE",
            "ENOBUFS");
    // NIO cannot go back to the system's multicast interface: documented ENOTSUP.
    Set<String> codes = new java.util.HashSet<>(kernel);
    if (Sockets.nio()) {
      codes.add("ENOTSUP");
    }
    assertTimeoutPreemptively(
        CALL_LIMIT,
        () -> {
          String what = "addMembership(" + group + ", " + iface + ")";
          DgramException e =
              BadInputPropertiesTest.outcome(() -> sender.addMembership(group, iface), codes, what);
          if (group == null || group.isEmpty()) {
            assertEquals("ERR_MISSING_ARGS", e == null ? null : e.code(), what);
          }
          if (e == null) {
            sender.dropMembership(group, iface);
          }
          String ssm = "addSourceSpecificMembership(" + source + ", " + group + ", " + iface + ")";
          e =
              BadInputPropertiesTest.outcome(
                  () -> sender.addSourceSpecificMembership(source, group, iface), codes, ssm);
          if (e == null) {
            sender.dropSourceSpecificMembership(source, group, iface);
          }
          BadInputPropertiesTest.outcome(
              () -> {
                if (iface != null) {
                  sender.setMulticastInterface(iface);
                }
              },
              codes,
              "setMulticastInterface(" + iface + ")");
        });
  }
}

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based tests (jqwik) of the validating methods of real sockets bound to 127.0.0.1 port 0:
 * send in every form with odd messages, offsets, lengths, ports and addresses; connect; the option
 * setters; multicast membership. A call either throws a {@link DgramException} with Node's code for
 * that argument class, or is accepted, and then a send calls back with the byte count and delivers,
 * or calls back with a DgramException (EMSGSIZE past 65507 bytes). Every call runs under a
 * preemptive timeout, so a hang fails the try. The sender resolves names with {@link
 * Sockets#literalsOnly}, so random text never reaches DNS.
 *
 * <p>Tries: {@code jqwik.tries.default} (see {@link BadInputPropertiesTest} for the long run).
 */
class BadSocketInputPropertiesTest {
  private static final Duration CALL_LIMIT = Duration.ofSeconds(10);
  private static final Set<String> SEND_CODES =
      Set.of(
          "ERR_INVALID_ARG_TYPE",
          "ERR_BUFFER_OUT_OF_BOUNDS",
          "ERR_SOCKET_BAD_PORT",
          "ERR_SOCKET_DGRAM_IS_CONNECTED");

  private static int socketsBefore;
  private static DgramSocket sender;
  private static DgramSocket receiver;
  private static Sockets.Inbox inbox;
  private static final ConcurrentLinkedQueue<Object> emitted = new ConcurrentLinkedQueue<>();

  @BeforeContainer
  static void bindSenderAndReceiver() {
    LeakCheck.takeUncaught();
    socketsBefore = LeakCheck.openSockets();
    receiver = Sockets.bound("udp4");
    inbox = new Sockets.Inbox(receiver);
    sender = Dgram.createSocket(SocketOptions.of("udp4").lookup(Sockets::literalsOnly));
    Sockets.bound(sender, "127.0.0.1");
    sender.on(DgramSocket.ERROR, emitted::add);
  }

  @AfterContainer
  static void closeAndCheckNothingLeaked() throws InterruptedException {
    Sockets.closeAll(sender, receiver);
    assertTrue(emitted.isEmpty(), "'error' emitted while every send had a callback: " + emitted);
    awaitNoLeaks(socketsBefore);
  }

  /** LeakCheck's after-each checks, for jqwik containers (which Jupiter extensions skip). */
  static void awaitNoLeaks(int before) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (LeakCheck.openSockets() > before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(before, Math.max(before, LeakCheck.openSockets()), "sockets left open");
    List<Throwable> uncaught = LeakCheck.takeUncaught();
    assertTrue(uncaught.isEmpty(), "uncaught exceptions: " + uncaught);
  }

  /**
   * Waits for a datagram holding exactly {@code bytes}, passing over others (strays, or sends of
   * earlier tries to addresses that also reach the receiver).
   */
  private static void awaitDatagram(byte[] bytes, String what) {
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
  private static void send(Message m, int port, String address, SendCallback cb) {
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
  @Property
  void sendThrowsNodeCodesOrCallsBackAndDelivers(
      @ForAll("messages") Message m,
      @ForAll("ports") int rawPort,
      @ForAll("destinations") String address) {
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
    boolean toReceiver =
        port == receiver.address().port()
            && (address == null || address.equals("127.0.0.1") || address.equals("0.0.0.0"));
    boolean literal = address == null || address.equals("127.0.0.1") || address.equals("::1");
    if (m.bytes.length > 65507 && literal && !"::1".equals(address)) {
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
  @Property
  void sendManyThrowsNodeCodesOrCallsBackOnce(
      @ForAll("messages") Message a, @ForAll("messages") Message b, @ForAll("ports") int port) {
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
  @Property
  void settersThrowNodeCodesOrApply(@ForAll("ttls") int ttl, @ForAll("sizes") int size) {
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
  @Property
  void connectThrowsBadPortOrCallsBack(
      @ForAll("ports") int port, @ForAll("destinations") String address) {
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
  @Property
  void membershipThrowsNodeCodesOrJoins(
      @ForAll("groups") String group,
      @ForAll("groups") String source,
      @ForAll("interfaces") String iface) {
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

  @Provide
  Arbitrary<Message> messages() {
    return OddInputs.message();
  }

  /** 7 stands for the receiver's port (taken often), the rest are odd ports. */
  @Provide
  Arbitrary<Integer> ports() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(7)),
        net.jqwik.api.Tuple.of(2, OddInputs.port()));
  }

  @Provide
  Arbitrary<String> destinations() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.just("127.0.0.1")),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("::1", "localhost", "0.0.0.0", "")),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)),
        net.jqwik.api.Tuple.of(2, OddInputs.addressLike()));
  }

  @Provide
  Arbitrary<Integer> ttls() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-2, 260),
        Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE));
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-2, 1 << 20),
        Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0));
  }

  @Provide
  Arbitrary<String> groups() {
    return Arbitraries.oneOf(
            Arbitraries.of("224.0.0.114", "239.1.2.3", "232.1.1.1", "ff02::1", "", " 224.0.0.1"),
            OddInputs.ipv4(),
            OddInputs.addressLike())
        .injectNull(0.03);
  }

  @Provide
  Arbitrary<String> interfaces() {
    return Arbitraries.oneOf(
            Arbitraries.of("127.0.0.1", "0.0.0.0", "::%lo", "1.2.3.4", "", "lo"),
            OddInputs.addressLike())
        .injectNull(0.3);
  }
}

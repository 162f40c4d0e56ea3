package dev.jdgram;

import static dev.jdgram.Sockets.any;
import static dev.jdgram.Sockets.assertError;
import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAll;
import static dev.jdgram.Sockets.family;
import static dev.jdgram.Sockets.loopback;
import static dev.jdgram.Sockets.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.Sockets.Inbox;
import dev.jdgram.Sockets.Received;
import dev.jdgram.Sockets.Sent;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Node's {@code socket.send()}: every message form, destinations, errors and the send queue. */
class SendTest {

  /** Bytes that start with {@code tag} and go on with a pattern, so truncation would show. */
  private static byte[] patterned(String tag, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    byte[] t = utf8(tag);
    System.arraycopy(t, 0, b, 0, t.length);
    return b;
  }

  // ---------------------------------------------------------------- message forms

  /** Node: a Buffer is sent as it is and the callback gets (null, bytes sent). */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void byteArrayArrivesAndCallbackGetsByteCount(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      byte[] msg = utf8("bytes-1 hello");
      Sent sent = new Sent();
      sender.send(msg, receiver.address().port(), loopback(type), sent);
      assertEquals(msg.length, sent.bytes("send of a byte[]"));
      Received r = inbox.next("bytes-1", "the byte[] datagram");
      assertArrayEquals(msg, r.msg);
    } finally {
      closeAll(sender, receiver);
    }
  }

  /**
   * Node: an empty address means the default destination, 127.0.0.1 or ::1, as no address does
   * ({@code lookup(address || '::1')}), whatever state the socket is in: unbound (the send binds
   * it), bind pending, or bound; for send and for sendMany.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendToEmptyAddressGoesToLoopbackInEveryState(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket unbound = Dgram.createSocket(type);
    DgramSocket pending = Dgram.createSocket(type);
    DgramSocket bound = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      Sent fromUnbound = new Sent();
      unbound.send("empty-unbound", port, "", fromUnbound);
      pending.bind(0);
      Sent fromPending = new Sent();
      pending.send("empty-pending", port, "", fromPending);
      Sent fromBound = new Sent();
      bound.send("empty-bound", port, "", fromBound);
      Sent many = new Sent();
      bound.sendMany(List.of("empty-many-1", "empty-many-2"), port, "", many);
      assertEquals(13, fromUnbound.bytes("send to '' from an unbound socket"));
      assertEquals(13, fromPending.bytes("send to '' while the bind is pending"));
      assertEquals(11, fromBound.bytes("send to '' from a bound socket"));
      assertEquals(24, many.bytes("sendMany to ''"));
      for (String tag : List.of("empty-unbound", "empty-pending", "empty-bound", "empty-many-2")) {
        assertEquals(loopback(type), inbox.next(tag, tag).rinfo.address());
      }
    } finally {
      closeAll(unbound, pending, bound, receiver);
    }
  }

  /** Node's rinfo: the sender's address, family and port, and the datagram's size. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void remoteInfoDescribesTheSender(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      sender.send("rinfo-1 abc", receiver.address().port(), loopback(type));
      Received r = inbox.next("rinfo-1", "the datagram");
      assertEquals(loopback(type), r.rinfo.address(), "address");
      assertEquals(family(type), r.rinfo.family(), "family");
      assertEquals(sender.address().port(), r.rinfo.port(), "port is the sender's");
      assertEquals(11, r.rinfo.size(), "size");
      assertEquals(11, r.msg.length);
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node sends a view's bytes from its offset to its end; jdgram: position to limit, unmoved. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void byteBufferSendsPositionToLimitWithoutMovingPosition(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      ByteBuffer heap = ByteBuffer.wrap(utf8("xxxbuf-heap yyy"));
      heap.position(3).limit(12);
      ByteBuffer direct = ByteBuffer.allocateDirect(32);
      direct.put(utf8("zzbuf-direct!")).flip().position(2);
      Sent sentHeap = new Sent();
      Sent sentDirect = new Sent();
      sender.send(heap, port, loopback(type), sentHeap);
      sender.send(direct, port, loopback(type), sentDirect);
      assertEquals(9, sentHeap.bytes("send of a heap ByteBuffer"));
      assertEquals(11, sentDirect.bytes("send of a direct ByteBuffer"));
      assertEquals(3, heap.position(), "heap position not moved");
      assertEquals(12, heap.limit(), "heap limit not moved");
      assertEquals(2, direct.position(), "direct position not moved");
      assertEquals("buf-heap ", inbox.next("buf-heap", "heap buffer").text());
      assertEquals("buf-direct!", inbox.next("buf-direct", "direct buffer").text());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node encodes a string message as UTF-8; the callback counts bytes, not characters. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void stringIsSentAsUtf8(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      String text = "str-1 h\u00e9llo \u20ac \ud83d\ude00";
      Sent sent = new Sent();
      sender.send(text, receiver.address().port(), loopback(type), sent);
      assertEquals(utf8(text).length, sent.bytes("send of a String"));
      assertTrue(utf8(text).length > text.length(), "the text has multi-byte characters");
      Received r = inbox.next("str-1", "the string datagram");
      assertArrayEquals(utf8(text), r.msg);
      assertEquals(text, r.text());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node sends an array of buffers and strings as one datagram: their concatenation. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void listPartsAreConcatenatedIntoOneDatagram(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      ByteBuffer part = ByteBuffer.wrap(utf8("..[buf]..")).position(2).limit(7);
      List<Object> parts = List.of("list-1 ", utf8("[bytes]"), part, "[\u00fc]", new byte[0]);
      Sent sent = new Sent();
      sender.send(parts, receiver.address().port(), loopback(type), sent);
      String expected = "list-1 [bytes][buf][\u00fc]";
      assertEquals(utf8(expected).length, sent.bytes("send of a list"));
      assertEquals(expected, inbox.next("list-1", "the list datagram").text());
      assertEquals(2, part.position(), "a ByteBuffer part's position is not moved");
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node sends an empty array as one zero-length datagram. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void emptyListSendsZeroLengthDatagram(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      Sent sent = new Sent();
      sender.send(Collections.emptyList(), port, loopback(type), sent);
      assertEquals(0, sent.bytes("send of an empty list"));
      Received r = inbox.next("", "the zero-length datagram");
      assertEquals(0, r.msg.length);
      assertEquals(0, r.rinfo.size());
      assertEquals(sender.address().port(), r.rinfo.port());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node's send(msg, offset, length, port, address): only that slice of the buffer. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void byteArrayWithOffsetAndLengthSendsOnlyThatRange(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      byte[] msg = utf8("XXXXrange-1 middleYYYY");
      Sent sent = new Sent();
      sender.send(msg, 4, 14, receiver.address().port(), loopback(type), sent);
      assertEquals(14, sent.bytes("send of a byte[] range"));
      assertEquals("range-1 middle", inbox.next("range-1", "the ranged datagram").text());
      // Offset at the end with length 0 is in bounds (Node: a zero-length datagram).
      Sent empty = new Sent();
      sender.send(msg, msg.length, 0, receiver.address().port(), loopback(type), empty);
      assertEquals(0, empty.bytes("send of an empty range"));
      assertEquals(0, inbox.next("", "the empty range").msg.length);
    } finally {
      closeAll(sender, receiver);
    }
  }

  /**
   * Every unconnected send overload of API.md delivers its datagram, in call order; without an
   * address, Node sends to 127.0.0.1 (udp4) or ::1 (udp6).
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void everySendFormDeliversInCallOrder(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      String to = loopback(type);
      List<Sent> callbacks = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      int[] n = {0};
      java.util.function.Supplier<String> tag =
          () -> {
            String t = "form-" + (n[0]++) + ";";
            expected.add(t);
            return t;
          };
      java.util.function.Supplier<Sent> cb =
          () -> {
            Sent s = new Sent();
            callbacks.add(s);
            return s;
          };
      sender.send(utf8(tag.get()), port, to);
      sender.send(utf8(tag.get()), port, to, cb.get());
      sender.send(utf8(tag.get()), port);
      sender.send(utf8(tag.get()), port, cb.get());
      byte[] ranged = utf8("__" + tag.get() + "__");
      sender.send(ranged, 2, ranged.length - 4, port, to);
      ranged = utf8("__" + tag.get() + "__");
      sender.send(ranged, 2, ranged.length - 4, port, to, cb.get());
      sender.send(ByteBuffer.wrap(utf8(tag.get())), port, to);
      sender.send(ByteBuffer.wrap(utf8(tag.get())), port, to, cb.get());
      sender.send(ByteBuffer.wrap(utf8(tag.get())), port);
      sender.send(ByteBuffer.wrap(utf8(tag.get())), port, cb.get());
      sender.send(tag.get(), port, to);
      sender.send(tag.get(), port, to, cb.get());
      sender.send(tag.get(), port);
      sender.send(tag.get(), port, cb.get());
      sender.send(List.of(tag.get()), port, to);
      sender.send(List.of(tag.get()), port, to, cb.get());
      sender.send(List.of(tag.get()), port);
      sender.send(List.of(tag.get()), port, cb.get());
      for (int i = 0; i < callbacks.size(); i++) {
        assertTrue(callbacks.get(i).bytes("callback " + i) > 0);
      }
      for (String t : expected) {
        Received r = inbox.next("form-", "datagram " + t);
        assertEquals(t, r.text(), "datagrams arrive in call order");
        assertEquals(to, r.rinfo.address());
      }
    } finally {
      closeAll(sender, receiver);
    }
  }

  // ---------------------------------------------------------------- implicit bind and order

  /** Node: send on an unbound socket binds it to 0.0.0.0 or :: on a random port first. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendOnUnboundSocketBindsImplicitlyAndEmitsListening(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Dgram.createSocket(type);
    try {
      Inbox inbox = new Inbox(receiver);
      CompletableFuture<AddressInfo> listening = new CompletableFuture<>();
      sender.on(DgramSocket.LISTENING, () -> listening.complete(sender.address()));
      Sent sent = new Sent();
      sender.send("implicit-1", receiver.address().port(), loopback(type), sent);
      AddressInfo local = await(listening, "'listening' of the implicit bind");
      assertEquals(any(type), local.address());
      assertEquals(family(type), local.family());
      assertTrue(local.port() > 0, "a random port");
      assertEquals(10, sent.bytes("send on an unbound socket"));
      Received r = inbox.next("implicit-1", "the datagram");
      assertEquals(local.port(), r.rinfo.port());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node queues sends made before the bind completes and sends them in order once bound. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendsBeforeBindCompletesArriveInCallOrder(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = null;
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      sender = Dgram.createSocket(type);
      Sent last = new Sent();
      for (int i = 0; i < 200; i++) {
        sender.send("early-" + i, port, loopback(type), i == 199 ? last : null);
      }
      last.bytes("the last of 200 early sends");
      for (int i = 0; i < 200; i++) {
        assertEquals("early-" + i, inbox.next("early-", "datagram " + i).text());
      }
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node's sends run in call order even when a host name lookup delays one of them. */
  @Test
  void sendsMixingHostNameAndLiteralArriveInCallOrder() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket bound = Sockets.bound("udp4");
    DgramSocket unbound = Dgram.createSocket("udp4");
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      for (DgramSocket sender : List.of(unbound, bound)) {
        Sent last = new Sent();
        for (int i = 0; i < 60; i++) {
          String host = i % 3 == 0 ? "localhost" : "127.0.0.1";
          sender.send("mixed-" + i, port, host, i == 59 ? last : null);
        }
        last.bytes("the last mixed send");
        for (int i = 0; i < 60; i++) {
          assertEquals("mixed-" + i, inbox.next("mixed-", "datagram " + i).text());
        }
      }
    } finally {
      closeAll(unbound, bound, receiver);
    }
  }

  // ---------------------------------------------------------------- sizes

  /** Node: a udp4 datagram over 65,507 bytes fails with EMSGSIZE to the callback. */
  @Test
  void oversizedUdp4DatagramFailsWithEmsgsize() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender = Sockets.bound("udp4");
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      Sent sent = new Sent();
      sender.send(patterned("big-1", 65_508), port, "127.0.0.1", sent);
      DgramException e = sent.error("a 65508-byte send");
      assertEquals("EMSGSIZE", e.code());
      assertEquals("send EMSGSIZE 127.0.0.1:" + port, e.getMessage());
      assertEquals(-90, e.errno());
      assertEquals("send", e.syscall());
      assertEquals("127.0.0.1", e.address());
      assertEquals(port, e.port());
      // The socket goes on working: a failed send fails that send only.
      sender.send("after-big-1", port, "127.0.0.1");
      inbox.expectNone("big-1", 0, "the oversized datagram");
      assertEquals("after-big-1", inbox.next("after-big-1", "the next send").text());
      inbox.expectNone("big-1", 100, "the oversized datagram");
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node (as documented): a send error with no callback is emitted as 'error'. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void oversizedDatagramWithoutCallbackEmitsError(String type) {
    DgramSocket sender = Sockets.bound(type);
    try {
      CompletableFuture<DgramException> error = Sockets.firstError(sender);
      int size = "udp6".equals(type) ? 65_528 : 65_508;
      sender.send(new byte[size], 9, loopback(type));
      DgramException e = await(error, "'error' of an oversized send");
      assertEquals("EMSGSIZE", e.code());
      assertEquals("send EMSGSIZE " + loopback(type) + ":9", e.getMessage());
      assertEquals(-90, e.errno());
      assertEquals("send", e.syscall());
    } finally {
      closeAll(sender);
    }
  }

  /** Node delivers the largest datagram whole: 65,507 bytes on udp4, 65,527 on udp6. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void largestDatagramArrivesWhole(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int size = "udp6".equals(type) ? 65_527 : 65_507;
      byte[] msg = patterned("max-1", size);
      Sent sent = new Sent();
      sender.send(msg, receiver.address().port(), loopback(type), sent);
      assertEquals(size, sent.bytes("the largest send"));
      Received r = inbox.next("max-1", "the largest datagram");
      assertEquals(size, r.msg.length, "no truncation");
      assertEquals(size, r.rinfo.size());
      assertArrayEquals(msg, r.msg);
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node's receive buffer holds any datagram: one over 2,048 bytes is not cut short. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void datagramLargerThan2048BytesArrivesWhole(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      byte[] msg = patterned("mid-1", 9_000);
      sender.send(msg, receiver.address().port(), loopback(type));
      Received r = inbox.next("mid-1", "a 9000-byte datagram");
      assertEquals(9_000, r.rinfo.size());
      assertArrayEquals(msg, r.msg);
    } finally {
      closeAll(sender, receiver);
    }
  }

  // ---------------------------------------------------------------- destination errors

  /** Node: an address of the other family fails with EINVAL (libuv cannot parse it). */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendToOtherFamilyFailsWithEinval(String type) {
    DgramSocket sender = Sockets.bound(type);
    try {
      String other = "udp6".equals(type) ? "127.0.0.1" : "::1";
      Sent sent = new Sent();
      sender.send("einval-1", 4242, other, sent);
      DgramException e = sent.error("a send to " + other);
      assertEquals("EINVAL", e.code());
      assertEquals("send EINVAL " + other + ":4242", e.getMessage());
      assertEquals(-22, e.errno());
      assertEquals("send", e.syscall());
    } finally {
      closeAll(sender);
    }
  }

  /** Node: a host that does not resolve fails with getaddrinfo ENOTFOUND. */
  @Test
  void unresolvableHostFailsWithEnotfound() {
    DgramSocket sender = Dgram.createSocket(SocketOptions.of("udp4").lookup(Sockets::literalsOnly));
    try {
      Sent sent = new Sent();
      sender.send("nf-1", 4242, "no-such-host.invalid", sent);
      DgramException e = sent.error("a send to an unknown host");
      assertEquals("ENOTFOUND", e.code());
      assertEquals("getaddrinfo ENOTFOUND no-such-host.invalid", e.getMessage());
      assertEquals("getaddrinfo", e.syscall());
      assertEquals("no-such-host.invalid", e.hostname());
      // Without a callback: 'error'.
      CompletableFuture<DgramException> error = Sockets.firstError(sender);
      sender.send("nf-2", 4242, "other-host.invalid");
      DgramException e2 = await(error, "'error' of a send to an unknown host");
      assertEquals("getaddrinfo ENOTFOUND other-host.invalid", e2.getMessage());
    } finally {
      closeAll(sender);
    }
  }

  // ---------------------------------------------------------------- send queue

  /** Node's getSendQueueCount/Size: zero once every send's callback has run. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendQueueIsEmptyAfterCallbacks(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      int port = receiver.address().port();
      List<Sent> sent = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Sent s = new Sent();
        sent.add(s);
        sender.send("queue-" + i, port, loopback(type), s);
      }
      for (Sent s : sent) {
        s.bytes("a queued send");
      }
      assertEquals(0, sender.getSendQueueCount(), "count");
      assertEquals(0L, sender.getSendQueueSize(), "size");
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Sends waiting for the bind count in getSendQueueCount/Size (bytes exact), then drain to 0. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendQueueCountsSendsWaitingForBind(String type) throws Exception {
    DgramSocket receiver = Sockets.bound(type);
    CompletableFuture<InetAddress> bindAddress = new CompletableFuture<>();
    Lookup held =
        (host, family) -> {
          if (host.equals(any(type))) {
            return bindAddress; // completed by the test, later
          }
          return Sockets.literalsOnly(host, family);
        };
    DgramSocket sender = Dgram.createSocket(SocketOptions.of(type).lookup(held));
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      List<Sent> sent = new ArrayList<>();
      long bytes = 0;
      for (int i = 0; i < 40; i++) {
        String msg = "held-" + i + ";" + "x".repeat(i);
        bytes += utf8(msg).length;
        Sent s = new Sent();
        sent.add(s);
        sender.send(msg, port, loopback(type), s);
      }
      assertEquals(40, sender.getSendQueueCount(), "count while binding");
      assertEquals(bytes, sender.getSendQueueSize(), "bytes while binding");
      bindAddress.complete(InetAddress.getByName(any(type)));
      for (Sent s : sent) {
        s.bytes("a send queued behind the bind");
      }
      assertEquals(0, sender.getSendQueueCount(), "count after the callbacks");
      assertEquals(0L, sender.getSendQueueSize(), "size after the callbacks");
      for (int i = 0; i < 40; i++) {
        assertTrue(inbox.next("held-", "datagram " + i).text().startsWith("held-" + i + ";"));
      }
    } finally {
      bindAddress.complete(InetAddress.getByName(any(type)));
      closeAll(sender, receiver);
    }
  }

  // ---------------------------------------------------------------- block lists

  /** Node's sendBlockList: a send to a blocked address fails with ERR_IP_BLOCKED, sends nothing. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendToBlockedAddressFailsWithIpBlocked(String type) {
    BlockList blocked = new BlockList();
    blocked.addAddress(loopback(type), "udp6".equals(type) ? "ipv6" : "ipv4");
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender =
        Sockets.bound(
            Dgram.createSocket(SocketOptions.of(type).sendBlockList(blocked)), loopback(type));
    DgramSocket control = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      String message = "IP(" + loopback(type) + ") is blocked by net.BlockList";
      Sent sent = new Sent();
      sender.send("blocked-1", port, loopback(type), sent);
      DgramException e = sent.error("a send to a blocked address");
      assertEquals("ERR_IP_BLOCKED", e.code());
      assertEquals(message, e.getMessage());
      CompletableFuture<DgramException> error = Sockets.firstError(sender);
      sender.send("blocked-2", port, loopback(type));
      DgramException e2 = await(error, "'error' of a blocked send without callback");
      assertEquals("ERR_IP_BLOCKED", e2.code());
      assertEquals(message, e2.getMessage());
      // A datagram that does arrive shows the receiver works; the blocked ones must not.
      control.send("control-1", port, loopback(type));
      assertEquals("control-1", inbox.next("control-1", "the control datagram").text());
      inbox.expectNone("blocked-", 200, "a blocked send");
    } finally {
      closeAll(sender, control, receiver);
    }
  }

  /** Node's receiveBlockList: datagrams from a blocked sender are dropped silently. */
  @Test
  void datagramsFromBlockedSenderAreDropped() {
    BlockList blocked = new BlockList();
    blocked.addAddress("127.0.0.2");
    DgramSocket receiver =
        Sockets.bound(
            Dgram.createSocket(SocketOptions.of("udp4").receiveBlockList(blocked)), "127.0.0.1");
    DgramSocket blockedSender = Sockets.bound(Dgram.createSocket("udp4"), "127.0.0.2");
    DgramSocket allowedSender = Sockets.bound("udp4");
    try {
      CompletableFuture<DgramException> error = Sockets.firstError(receiver);
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      Sent first = new Sent();
      blockedSender.send("from-blocked-1", port, "127.0.0.1", first);
      first.bytes("the blocked sender's send");
      allowedSender.send("from-allowed-1", port, "127.0.0.1");
      Received r = inbox.next("from-allowed-1", "the allowed datagram");
      assertEquals("127.0.0.1", r.rinfo.address());
      inbox.expectNone("from-blocked", 200, "the blocked sender's datagram");
      assertTrue(!error.isDone(), "dropped silently, no 'error': " + error.getNow(null));
    } finally {
      closeAll(blockedSender, allowedSender, receiver);
    }
  }

  // ---------------------------------------------------------------- buffer ownership

  /**
   * Node gives each 'message' its own Buffer, shared by that datagram's listeners: changing it does
   * not touch the next datagram, and the next datagram does not overwrite it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void receivedArrayIsAFreshCopyPerDatagram(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      List<byte[]> mutated = Collections.synchronizedList(new ArrayList<>());
      receiver.on(
          DgramSocket.MESSAGE,
          (msg, rinfo) -> {
            if (new String(msg, StandardCharsets.UTF_8).startsWith("fresh-1")) {
              mutated.add(msg);
              Arrays.fill(msg, 7, msg.length, (byte) 'Z'); // the listener owns the array
            }
          });
      int port = receiver.address().port();
      sender.send("fresh-1 AAAA", port, loopback(type));
      Received a = inbox.next("fresh-1", "the first datagram");
      sender.send("fresh-2 BBBB", port, loopback(type));
      Received b = inbox.next("fresh-2", "the second datagram");
      assertEquals("fresh-2 BBBB", b.text(), "the second datagram is intact");
      assertNotSame(a.msg, b.msg, "a new array per datagram");
      assertSame(mutated.get(0), a.msg, "the listeners of one datagram share its array");
      assertEquals("fresh-1ZZZZZ", a.text(), "the first array is left as its listener made it");
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node: the sender may reuse its buffer once the callback has run. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void senderMayReuseArrayAfterCallback(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      byte[] buf = utf8("reuse-A");
      Sent first = new Sent();
      sender.send(buf, port, loopback(type), first);
      first.bytes("the first send");
      buf[6] = 'B';
      Sent second = new Sent();
      sender.send(buf, port, loopback(type), second);
      second.bytes("the second send");
      assertEquals("reuse-A", inbox.next("reuse-", "the first datagram").text());
      assertEquals("reuse-B", inbox.next("reuse-", "the second datagram").text());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node's dual-stack udp6 socket sees an IPv4 sender as ::ffff:a.b.c.d, family IPv6. */
  @Test
  void dualStackUdp6SeesIpv4SenderAsMappedAddress() {
    DgramSocket receiver = Sockets.bound(Dgram.createSocket("udp6"), "::");
    DgramSocket sender = Sockets.bound("udp4");
    try {
      Inbox inbox = new Inbox(receiver);
      sender.send("mapped-1", receiver.address().port(), "127.0.0.1");
      Received r = inbox.next("mapped-1", "the IPv4 sender's datagram");
      assertEquals("::ffff:127.0.0.1", r.rinfo.address());
      assertEquals("IPv6", r.rinfo.family());
      assertEquals(sender.address().port(), r.rinfo.port());
      assertEquals(8, r.rinfo.size());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node's dual-stack udp6 socket on "::" sees an IPv6 sender as itself: '::1', family IPv6. */
  @Test
  void dualStackUdp6SeesIpv6SenderUnmapped() {
    DgramSocket receiver = Sockets.bound(Dgram.createSocket("udp6"), "::");
    DgramSocket sender = Sockets.bound("udp6");
    try {
      Inbox inbox = new Inbox(receiver);
      sender.send("native-1", receiver.address().port(), "::1");
      Received r = inbox.next("native-1", "the IPv6 sender's datagram");
      assertEquals(new RemoteInfo("::1", "IPv6", sender.address().port(), 8), r.rinfo);
    } finally {
      closeAll(sender, receiver);
    }
  }

  // ---------------------------------------------------------------- validation

  private static final String BUFFER_TYPE =
      "The \"buffer\" argument must be of type string or an instance of Buffer, TypedArray, or"
          + " DataView. Received null";

  /** Node throws ERR_INVALID_ARG_TYPE for a null message, synchronously. */
  @Test
  void nullMessageThrowsInvalidArgType() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      String code = "ERR_INVALID_ARG_TYPE";
      assertError(code, BUFFER_TYPE, () -> s.send((byte[]) null, 9, "127.0.0.1"));
      assertError(code, BUFFER_TYPE, () -> s.send((String) null, 9, "127.0.0.1"));
      assertError(code, BUFFER_TYPE, () -> s.send((ByteBuffer) null, 9));
      assertError(code, BUFFER_TYPE, () -> s.send((List<?>) null, 9, (SendCallback) null));
      assertError(code, BUFFER_TYPE, () -> s.send((byte[]) null, 0, 0, 9, "127.0.0.1"));
    } finally {
      closeAll(s);
    }
  }

  /** Node rejects a list part that is not a string or buffer. */
  @Test
  void listWithNonBufferPartThrowsInvalidArgType() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertError(
          "ERR_INVALID_ARG_TYPE",
          "The \"buffer list arguments\" argument must be of type string or an instance of Buffer,"
              + " TypedArray, or DataView. Received an instance of Array",
          () -> s.send(List.of("ok", 42), 9, "127.0.0.1"));
    } finally {
      closeAll(s);
    }
  }

  /** Node: a destination port outside 1..65535 throws ERR_SOCKET_BAD_PORT. */
  @Test
  void badPortThrowsSocketBadPort() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      for (int port : new int[] {0, 65_536, -1}) {
        String message = "Port should be > 0 and < 65536. Received type number (" + port + ").";
        assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send("x", port, "127.0.0.1"));
        assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send(new byte[1], port));
        assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send(List.of(), port, (err, n) -> {}));
        assertError(
            "ERR_SOCKET_BAD_PORT", message, () -> s.send(new byte[4], 0, 4, port, "127.0.0.1"));
      }
    } finally {
      closeAll(s);
    }
  }

  /** Node: send(msg) without a port on an unconnected socket reads the port as undefined. */
  @Test
  void sendWithoutPortOnUnconnectedSocketThrowsSocketBadPort() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      String message = "Port should be > 0 and < 65536. Received undefined.";
      assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send("x"));
      assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send(new byte[1], (err, n) -> {}));
      assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send(new byte[4], 0, 4));
      assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send(ByteBuffer.allocate(1)));
      assertError("ERR_SOCKET_BAD_PORT", message, () -> s.send(List.of("x")));
    } finally {
      closeAll(s);
    }
  }

  /** Node: an offset or length outside the buffer throws ERR_BUFFER_OUT_OF_BOUNDS. */
  @Test
  void offsetOrLengthOutsideBufferThrowsOutOfBounds() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      byte[] four = new byte[4];
      String offset = "\"offset\" is outside of buffer bounds";
      String length = "\"length\" is outside of buffer bounds";
      String code = "ERR_BUFFER_OUT_OF_BOUNDS";
      assertError(code, offset, () -> s.send(four, 5, 1, 9, "127.0.0.1"));
      assertError(code, offset, () -> s.send(four, -1, 1, 9, "127.0.0.1"));
      assertError(code, length, () -> s.send(four, 1, 4, 9, "127.0.0.1"));
      assertError(code, length, () -> s.send(four, 0, -1, 9, "127.0.0.1"));
      assertError(code, length, () -> s.send(four, 0, 5, 9, "127.0.0.1", (err, n) -> {}));
    } finally {
      closeAll(s);
    }
  }

  /**
   * A sender faster than the loop: sends complete while the caller is still sending (the queue is
   * written and flushed in bounded batches), so the queue does not hold every send issued until the
   * caller stops, and every send is accounted for once it drains.
   */
  @Test
  void sendsCompleteWhileTheCallerIsStillSending() {
    DgramSocket sink = Sockets.bound("udp4"); // never read: the kernel drops what overflows it
    DgramSocket sender = Sockets.bound("udp4");
    try {
      int port = sink.address().port();
      byte[] payload = new byte[64];
      int sends = 200_000;
      long sentWhileSending = 0;
      for (int i = 0; i < sends; i++) {
        sender.send(payload, port, "127.0.0.1");
        if (i == sends - 1) {
          sentWhileSending = sender.stats().datagramsSent();
        }
      }
      assertTrue(sentWhileSending > 0, "no send had completed when the last was issued");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (sender.getSendQueueCount() > 0 && System.nanoTime() < deadline) {
        Sockets.barrier("the queue draining");
      }
      assertEquals(0, sender.getSendQueueCount(), "the queue drained");
      SocketStats stats = sender.stats();
      assertEquals(sends, stats.datagramsSent() + stats.sendErrors());
    } finally {
      closeAll(sender, sink);
    }
  }
}

package dev.jdgram;

import static dev.jdgram.Sockets.assertError;
import static dev.jdgram.Sockets.closeAll;
import static dev.jdgram.Sockets.firstError;
import static dev.jdgram.Sockets.loopback;
import static dev.jdgram.Sockets.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jdgram.Sockets.Inbox;
import dev.jdgram.Sockets.Received;
import dev.jdgram.Sockets.Sent;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jdgram's {@code sendMany}: every element is a datagram of its own, whole and in order, whether it
 * leaves in a GSO write (runs of equal size on epoll), a sendmmsg or one by one; one callback.
 */
class SendManyTest {

  /** A datagram of {@code size} bytes starting with "{tag}-{n};" and then a pattern. */
  private static byte[] numbered(String tag, int n, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 13 + n);
    }
    byte[] head = utf8(tag + "-" + n + ";");
    System.arraycopy(head, 0, b, 0, Math.min(head.length, size));
    return b;
  }

  /** Sends {@code msgs} with sendMany and checks each arrives, whole and in order. */
  private static void assertSentInOrder(String type, List<byte[]> msgs, String tag) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      receiver.setRecvBufferSize(4 << 20);
      Inbox inbox = new Inbox(receiver);
      Sent sent = new Sent();
      sender.sendMany(msgs, receiver.address().port(), loopback(type), sent);
      int total = msgs.stream().mapToInt(m -> m.length).sum();
      assertEquals(total, sent.bytes("sendMany"), "the callback gets the total byte count");
      for (int i = 0; i < msgs.size(); i++) {
        Received r = inbox.next("datagram " + i + " of " + msgs.size());
        assertArrayEquals(msgs.get(i), r.msg, "datagram " + i + " whole and in order");
        assertEquals(msgs.get(i).length, r.rinfo.size());
        assertEquals(sender.address().port(), r.rinfo.port());
      }
      inbox.expectNone(tag, 100, "no datagram twice");
    } finally {
      closeAll(sender, receiver);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void equalSizeDatagramsArriveWholeAndInOrder(String type) {
    List<byte[]> msgs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      msgs.add(numbered("eq", i, 64)); // more than one GSO write's 64 segments
    }
    assertSentInOrder(type, msgs, "eq");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void largeDatagramsArriveWhole(String type) {
    List<byte[]> msgs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      msgs.add(numbered("big", i, 8192)); // 7 to a GSO write, the write's limit being 64 KiB
    }
    msgs.add(numbered("big", 20, 100)); // a shorter last one may share the last write
    assertSentInOrder(type, msgs, "big");
  }

  @Test
  void mixedSizesAndAnEmptyDatagramArriveEachAsItsOwn() {
    List<byte[]> msgs =
        Arrays.asList(
            numbered("mix", 0, 100),
            numbered("mix", 1, 100),
            numbered("mix", 2, 40),
            numbered("mix", 3, 100),
            new byte[0],
            numbered("mix", 5, 1000),
            numbered("mix", 6, 1000),
            numbered("mix", 7, 1500),
            numbered("mix", 8, 65_507));
    assertSentInOrder("udp4", msgs, "mix");
  }

  @Test
  void stringsAndByteBuffersAreDatagramsToo() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender = Sockets.bound("udp4");
    try {
      Inbox inbox = new Inbox(receiver);
      ByteBuffer buffer = ByteBuffer.wrap(utf8("xxkinds-2 buffer"));
      buffer.position(2); // its remaining bytes only
      Sent sent = new Sent();
      sender.sendMany(
          List.of("kinds-1 text é", buffer, utf8("kinds-3 bytes")),
          receiver.address().port(),
          "127.0.0.1",
          sent);
      assertEquals(15 + 14 + 13, sent.bytes("sendMany"));
      assertEquals("kinds-1 text é", inbox.next("kinds-1", "the string").text());
      assertEquals("kinds-2 buffer", inbox.next("kinds-2", "the buffer").text());
      assertEquals("kinds-3 bytes", inbox.next("kinds-3", "the bytes").text());
      assertEquals(2, buffer.position(), "the caller's buffer is left as it was");
    } finally {
      closeAll(sender, receiver);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectedSocketSendsManyToItsPeer(String type) {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Dgram.createSocket(type);
    try {
      Inbox inbox = new Inbox(receiver);
      CompletableFuture<DgramException> connected = new CompletableFuture<>();
      sender.connect(receiver.address().port(), loopback(type), connected::complete);
      assertEquals(null, Sockets.await(connected, "connect"));
      List<byte[]> msgs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        msgs.add(numbered("conn", i, 200));
      }
      Sent sent = new Sent();
      sender.sendMany(msgs, sent);
      assertEquals(100 * 200, sent.bytes("connected sendMany"));
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(msgs.get(i), inbox.next("conn-" + i + ";", "datagram " + i).msg);
      }
    } finally {
      closeAll(sender, receiver);
    }
  }

  @Test
  void sendManyKeepsCallOrderWithSend() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender = Sockets.bound("udp4");
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      sender.send("order-a", port, "127.0.0.1");
      sender.sendMany(List.of("order-b1", "order-b2", "order-b3"), port, "127.0.0.1");
      Sent last = new Sent();
      sender.send("order-c", port, "127.0.0.1", last);
      last.bytes("the last send");
      for (String expected : List.of("order-a", "order-b1", "order-b2", "order-b3", "order-c")) {
        assertEquals(expected, inbox.next("arrival of " + expected).text());
      }
    } finally {
      closeAll(sender, receiver);
    }
  }

  @Test
  void aHostNameIsLookedUpOnceForTheBatch() {
    AtomicInteger lookups = new AtomicInteger();
    Lookup lookup =
        (host, family) -> {
          if (host.equals("somewhere.test")) {
            lookups.incrementAndGet();
            host = "127.0.0.1";
          }
          CompletionStage<InetAddress> answer = Sockets.literalsOnly(host, family);
          return answer;
        };
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender = Dgram.createSocket(SocketOptions.of("udp4").lookup(lookup));
    try {
      Inbox inbox = new Inbox(receiver);
      List<byte[]> msgs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        msgs.add(numbered("once", i, i % 2 == 0 ? 30 : 31)); // unequal: ten separate writes
      }
      Sent sent = new Sent();
      sender.sendMany(msgs, receiver.address().port(), "somewhere.test", sent);
      sent.bytes("sendMany to a name");
      for (int i = 0; i < 10; i++) {
        assertArrayEquals(msgs.get(i), inbox.next("once-" + i + ";", "datagram " + i).msg);
      }
      assertEquals(1, lookups.get(), "lookups for one batch");
    } finally {
      closeAll(sender, receiver);
    }
  }

  @Test
  void queueCountsEachDatagramUntilSent() {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender =
        Dgram.createSocket(
            SocketOptions.of("udp4")
                .lookup(
                    (host, family) ->
                        host.equals("slow.test") ? answer : Sockets.literalsOnly(host, family)));
    try {
      Sockets.bound(sender, "127.0.0.1");
      Inbox inbox = new Inbox(receiver);
      List<byte[]> msgs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        msgs.add(numbered("count", i, 50));
      }
      Sent sent = new Sent();
      sender.sendMany(msgs, receiver.address().port(), "slow.test", sent);
      assertEquals(5, sender.getSendQueueCount(), "datagrams waiting for the lookup");
      assertEquals(250, sender.getSendQueueSize());
      answer.complete(InetAddress.getLoopbackAddress());
      sent.bytes("sendMany");
      assertEquals(0, sender.getSendQueueCount());
      assertEquals(0, sender.getSendQueueSize());
      inbox.next("count-4;", "the last datagram");
    } finally {
      closeAll(sender, receiver);
    }
  }

  @Test
  void anEmptyListCallsBackWithZeroBytes() {
    DgramSocket sender = Sockets.bound("udp4");
    try {
      Sent sent = new Sent();
      sender.sendMany(List.of(), 9, "127.0.0.1", sent);
      assertEquals(0, sent.bytes("an empty sendMany"));
    } finally {
      closeAll(sender);
    }
  }

  @Test
  void anOversizedDatagramFailsTheBatchOnce() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender = Sockets.bound("udp4");
    try {
      Inbox inbox = new Inbox(receiver);
      Sent sent = new Sent();
      List<byte[]> msgs = List.of(utf8("over-1"), new byte[65_508], utf8("over-3"));
      sender.sendMany(msgs, receiver.address().port(), "127.0.0.1", sent);
      DgramException err = sent.error("the batch with a 65,508-byte datagram");
      assertEquals("EMSGSIZE", err.code());
      assertEquals("send", err.syscall());
      inbox.next("over-1", "the datagram before it still goes out");
      inbox.next("over-3", "and the one after");
    } finally {
      closeAll(sender, receiver);
    }
  }

  @Test
  void withoutCallbackAFailureIsEmittedOnce() {
    DgramSocket sender = Sockets.bound("udp4");
    try {
      List<DgramException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletableFuture<DgramException> first = firstError(sender);
      sender.on(DgramSocket.ERROR, errors::add);
      sender.sendMany(
          List.of(new byte[65_508], new byte[65_508], new byte[65_508]), 9, "127.0.0.1");
      assertEquals("EMSGSIZE", Sockets.await(first, "'error'").code());
      Sent after = new Sent();
      sender.send("after", 9, "127.0.0.1", after);
      after.bytes("a later send, so every earlier failure has been reported");
      assertEquals(1, errors.size(), "errors emitted for one batch");
    } finally {
      closeAll(sender);
    }
  }

  @Test
  void argumentsAreCheckedLikeSend() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertError(
          "ERR_INVALID_ARG_TYPE",
          "The \"msgs\" argument must be an instance of List. Received null",
          () -> s.sendMany(null, 9, "127.0.0.1"));
      assertError(
          "ERR_INVALID_ARG_TYPE",
          "The \"msgs[1]\" argument must be of type string or an instance of Buffer, TypedArray,"
              + " or DataView. Received an instance of Integer",
          () -> s.sendMany(List.of("a", 42), 9, "127.0.0.1"));
      assertError(
          "ERR_SOCKET_BAD_PORT",
          "Port should be > 0 and < 65536. Received type number (0).",
          () -> s.sendMany(List.of("a"), 0, "127.0.0.1"));
      assertError(
          "ERR_SOCKET_BAD_PORT",
          "Port should be > 0 and < 65536. Received undefined.",
          () -> s.sendMany(List.of("a")));
    } finally {
      closeAll(s);
    }
    assertError(
        "ERR_SOCKET_DGRAM_NOT_RUNNING",
        "Not running",
        () -> s.sendMany(List.of("a"), 9, "127.0.0.1"));
  }

  @Test
  void aConnectedSocketRefusesAnAddress() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> connected = new CompletableFuture<>();
      s.connect(receiver.address().port(), "127.0.0.1", connected::complete);
      Sockets.await(connected, "connect");
      assertError(
          "ERR_SOCKET_DGRAM_IS_CONNECTED",
          "Already connected",
          () -> s.sendMany(List.of("a"), 9, "127.0.0.1"));
    } finally {
      closeAll(s, receiver);
    }
  }
}

package dev.jdgram;

import static dev.jdgram.Sockets.any;
import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAll;
import static dev.jdgram.Sockets.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jdgram.Sockets.Inbox;
import dev.jdgram.Sockets.Received;
import dev.jdgram.Sockets.Sent;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Node's {@code lookup} option of {@code createSocket}, and the default lookup. */
class LookupTest {

  private static int family(String type) {
    return "udp6".equals(type) ? 6 : 4;
  }

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip); // an IP literal: no DNS
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** One call of a lookup. */
  private static final class Call {
    final String host;
    final int family;
    final Thread thread;

    Call(String host, int family, Thread thread) {
      this.host = host;
      this.family = family;
      this.thread = thread;
    }

    @Override
    public String toString() {
      return host + "/" + family;
    }
  }

  /**
   * Records every call; resolves IP literals, the names in {@code names}, and otherwise asks {@code
   * other} (which fails with UnknownHostException unless set).
   */
  private static final class Recording implements Lookup {
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> names;
    volatile BiFunction<String, Integer, CompletionStage<InetAddress>> other =
        (host, family) -> CompletableFuture.failedFuture(new UnknownHostException(host));

    Recording(Map<String, String> names) {
      this.names = names;
    }

    @Override
    public CompletionStage<InetAddress> lookup(String hostname, int family) {
      calls.add(new Call(hostname, family, Thread.currentThread()));
      if (hostname.matches("[0-9.]+") || hostname.contains(":")) {
        return CompletableFuture.completedFuture(literal(hostname));
      }
      String ip = names.get(hostname);
      if (ip != null) {
        return CompletableFuture.completedFuture(literal(ip));
      }
      return other.apply(hostname, family);
    }

    List<String> hosts() {
      synchronized (calls) {
        List<String> out = new ArrayList<>();
        for (Call c : calls) {
          out.add(c.host);
        }
        return out;
      }
    }

    void assertFamily(int family) {
      synchronized (calls) {
        for (Call c : calls) {
          assertEquals(family, c.family, "family of the lookup of " + c.host);
        }
      }
    }
  }

  private static DgramSocket socket(String type, Lookup lookup) {
    return Dgram.createSocket(SocketOptions.of(type).lookup(lookup));
  }

  // ---------------------------------------------------------------- what is looked up

  /** Node calls lookup for bind addresses, including bind()'s default 0.0.0.0 or ::. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void lookupIsCalledForBindAddressesIncludingTheDefault(String type) {
    Recording lookup = new Recording(Map.of("me.test", loopback(type)));
    DgramSocket byDefault = socket(type, lookup);
    DgramSocket byName = socket(type, lookup);
    try {
      CompletableFuture<Void> listening = new CompletableFuture<>();
      byDefault.bind(() -> listening.complete(null));
      await(listening, "bind()");
      assertEquals(List.of(any(type)), lookup.hosts());
      assertEquals(any(type), byDefault.address().address());
      Sockets.bound(byName, "me.test");
      assertEquals(List.of(any(type), "me.test"), lookup.hosts());
      assertEquals(loopback(type), byName.address().address(), "bound where lookup said");
      lookup.assertFamily(family(type));
    } finally {
      closeAll(byDefault, byName);
    }
  }

  /** Node calls lookup for send destinations, including the default 127.0.0.1 or ::1. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void lookupIsCalledForSendDestinationsIncludingTheDefault(String type) {
    DgramSocket receiver = Sockets.bound(type);
    Recording lookup = new Recording(Map.of("peer.test", loopback(type)));
    DgramSocket sender = socket(type, lookup);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      Sent first = new Sent();
      sender.send("dest-1", port, first);
      first.bytes("a send with the default address");
      Sent second = new Sent();
      sender.send("dest-2", port, "peer.test", second);
      second.bytes("a send to a name");
      assertEquals("dest-1", inbox.next("dest-", "the first datagram").text());
      assertEquals("dest-2", inbox.next("dest-", "the second datagram").text());
      List<String> hosts = lookup.hosts();
      assertEquals(List.of(any(type), loopback(type), "peer.test"), hosts);
      lookup.assertFamily(family(type));
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node calls lookup for connect destinations, including the default 127.0.0.1 or ::1. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void lookupIsCalledForConnectDestinations(String type) {
    DgramSocket peer = Sockets.bound(type);
    Recording lookup = new Recording(Map.of("peer.test", loopback(type)));
    DgramSocket byName = socket(type, lookup);
    DgramSocket byDefault = socket(type, lookup);
    try {
      int port = peer.address().port();
      CompletableFuture<DgramException> named = new CompletableFuture<>();
      byName.connect(port, "peer.test", named::complete);
      assertEquals(null, await(named, "connect to peer.test"));
      assertEquals(loopback(type), byName.remoteAddress().address());
      assertEquals(List.of(any(type), "peer.test"), lookup.hosts());
      CompletableFuture<DgramException> dflt = new CompletableFuture<>();
      byDefault.connect(port, dflt::complete);
      assertEquals(null, await(dflt, "connect(port)"));
      assertEquals(List.of(any(type), "peer.test", any(type), loopback(type)), lookup.hosts());
      lookup.assertFamily(family(type));
    } finally {
      closeAll(byName, byDefault, peer);
    }
  }

  /** Node calls lookup on its one thread; jdgram on the socket's loop thread, as its listeners. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void lookupRunsOnTheLoopThread(String type) {
    DgramSocket peer = Sockets.bound(type);
    Recording lookup = new Recording(Map.of("peer.test", loopback(type)));
    DgramSocket s = socket(type, lookup);
    try {
      CompletableFuture<Thread> listenerThread = new CompletableFuture<>();
      s.on(DgramSocket.LISTENING, () -> listenerThread.complete(Thread.currentThread()));
      Sent sent = new Sent();
      s.send("thread-1", peer.address().port(), "peer.test", sent);
      sent.bytes("the send");
      CompletableFuture<DgramException> connected = new CompletableFuture<>();
      s.connect(peer.address().port(), "peer.test", connected::complete);
      assertEquals(null, await(connected, "the connect"));
      Thread loop = await(listenerThread, "'listening'");
      assertSame(loop, sent.thread, "the callback runs on the loop thread");
      assertEquals(3, lookup.calls.size(), "bind, send and connect: " + lookup.calls);
      for (Call c : lookup.calls) {
        assertSame(loop, c.thread, "lookup of " + c.host + " ran on " + c.thread.getName());
      }
    } finally {
      closeAll(s, peer);
    }
  }

  // ---------------------------------------------------------------- asynchronous lookups

  /** Node keeps sends in call order when a lookup completes later, on another thread. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void lookupCompletingLaterOnAnotherThreadKeepsSendOrder(String type) {
    DgramSocket receiver = Sockets.bound(type);
    CompletableFuture<Void> gate = new CompletableFuture<>();
    Recording lookup = new Recording(Map.of());
    InetAddress target = literal(loopback(type));
    // Completes once the test opens the gate, on a pool thread (not the loop, not the caller).
    lookup.other = (host, family) -> gate.thenApplyAsync(v -> target);
    DgramSocket sender = Sockets.bound(socket(type, lookup), loopback(type));
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      List<Sent> sent = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Sent s = new Sent();
        sent.add(s);
        sender.send("late-" + i, port, i % 4 == 0 ? "slow.test" : loopback(type), s);
      }
      assertEquals(30, sender.getSendQueueCount(), "all sends wait behind the first lookup");
      gate.complete(null);
      for (Sent s : sent) {
        s.bytes("a send behind a slow lookup");
      }
      for (int i = 0; i < 30; i++) {
        assertEquals("late-" + i, inbox.next("late-", "datagram " + i).text());
      }
    } finally {
      gate.complete(null);
      closeAll(sender, receiver);
    }
  }

  // ---------------------------------------------------------------- failures

  /** Node passes the lookup's own error object to the send callback, 'error' and bind 'error'. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void lookupFailingWithDgramExceptionDeliversTheSameObject(String type) {
    DgramException mine = new DgramException("EAI_FAIL", "my resolver says no");
    Recording lookup = new Recording(Map.of());
    lookup.other = (host, family) -> CompletableFuture.failedFuture(mine);
    DgramSocket sender = socket(type, lookup);
    DgramSocket binder = socket(type, lookup);
    try {
      Sent sent = new Sent();
      sender.send("same-1", 4242, "refused.test", sent);
      assertSame(mine, sent.error("the send callback"));
      CompletableFuture<DgramException> sendError = Sockets.firstError(sender);
      sender.send("same-2", 4242, "refused.test");
      assertSame(mine, await(sendError, "'error' of a send without callback"));
      CompletableFuture<DgramException> bindError = Sockets.firstError(binder);
      binder.bind(0, "refused.test");
      assertSame(mine, await(bindError, "bind 'error'"));
    } finally {
      closeAll(sender, binder);
    }
  }

  /** Node turns other lookup failures into a getaddrinfo error; jdgram into a DgramException. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void lookupFailingWithOtherExceptionMapsToDgramException(String type) {
    IOException down = new IOException("resolver down");
    IllegalStateException thrown = new IllegalStateException("lookup blew up");
    Recording lookup = new Recording(Map.of());
    lookup.other =
        (host, family) -> {
          if (host.equals("throws.test")) {
            throw thrown;
          }
          return CompletableFuture.failedFuture(down);
        };
    DgramSocket sender = socket(type, lookup);
    try {
      Sent failed = new Sent();
      sender.send("other-1", 4242, "down.test", failed);
      DgramException e = failed.error("a send whose lookup failed");
      assertNotNull(e.code(), "a Node code");
      assertEquals("getaddrinfo " + e.code() + " down.test", e.getMessage());
      assertEquals("getaddrinfo", e.syscall());
      assertEquals("down.test", e.hostname());
      assertSame(down, e.getCause(), "the lookup's failure is the cause");
      Sent threw = new Sent();
      sender.send("other-2", 4242, "throws.test", threw);
      DgramException e2 = threw.error("a send whose lookup threw");
      assertEquals("getaddrinfo " + e2.code() + " throws.test", e2.getMessage());
      assertSame(thrown, e2.getCause(), "the thrown exception is the cause");
    } finally {
      closeAll(sender);
    }
  }

  // ---------------------------------------------------------------- the default lookup

  /** Node's dns.lookup resolves "localhost" for udp4 to 127.0.0.1: bind, send and connect. */
  @Test
  void defaultLookupResolvesLocalhostForUdp4() {
    DgramSocket receiver = Sockets.bound(Dgram.createSocket("udp4"), "localhost");
    DgramSocket sender = Dgram.createSocket("udp4");
    DgramSocket client = Dgram.createSocket("udp4");
    try {
      assertEquals("127.0.0.1", receiver.address().address());
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      sender.send("lh4-1", port, "localhost");
      assertEquals("127.0.0.1", inbox.next("lh4-1", "the send to localhost").rinfo.address());
      CompletableFuture<DgramException> connected = new CompletableFuture<>();
      client.connect(port, "localhost", connected::complete);
      assertEquals(null, await(connected, "connect to localhost"));
      assertEquals("127.0.0.1", client.remoteAddress().address());
    } finally {
      closeAll(sender, client, receiver);
    }
  }

  /** Node's dns.lookup resolves "localhost" for udp6 to ::1 where the hosts file says so. */
  @Test
  void defaultLookupResolvesLocalhostForUdp6() throws Exception {
    boolean hasV6 =
        Arrays.stream(InetAddress.getAllByName("localhost"))
            .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
    Assumptions.assumeTrue(hasV6, "this host's resolver has no ::1 for localhost");
    DgramSocket receiver = Sockets.bound("udp6");
    DgramSocket sender = Dgram.createSocket("udp6");
    try {
      Inbox inbox = new Inbox(receiver);
      sender.send("lh6-1", receiver.address().port(), "localhost");
      Received r = inbox.next("lh6-1", "the send to localhost");
      assertEquals("::1", r.rinfo.address());
      assertEquals("IPv6", r.rinfo.family());
    } finally {
      closeAll(sender, receiver);
    }
  }
}

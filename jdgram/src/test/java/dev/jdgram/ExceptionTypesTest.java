package dev.jdgram;

import static dev.jdgram.Sockets.closeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * API.md: "every error that jdgram throws or emits is a DgramException". Every public method of
 * {@link DgramSocket} is called in every state a socket can be in (new, binding, bound, connected,
 * closed) with arguments that make it fail where it can (bad ports, host names, other families, bad
 * descriptors, odd messages); whatever it throws, calls back or emits must be a {@code
 * DgramException} with a code, never a Netty, JDK or programming exception. Runs on both
 * transports.
 */
class ExceptionTypesTest {
  /** The states a socket is put in before each call. */
  enum State {
    NEW,
    BINDING,
    BOUND,
    CONNECTED,
    CLOSED
  }

  private static final int PEER = 9; // discard: nothing listens, so sends may be refused (ICMP)

  /** Every public method, named, with arguments chosen to reach its failure paths. */
  private static Map<String, Consumer<DgramSocket>> calls(String type, List<Object> outcomes) {
    SendCallback sendCb = (err, bytes) -> outcomes.add(err == null ? "ok" : err);
    Callback connectCb = err -> outcomes.add(err == null ? "ok" : err);
    String other = "udp4".equals(type) ? "::1" : "127.0.0.1";
    Map<String, Consumer<DgramSocket>> m = new LinkedHashMap<>();
    m.put("address", DgramSocket::address);
    m.put("remoteAddress", DgramSocket::remoteAddress);
    m.put("bind()", DgramSocket::bind);
    m.put("bind(-1)", s -> s.bind(-1));
    m.put("bind(0, other family)", s -> s.bind(0, other));
    m.put("bind(0, 'no.such.host.invalid')", s -> s.bind(0, "no.such.host.invalid"));
    m.put("bind(0, '', cb)", s -> s.bind(0, "", () -> outcomes.add("listening")));
    m.put("bind(null options)", s -> s.bind((BindOptions) null));
    m.put("bind(fd 99999)", s -> s.bind(BindOptions.of().fd(99999)));
    m.put("bind(fd of a file)", s -> s.bind(BindOptions.of().fd(fileDescriptor())));
    m.put("bindSync()", DgramSocket::bindSync);
    m.put("bindSync(0, other family)", s -> s.bindSync(0, other));
    m.put("bindSync(0, 'localhost')", s -> s.bindSync(0, "localhost"));
    m.put("bindSync(70000)", s -> s.bindSync(70000));
    m.put("connect(0)", s -> s.connect(0));
    m.put("connect(PEER, other family, cb)", s -> s.connect(PEER, other, connectCb));
    m.put("connect(PEER, 'no.such.host.invalid')", s -> s.connect(PEER, "no.such.host.invalid"));
    m.put("connect(PEER, '', cb)", s -> s.connect(PEER, "", connectCb));
    m.put("connectSync(PEER)", s -> s.connectSync(PEER));
    m.put("connectSync(PEER, 'localhost')", s -> s.connectSync(PEER, "localhost"));
    m.put("connectSync(PEER, other family)", s -> s.connectSync(PEER, other));
    m.put("disconnect", DgramSocket::disconnect);
    m.put("send(byte[], PEER, '', cb)", s -> s.send(new byte[] {1}, PEER, "", sendCb));
    m.put("send(byte[] null)", s -> s.send((byte[]) null, PEER, ""));
    m.put("send(byte[], 2, 5, ...)", s -> s.send(new byte[3], 2, 5, PEER, "", sendCb));
    m.put("send(byte[], -1, 1, ...)", s -> s.send(new byte[3], -1, 1, PEER, "", sendCb));
    m.put("send(70000 bytes)", s -> s.send(new byte[70_000], PEER, "", sendCb));
    m.put("send(String, 0)", s -> s.send("x", 0));
    m.put("send(String, PEER, other family, cb)", s -> s.send("x", PEER, other, sendCb));
    m.put("send(String, PEER, bad host, cb)", s -> s.send("x", PEER, "no.such.host.", sendCb));
    m.put(
        "send(ByteBuffer read-only)",
        s -> s.send(ByteBuffer.allocate(4).asReadOnlyBuffer(), PEER, sendCb));
    m.put("send(ByteBuffer direct empty)", s -> s.send(ByteBuffer.allocateDirect(0), PEER, sendCb));
    m.put("send(List with null)", s -> s.send(Arrays.asList("a", null), PEER, sendCb));
    m.put("send(List with Integer)", s -> s.send(List.of("a", 42), PEER, sendCb));
    m.put("send(connected form)", s -> s.send("x", sendCb));
    m.put("send(byte[] connected form, 0, 9)", s -> s.send(new byte[2], 0, 9, sendCb));
    m.put("sendMany(empty)", s -> s.sendMany(List.of(), PEER, "", sendCb));
    m.put("sendMany(odd)", s -> s.sendMany(List.of(new Object()), PEER, "", sendCb));
    m.put("sendMany(connected form)", s -> s.sendMany(List.of("a", "b"), sendCb));
    m.put("addMembership(not multicast)", s -> s.addMembership("10.0.0.1"));
    m.put("addMembership(group, bad iface)", s -> s.addMembership(group(type), "nonsense"));
    m.put("addMembership(null)", s -> s.addMembership(null));
    m.put("dropMembership(never joined)", s -> s.dropMembership(group(type)));
    m.put("addSourceSpecificMembership(bad)", s -> s.addSourceSpecificMembership("x", "y"));
    m.put("dropSourceSpecificMembership(bad)", s -> s.dropSourceSpecificMembership(other, other));
    m.put("setMulticastInterface(bad)", s -> s.setMulticastInterface("not an address"));
    m.put("setMulticastInterface(null)", s -> s.setMulticastInterface(null));
    m.put("setMulticastLoopback", s -> s.setMulticastLoopback(true));
    m.put("setMulticastTTL(256)", s -> s.setMulticastTTL(256));
    m.put("setTTL(0)", s -> s.setTTL(0));
    m.put("setTTL(64)", s -> s.setTTL(64));
    m.put("setBroadcast", s -> s.setBroadcast(true));
    m.put("setRecvBufferSize(-1)", s -> s.setRecvBufferSize(-1));
    m.put("setSendBufferSize(Integer.MAX_VALUE)", s -> s.setSendBufferSize(Integer.MAX_VALUE));
    m.put("getRecvBufferSize", DgramSocket::getRecvBufferSize);
    m.put("getSendBufferSize", DgramSocket::getSendBufferSize);
    m.put("getSendQueueSize", DgramSocket::getSendQueueSize);
    m.put("getSendQueueCount", DgramSocket::getSendQueueCount);
    m.put("on(null)", s -> s.on(DgramSocket.MESSAGE, null));
    m.put("off(null event)", s -> s.off(null, (Runnable) () -> {}));
    m.put("removeAllListeners(null)", s -> s.removeAllListeners(null));
    m.put("listenerCount(null)", s -> s.listenerCount(null));
    m.put("ref", DgramSocket::ref);
    m.put("unref", DgramSocket::unref);
    m.put("close(cb)", s -> s.close(() -> outcomes.add("closed")));
    return m;
  }

  private static String group(String type) {
    return "udp4".equals(type) ? "239.77.9.9" : "ff15::77:9:9";
  }

  /** A descriptor of this process that is open and not a socket: the test JVM's class path jar. */
  private static int fileDescriptor() {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        if (Files.readSymbolicLink(fd).toString().endsWith(".jar")) {
          return Integer.parseInt(fd.getFileName().toString());
        }
      }
    } catch (IOException e) {
      return fail("cannot list /proc/self/fd", e);
    }
    return fail("no open jar descriptor");
  }

  /** Makes a socket in {@code state}; a BINDING one waits for {@code answer}, never completed. */
  private static DgramSocket inState(
      String type, State state, CompletableFuture<InetAddress> gate) {
    Lookup lookup =
        (host, family) ->
            "slow.test".equals(host)
                ? gate
                : CompletableFuture.completedFuture(
                        dev.jdgram.internal.Addresses.parseLiteral(host))
                    .thenApply(
                        ip -> {
                          if (ip == null) {
                            throw new java.util.concurrent.CompletionException(
                                new java.net.UnknownHostException(host));
                          }
                          return ip;
                        });
    DgramSocket s = Dgram.createSocket(SocketOptions.of(type).lookup(lookup));
    switch (state) {
      case NEW:
        break;
      case BINDING:
        s.bind(0, "slow.test");
        // Memberships wait for a pending bind (issue 12 makes them stop blocking); let it finish.
        CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS)
            .execute(() -> gate.complete(InetAddress.getLoopbackAddress()));
        break;
      case BOUND:
        s.bindSync(0, Sockets.loopback(type));
        break;
      case CONNECTED:
        s.connectSync(PEER, Sockets.loopback(type));
        break;
      case CLOSED:
        closeAll(s);
        break;
    }
    return s;
  }

  @ParameterizedTest
  @EnumSource(State.class)
  void udp4MethodsThrowAndEmitOnlyDgramExceptions(State state) {
    everyMethod("udp4", state);
  }

  @ParameterizedTest
  @EnumSource(State.class)
  void udp6MethodsThrowAndEmitOnlyDgramExceptions(State state) {
    everyMethod("udp6", state);
  }

  private static void everyMethod(String type, State state) {
    List<String> wrong = new ArrayList<>();
    List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
    for (Map.Entry<String, Consumer<DgramSocket>> call : calls(type, outcomes).entrySet()) {
      CompletableFuture<InetAddress> gate = new CompletableFuture<>();
      DgramSocket s = inState(type, state, gate);
      List<Throwable> emitted = Collections.synchronizedList(new ArrayList<>());
      s.on(DgramSocket.ERROR, emitted::add);
      try {
        call.getValue().accept(s);
      } catch (DgramException e) {
        check(wrong, call.getKey() + " threw", e);
      } catch (Throwable t) {
        wrong.add(call.getKey() + " threw " + t);
      } finally {
        gate.complete(InetAddress.getLoopbackAddress());
        closeAll(s);
      }
      Sockets.barrier("the outcomes of " + call.getKey());
      List<Throwable> errors;
      synchronized (emitted) {
        errors = new ArrayList<>(emitted);
      }
      for (Throwable t : errors) {
        check(wrong, call.getKey() + " emitted", t);
      }
    }
    List<Object> seen;
    synchronized (outcomes) { // a late callback (an ICMP error, say) may still be adding
      seen = new ArrayList<>(outcomes);
    }
    for (Object o : seen) {
      if (o instanceof Throwable) {
        check(wrong, "a callback got", (Throwable) o);
      }
    }
    assertEquals(List.of(), wrong, type + " in state " + state);
  }

  private static void check(List<String> wrong, String what, Throwable t) {
    if (!(t instanceof DgramException)) {
      wrong.add(what + " " + t);
      return;
    }
    String code = ((DgramException) t).code();
    if (code == null || code.isEmpty() || "UNKNOWN".equals(code)) {
      wrong.add(what + " a DgramException without a Node code: " + t);
    }
  }
}

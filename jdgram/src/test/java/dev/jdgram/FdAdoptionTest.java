package dev.jdgram;

import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAndWait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Socket;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Node's {@code bind({fd})} (libuv's {@code uv_udp_open}) adopts any bound UDP descriptor, whatever
 * its address family and whoever made it, and receives and sends on it: the systemd
 * socket-activation case, where the descriptor comes from the parent process. Each source below
 * makes a descriptor the way a real program would (the JDK's {@code DatagramChannel}, or plain
 * socket(2) through Netty), binds it to loopback, and hands it to a {@code udp4} and a {@code udp6}
 * socket; traffic then goes both ways. NIO cannot adopt descriptors and says so with ENOTSUP.
 */
class FdAdoptionTest {
  private static final int IPPROTO_IPV6 = 41;
  private static final int IPV6_V6ONLY = 26;

  private static final List<DatagramChannel> JDK_CHANNELS = new CopyOnWriteArrayList<>();

  /** Where a descriptor comes from, its family, and the loopback address it is bound to. */
  enum Source {
    JDK_INET("127.0.0.1", false),
    JDK_DUAL_STACK("127.0.0.1", true),
    JDK_INET6("::1", true),
    NETTY_INET("127.0.0.1", false),
    NETTY_DUAL_STACK("127.0.0.1", true),
    NETTY_INET6_ONLY("::1", true);

    final String address;
    final boolean inet6;

    Source(String address, boolean inet6) {
      this.address = address;
      this.inet6 = inet6;
    }

    /** The type of a peer that can reach the descriptor's address. */
    String peerType() {
      return address.contains(":") ? "udp6" : "udp4";
    }
  }

  /** A bound descriptor of this process, and a way to close it if jdgram did not adopt it. */
  private static final class Descriptor implements Closeable {
    final int fd;
    final int port;
    private final Closeable owner;
    boolean adopted;

    Descriptor(int fd, int port, Closeable owner) {
      this.fd = fd;
      this.port = port;
      this.owner = owner;
    }

    @Override
    public void close() throws IOException {
      if (!adopted) {
        owner.close();
      }
    }
  }

  private static Descriptor open(Source source) throws IOException {
    switch (source) {
      case JDK_INET:
      case JDK_DUAL_STACK:
      case JDK_INET6:
        {
          DatagramChannel ch =
              source == Source.JDK_INET
                  ? DatagramChannel.open(StandardProtocolFamily.INET)
                  : DatagramChannel.open(); // the JDK's default: AF_INET6, dual-stack
          ch.bind(new InetSocketAddress(source.address, 0));
          int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
          // Once jdgram has adopted and closed the descriptor, the JDK must never close its number
          // again (its cleaner would, when the channel is collected): keep the channel reachable.
          JDK_CHANNELS.add(ch);
          return new Descriptor(KernelOptions.fdOfPort(port), port, ch);
        }
      default:
        {
          Socket s =
              LinuxSocket.newSocketDgram(
                  source.inet6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
          if (source == Source.NETTY_INET6_ONLY) {
            s.setIntOpt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
          }
          s.bind(new InetSocketAddress(source.address, 0));
          return new Descriptor(s.intValue(), s.localAddress().getPort(), s::close);
        }
    }
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void udp4SocketAdoptsDescriptorAndTrafficFlowsBothWays(Source source) throws Exception {
    adoptAndExchange("udp4", source);
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void udp6SocketAdoptsDescriptorAndTrafficFlowsBothWays(Source source) throws Exception {
    adoptAndExchange("udp6", source);
  }

  private static void adoptAndExchange(String type, Source source) throws Exception {
    assumeTrue(Epoll.isAvailable(), "native sockets are needed to make a descriptor");
    DgramSocket s = Dgram.createSocket(type);
    DgramSocket peer = null;
    try (Descriptor d = open(source)) {
      if (Sockets.nio()) {
        DgramException e =
            assertThrows(DgramException.class, () -> s.bind(BindOptions.of().fd(d.fd)));
        assertEquals("ENOTSUP", e.code());
        return;
      }
      Sockets.Inbox inbox = new Sockets.Inbox(s);
      CompletableFuture<AddressInfo> listening = new CompletableFuture<>();
      s.on(DgramSocket.ERROR, listening::completeExceptionally);
      s.bind(BindOptions.of().fd(d.fd), () -> listening.complete(s.address()));
      d.adopted = true;
      AddressInfo local = await(listening, type + " adopting " + source);
      assertEquals(d.port, local.port(), "address() reports the descriptor's port");

      peer = Sockets.bound(source.peerType());
      Sockets.Inbox replies = new Sockets.Inbox(peer);
      peer.send("to the adopted fd", d.port, source.address);
      Sockets.Received got = inbox.next("a datagram to the descriptor " + type + " adopted");
      assertEquals("to the adopted fd", got.text());

      // rinfo is what recvmsg returned: a dual-stack descriptor of a udp6 socket maps IPv4 senders
      // (::ffff:a.b.c.d), an AF_INET one does not, whatever the socket's type.
      boolean ipv6Sender = source.address.contains(":") || ("udp6".equals(type) && source.inet6);
      assertEquals(ipv6Sender ? "IPv6" : "IPv4", got.rinfo.family(), "rinfo.family");

      // The reply goes to the sender's rinfo, as a Node echo server answers. The socket's type
      // decides which addresses it sends to, as in Node: udp4 only IPv4, udp6 only IPv6 (mapped
      // IPv4 included). Where the descriptor cannot reach such an address the send fails with
      // Node's error, never silently.
      boolean replyFits = "udp6".equals(type) ? source.inet6 : !source.address.contains(":");
      CompletableFuture<Integer> sent = new CompletableFuture<>();
      s.send(
          "reply",
          got.rinfo.port(),
          got.rinfo.address(),
          (err, bytes) -> {
            if (err != null) {
              sent.completeExceptionally(err);
            } else {
              sent.complete(bytes);
            }
          });
      if (replyFits) {
        assertEquals(5, await(sent, "the reply from the adopted descriptor"));
        assertEquals("reply", replies.next("the reply from the adopted descriptor").text());
      } else {
        ExecutionException e =
            assertThrows(ExecutionException.class, () -> sent.get(5, TimeUnit.SECONDS));
        DgramException err = (DgramException) e.getCause();
        assertEquals("EINVAL", err.code());
        assertEquals(
            "send EINVAL " + got.rinfo.address() + ":" + got.rinfo.port(), err.getMessage());
      }
    } finally {
      if (peer != null) {
        closeAndWait(peer);
      }
      closeAndWait(s);
    }
  }
}

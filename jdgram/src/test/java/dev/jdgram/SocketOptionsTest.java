package dev.jdgram;

import static dev.jdgram.KernelOptions.IPPROTO_IP;
import static dev.jdgram.KernelOptions.IPPROTO_IPV6;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Socket options on real sockets: TTLs, multicast loopback and interface, broadcast and buffer
 * sizes, each read back from the kernel where the setter returns nothing to compare, and Node's
 * errors for bad arguments and unbound sockets. Runs on epoll and on NIO.
 */
class SocketOptionsTest {

  /** Asserts that {@code call} throws Node's error: code, message, errno and syscall. */
  static DgramException assertNodeError(
      String code, String message, Integer errno, String syscall, Executable call) {
    DgramException e = assertThrows(DgramException.class, call, "expected " + code);
    assertAll(
        () -> assertEquals(code, e.code(), "code of " + e),
        () -> assertEquals(message, e.getMessage(), "message of " + e),
        () -> assertEquals(errno, e.errno(), "errno of " + e),
        () -> assertEquals(syscall, e.syscall(), "syscall of " + e));
    return e;
  }

  static DgramException assertSystemError(String syscall, String code, int errno, Executable call) {
    return assertNodeError(code, syscall + " " + code, errno, syscall, call);
  }

  // ---------------------------------------------------------------- setTTL

  /** Node's setTTL(ttl) sets IP_TTL for 1..255 and returns ttl (epoll; NIO has no unicast TTL). */
  @Test
  void setTtlSetsIpTtlAndReturnsTtl() {
    assumeFalse(KernelOptions.nio(), "NIO has no unicast TTL; see setTtlOnNioFailsWithEnotsup");
    DgramSocket s = Sockets.bound("udp4");
    try {
      for (int ttl : new int[] {1, 64, 255}) {
        assertEquals(ttl, s.setTTL(ttl));
        assertEquals(ttl, KernelOptions.getInt(s, IPPROTO_IP, KernelOptions.IP_TTL), "IP_TTL");
      }
    } finally {
      s.close();
    }
  }

  /** Node's setTTL on a udp6 socket sets IPV6_UNICAST_HOPS (epoll). */
  @Test
  void setTtlOnUdp6SetsUnicastHops() {
    assumeFalse(KernelOptions.nio(), "NIO has no unicast TTL; see setTtlOnNioFailsWithEnotsup");
    DgramSocket s = Sockets.bound("udp6");
    try {
      assertEquals(7, s.setTTL(7));
      assertEquals(
          7, KernelOptions.getInt(s, IPPROTO_IPV6, KernelOptions.IPV6_UNICAST_HOPS), "hops");
    } finally {
      s.close();
    }
  }

  /**
   * jdgram documents that setTTL on the NIO transport fails with ENOTSUP (the JDK has no IP_TTL).
   */
  @Test
  void setTtlOnNioFailsWithEnotsup() {
    assumeTrue(KernelOptions.nio(), "only the NIO transport lacks unicast TTL");
    DgramSocket s = Sockets.bound("udp4");
    try {
      assertSystemError("setTTL", "ENOTSUP", -95, () -> s.setTTL(64));
    } finally {
      s.close();
    }
  }

  /** Node checks setTTL's range (1..255) first: EINVAL "setTTL EINVAL", bound or not. */
  @Test
  void setTtlOutOfRangeFailsWithEinvalBeforeAndAfterBind() {
    DgramSocket unbound = Dgram.createSocket("udp4");
    DgramSocket bound = Sockets.bound("udp4");
    try {
      for (DgramSocket s : new DgramSocket[] {unbound, bound}) {
        for (int ttl : new int[] {0, 256, -1}) {
          assertSystemError("setTTL", "EINVAL", -22, () -> s.setTTL(ttl));
        }
      }
    } finally {
      unbound.close();
      bound.close();
    }
  }

  /** Node's setTTL on a socket that has no descriptor yet: EBADF "setTTL EBADF". */
  @Test
  void setTtlOnUnboundSocketFailsWithEbadf() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertSystemError("setTTL", "EBADF", -9, () -> s.setTTL(64));
    } finally {
      s.close();
    }
  }

  // ---------------------------------------------------------------- setMulticastTTL

  /** Node's setMulticastTTL(0..255) sets IP_MULTICAST_TTL and returns ttl. */
  @Test
  void setMulticastTtlSetsIpMulticastTtlFromZeroTo255() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      for (int ttl : new int[] {0, 1, 128, 255}) {
        assertEquals(ttl, s.setMulticastTTL(ttl));
        assertEquals(
            ttl,
            KernelOptions.getInt(s, IPPROTO_IP, KernelOptions.IP_MULTICAST_TTL),
            "IP_MULTICAST_TTL");
      }
    } finally {
      s.close();
    }
  }

  /** Node's setMulticastTTL on udp6 sets IPV6_MULTICAST_HOPS. */
  @Test
  void setMulticastTtlOnUdp6SetsMulticastHops() {
    DgramSocket s = Sockets.bound("udp6");
    try {
      assertEquals(9, s.setMulticastTTL(9));
      assertEquals(
          9, KernelOptions.getInt(s, IPPROTO_IPV6, KernelOptions.IPV6_MULTICAST_HOPS), "hops");
    } finally {
      s.close();
    }
  }

  /** Node checks setMulticastTTL's range (0..255) first: EINVAL "setMulticastTTL EINVAL". */
  @Test
  void setMulticastTtlOutOfRangeFailsWithEinval() {
    DgramSocket unbound = Dgram.createSocket("udp4");
    DgramSocket bound = Sockets.bound("udp4");
    try {
      for (DgramSocket s : new DgramSocket[] {unbound, bound}) {
        for (int ttl : new int[] {-1, 256}) {
          assertSystemError("setMulticastTTL", "EINVAL", -22, () -> s.setMulticastTTL(ttl));
        }
      }
    } finally {
      unbound.close();
      bound.close();
    }
  }

  /** Node's setMulticastTTL on an unbound socket: EBADF. */
  @Test
  void setMulticastTtlOnUnboundSocketFailsWithEbadf() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertSystemError("setMulticastTTL", "EBADF", -9, () -> s.setMulticastTTL(5));
    } finally {
      s.close();
    }
  }

  // ---------------------------------------------------------------- setMulticastLoopback

  /** Node's setMulticastLoopback(flag) sets IP_MULTICAST_LOOP and returns flag. */
  @Test
  void setMulticastLoopbackSetsIpMulticastLoopAndReturnsFlag() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      assertEquals(false, s.setMulticastLoopback(false));
      assertEquals(0, KernelOptions.getInt(s, IPPROTO_IP, KernelOptions.IP_MULTICAST_LOOP));
      assertEquals(true, s.setMulticastLoopback(true));
      assertEquals(1, KernelOptions.getInt(s, IPPROTO_IP, KernelOptions.IP_MULTICAST_LOOP));
    } finally {
      s.close();
    }
  }

  /** Node's setMulticastLoopback on udp6 sets IPV6_MULTICAST_LOOP. */
  @Test
  void setMulticastLoopbackOnUdp6SetsIpv6MulticastLoop() {
    DgramSocket s = Sockets.bound("udp6");
    try {
      assertEquals(false, s.setMulticastLoopback(false));
      assertEquals(0, KernelOptions.getInt(s, IPPROTO_IPV6, KernelOptions.IPV6_MULTICAST_LOOP));
      assertEquals(true, s.setMulticastLoopback(true));
      assertEquals(1, KernelOptions.getInt(s, IPPROTO_IPV6, KernelOptions.IPV6_MULTICAST_LOOP));
    } finally {
      s.close();
    }
  }

  /** Node's setMulticastLoopback on an unbound socket: EBADF "setMulticastLoopback EBADF". */
  @Test
  void setMulticastLoopbackOnUnboundSocketFailsWithEbadf() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertSystemError("setMulticastLoopback", "EBADF", -9, () -> s.setMulticastLoopback(true));
    } finally {
      s.close();
    }
  }

  // ---------------------------------------------------------------- setBroadcast

  /** Node's setBroadcast(flag) sets SO_BROADCAST on a bound socket. */
  @Test
  void setBroadcastSetsSoBroadcast() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      s.setBroadcast(true);
      assertEquals(
          1, KernelOptions.getInt(s, KernelOptions.SOL_SOCKET, KernelOptions.SO_BROADCAST));
      s.setBroadcast(false);
      assertEquals(
          0, KernelOptions.getInt(s, KernelOptions.SOL_SOCKET, KernelOptions.SO_BROADCAST));
    } finally {
      s.close();
    }
  }

  /** Node's setBroadcast on an unbound socket: EBADF "setBroadcast EBADF". */
  @Test
  void setBroadcastOnUnboundSocketFailsWithEbadf() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertSystemError("setBroadcast", "EBADF", -9, () -> s.setBroadcast(true));
    } finally {
      s.close();
    }
  }

  // ---------------------------------------------------------------- setMulticastInterface

  /** Node's setMulticastInterface("127.0.0.1") on udp4 sets IP_MULTICAST_IF to that address. */
  @Test
  void setMulticastInterfaceSelectsInterfaceByIpv4Address() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      s.setMulticastInterface("127.0.0.1");
      assertEquals("127.0.0.1", KernelOptions.getMulticastIf4(s), "IP_MULTICAST_IF");
    } finally {
      s.close();
    }
  }

  /**
   * Node's setMulticastInterface("0.0.0.0") gives the choice back to the system; jdgram documents
   * ENOTSUP for that on NIO (the JDK cannot unset IP_MULTICAST_IF).
   */
  @Test
  void setMulticastInterfaceAnyResetsToSystemChoiceOrIsUnsupportedOnNio() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      s.setMulticastInterface("127.0.0.1");
      if (KernelOptions.nio()) {
        assertSystemError(
            "setMulticastInterface", "ENOTSUP", -95, () -> s.setMulticastInterface("0.0.0.0"));
      } else {
        s.setMulticastInterface("0.0.0.0");
        assertEquals("0.0.0.0", KernelOptions.getMulticastIf4(s), "IP_MULTICAST_IF");
      }
    } finally {
      s.close();
    }
  }

  /** Node's setMulticastInterface with something that is not an IP: EINVAL. */
  @Test
  void setMulticastInterfaceWithNonAddressFailsWithEinval() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      assertSystemError(
          "setMulticastInterface", "EINVAL", -22, () -> s.setMulticastInterface("foo"));
    } finally {
      s.close();
    }
  }

  /** Node's setMulticastInterface with an address no local interface has: EADDRNOTAVAIL. */
  @Test
  void setMulticastInterfaceWithForeignAddressFailsWithEaddrnotavail() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      assertSystemError(
          "setMulticastInterface",
          "EADDRNOTAVAIL",
          -99,
          () -> s.setMulticastInterface("192.0.2.55"));
    } finally {
      s.close();
    }
  }

  /** Node's setMulticastInterface("::1") on a udp4 socket: ENOPROTOOPT. */
  @Test
  void setMulticastInterfaceWithIpv6AddressOnUdp4FailsWithEnoprotoopt() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      assertSystemError(
          "setMulticastInterface", "ENOPROTOOPT", -92, () -> s.setMulticastInterface("::1"));
    } finally {
      s.close();
    }
  }

  /** Node validates the argument's type first: null is ERR_INVALID_ARG_TYPE, bound or not. */
  @Test
  void setMulticastInterfaceWithNullFailsWithInvalidArgType() {
    DgramSocket unbound = Dgram.createSocket("udp4");
    DgramSocket bound = Sockets.bound("udp4");
    try {
      for (DgramSocket s : new DgramSocket[] {unbound, bound}) {
        assertNodeError(
            "ERR_INVALID_ARG_TYPE",
            "The \"interfaceAddress\" argument must be of type string. Received null",
            null,
            null,
            () -> s.setMulticastInterface(null));
      }
    } finally {
      unbound.close();
      bound.close();
    }
  }

  /** Node's setMulticastInterface on an unbound socket: EBADF. */
  @Test
  void setMulticastInterfaceOnUnboundSocketFailsWithEbadf() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertSystemError(
          "setMulticastInterface", "EBADF", -9, () -> s.setMulticastInterface("127.0.0.1"));
    } finally {
      s.close();
    }
  }

  /**
   * Node's setMulticastInterface("::%lo") on udp6 picks lo by its scope (IPV6_MULTICAST_IF = its
   * index) and "::" gives the choice back to the system (index 0; ENOTSUP on NIO, as documented).
   */
  @Test
  void setMulticastInterfaceOnUdp6SelectsInterfaceByScope() throws Exception {
    int lo = java.net.NetworkInterface.getByName("lo").getIndex();
    DgramSocket s = Sockets.bound("udp6");
    try {
      s.setMulticastInterface("::%lo");
      assertEquals(
          lo, KernelOptions.getInt(s, IPPROTO_IPV6, KernelOptions.IPV6_MULTICAST_IF), "lo");
      if (KernelOptions.nio()) {
        assertSystemError(
            "setMulticastInterface", "ENOTSUP", -95, () -> s.setMulticastInterface("::"));
      } else {
        s.setMulticastInterface("::");
        assertEquals(
            0, KernelOptions.getInt(s, IPPROTO_IPV6, KernelOptions.IPV6_MULTICAST_IF), "any");
      }
    } finally {
      s.close();
    }
  }

  // ---------------------------------------------------------------- buffer sizes

  /**
   * Node's buffer-size getters on an unbound socket: ERR_SOCKET_BUFFER_SIZE naming libuv's call.
   */
  @Test
  void bufferSizesOfUnboundSocketFailWithSocketBufferSizeEbadf() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      String recv =
          "Could not get or set buffer size: uv_recv_buffer_size returned EBADF (bad file"
              + " descriptor)";
      String send =
          "Could not get or set buffer size: uv_send_buffer_size returned EBADF (bad file"
              + " descriptor)";
      assertNodeError(
          "ERR_SOCKET_BUFFER_SIZE", recv, -9, "uv_recv_buffer_size", s::getRecvBufferSize);
      assertNodeError(
          "ERR_SOCKET_BUFFER_SIZE", send, -9, "uv_send_buffer_size", s::getSendBufferSize);
      assertNodeError(
          "ERR_SOCKET_BUFFER_SIZE",
          recv,
          -9,
          "uv_recv_buffer_size",
          () -> s.setRecvBufferSize(100_000));
      assertNodeError(
          "ERR_SOCKET_BUFFER_SIZE",
          send,
          -9,
          "uv_send_buffer_size",
          () -> s.setSendBufferSize(100_000));
    } finally {
      s.close();
    }
  }

  /** Node's setRecvBufferSize/setSendBufferSize(-1): ERR_SOCKET_BAD_BUFFER_SIZE, bound or not. */
  @Test
  void negativeBufferSizeFailsWithBadBufferSize() {
    DgramSocket unbound = Dgram.createSocket("udp4");
    DgramSocket bound = Sockets.bound("udp4");
    try {
      for (DgramSocket s : new DgramSocket[] {unbound, bound}) {
        String message = "Buffer size must be a positive integer";
        assertNodeError(
            "ERR_SOCKET_BAD_BUFFER_SIZE", message, null, null, () -> s.setRecvBufferSize(-1));
        assertNodeError(
            "ERR_SOCKET_BAD_BUFFER_SIZE", message, null, null, () -> s.setSendBufferSize(-1));
      }
    } finally {
      unbound.close();
      bound.close();
    }
  }

  /** Node's setRecvBufferSize sets SO_RCVBUF; the getter reports the kernel's (doubled) value. */
  @Test
  void setRecvBufferSizeIsReadBackAsTheKernelReportsIt() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      s.setRecvBufferSize(100_000);
      int size = s.getRecvBufferSize();
      assertTrue(size >= 100_000, "SO_RCVBUF after setting 100000: " + size);
      assertEquals(
          KernelOptions.getInt(s, KernelOptions.SOL_SOCKET, KernelOptions.SO_RCVBUF), size);
    } finally {
      s.close();
    }
  }

  /** Node's setSendBufferSize sets SO_SNDBUF; the getter reports the kernel's (doubled) value. */
  @Test
  void setSendBufferSizeIsReadBackAsTheKernelReportsIt() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      s.setSendBufferSize(100_000);
      int size = s.getSendBufferSize();
      assertTrue(size >= 100_000, "SO_SNDBUF after setting 100000: " + size);
      assertEquals(
          KernelOptions.getInt(s, KernelOptions.SOL_SOCKET, KernelOptions.SO_SNDBUF), size);
    } finally {
      s.close();
    }
  }

  /**
   * Node's createSocket({recvBufferSize, sendBufferSize}) applies both once the socket is bound.
   */
  @Test
  void bufferSizeOptionsApplyAtBind() {
    DgramSocket s =
        Dgram.createSocket(
            SocketOptions.of("udp4").recvBufferSize(100_000).sendBufferSize(100_000));
    try {
      CompletableFuture<Void> listening = new CompletableFuture<>();
      s.on(DgramSocket.ERROR, listening::completeExceptionally);
      s.bind(0, "127.0.0.1", () -> listening.complete(null));
      Sockets.await(listening, "bind");
      assertTrue(s.getRecvBufferSize() >= 100_000, "SO_RCVBUF " + s.getRecvBufferSize());
      assertTrue(s.getSendBufferSize() >= 100_000, "SO_SNDBUF " + s.getSendBufferSize());
    } finally {
      s.close();
    }
  }

  /**
   * Node's createSocket validates the buffer-size options as uint32: -1 is ERR_OUT_OF_RANGE (jdgram
   * may throw from the options builder, before createSocket).
   */
  @Test
  void negativeBufferSizeOptionFailsWithOutOfRange() {
    assertNodeError(
        "ERR_OUT_OF_RANGE",
        "The value of \"options.recvBufferSize\" is out of range. It must be >= 0 && <= 4294967295."
            + " Received -1",
        null,
        null,
        () -> Dgram.createSocket(SocketOptions.of("udp4").recvBufferSize(-1)).close());
    assertNodeError(
        "ERR_OUT_OF_RANGE",
        "The value of \"options.sendBufferSize\" is out of range. It must be >= 0 && <= 4294967295."
            + " Received -1",
        null,
        null,
        () -> Dgram.createSocket(SocketOptions.of("udp4").sendBufferSize(-1)).close());
  }

  // ---------------------------------------------------------------- closed

  /** API.md: the option methods Node leaves unguarded throw "Not running" on a closed socket. */
  @Test
  void optionsOnClosedSocketFailWithNotRunning() {
    DgramSocket s = Sockets.bound("udp4");
    Sockets.closeAndWait(s);
    Executable[] calls = {
      () -> s.setTTL(64),
      () -> s.setMulticastTTL(1),
      () -> s.setMulticastLoopback(true),
      () -> s.setBroadcast(true),
      () -> s.setMulticastInterface("127.0.0.1"),
      s::getRecvBufferSize,
      s::getSendBufferSize,
      () -> s.setRecvBufferSize(100_000),
      () -> s.setSendBufferSize(100_000),
    };
    for (Executable call : calls) {
      assertNodeError("ERR_SOCKET_DGRAM_NOT_RUNNING", "Not running", null, null, call);
    }
  }
}

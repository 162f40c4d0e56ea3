package dev.jdgram.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jdgram.DgramException;
import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The error table, row by row: each factory of {@link NodeErrors} gives Node's code, message,
 * errno, syscall, address and port exactly (messages as Node 20 prints them).
 */
class NodeErrorsTest {

  /** Asserts every field Node's error has; null where Node's is undefined. */
  private static void assertError(
      DgramException e,
      String code,
      String message,
      Integer errno,
      String syscall,
      String address,
      Integer port) {
    assertEquals(code, e.code(), "code");
    assertEquals(message, e.getMessage(), "message");
    assertEquals(errno, e.errno(), "errno");
    assertEquals(syscall, e.syscall(), "syscall");
    assertEquals(address, e.address(), "address");
    assertEquals(port, e.port(), "port");
  }

  /** An argument or state error: code and message, nothing else. */
  private static void assertNodeError(DgramException e, String code, String message) {
    assertError(e, code, message, null, null, null, null);
    assertNull(e.hostname(), "hostname");
    assertNull(e.getCause(), "cause");
  }

  // ---------------------------------------------------------------- argument and state errors

  @Test
  void notRunning() {
    assertNodeError(NodeErrors.notRunning(), "ERR_SOCKET_DGRAM_NOT_RUNNING", "Not running");
  }

  @Test
  void alreadyBound() {
    assertNodeError(
        NodeErrors.alreadyBound(), "ERR_SOCKET_ALREADY_BOUND", "Socket is already bound");
  }

  @Test
  void badType() {
    assertNodeError(
        NodeErrors.badType(),
        "ERR_SOCKET_BAD_TYPE",
        "Bad socket type specified. Valid types are: udp4, udp6");
  }

  @Test
  void isConnected() {
    assertNodeError(NodeErrors.isConnected(), "ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected");
  }

  @Test
  void notConnected() {
    assertNodeError(NodeErrors.notConnected(), "ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected");
  }

  @Test
  void badBufferSize() {
    assertNodeError(
        NodeErrors.badBufferSize(),
        "ERR_SOCKET_BAD_BUFFER_SIZE",
        "Buffer size must be a positive integer");
  }

  /** Node's validatePort: "> 0" where 0 is refused (send, connect), ">= 0" where allowed. */
  @Test
  void badPort() {
    assertNodeError(
        NodeErrors.badPort("Port", false, 70000),
        "ERR_SOCKET_BAD_PORT",
        "Port should be > 0 and < 65536. Received type number (70000).");
    assertNodeError(
        NodeErrors.badPort("Port", true, -1),
        "ERR_SOCKET_BAD_PORT",
        "Port should be >= 0 and < 65536. Received type number (-1).");
    assertNodeError(
        NodeErrors.badPort("options.port", true, "type string ('x')"),
        "ERR_SOCKET_BAD_PORT",
        "options.port should be >= 0 and < 65536. Received type string ('x').");
  }

  @Test
  void missingArgs() {
    assertNodeError(
        NodeErrors.missingArgs("multicastAddress"),
        "ERR_MISSING_ARGS",
        "The \"multicastAddress\" argument must be specified");
  }

  @Test
  void invalidArgType() {
    assertNodeError(
        NodeErrors.invalidArgTypeNull(
            "buffer", "of type string or an instance of Buffer, TypedArray, or DataView"),
        "ERR_INVALID_ARG_TYPE",
        "The \"buffer\" argument must be of type string or an instance of Buffer, TypedArray, or"
            + " DataView. Received null");
    assertNodeError(
        NodeErrors.invalidArgType("address", "of type string", "type number (5)"),
        "ERR_INVALID_ARG_TYPE",
        "The \"address\" argument must be of type string. Received type number (5)");
  }

  /** Node words a dotted name as a property, any other as an argument. */
  @Test
  void invalidArgValue() {
    assertNodeError(
        NodeErrors.invalidArgValue("options.family", "'ipv5'", "is invalid"),
        "ERR_INVALID_ARG_VALUE",
        "The property 'options.family' is invalid. Received 'ipv5'");
    assertNodeError(
        NodeErrors.invalidArgValue("start", "SocketAddress { ... }", "must come before end"),
        "ERR_INVALID_ARG_VALUE",
        "The argument 'start' must come before end. Received SocketAddress { ... }");
  }

  @Test
  void outOfRange() {
    assertNodeError(
        NodeErrors.outOfRange("options.recvBufferSize", ">= 0 && <= 4294967295", "-1"),
        "ERR_OUT_OF_RANGE",
        "The value of \"options.recvBufferSize\" is out of range. It must be >= 0 && <="
            + " 4294967295. Received -1");
  }

  @Test
  void bufferOutOfBounds() {
    assertNodeError(
        NodeErrors.bufferOutOfBounds("offset"),
        "ERR_BUFFER_OUT_OF_BOUNDS",
        "\"offset\" is outside of buffer bounds");
  }

  @Test
  void invalidAddress() {
    assertNodeError(NodeErrors.invalidAddress(), "ERR_INVALID_ADDRESS", "Invalid socket address");
  }

  @Test
  void invalidFdType() {
    assertNodeError(
        NodeErrors.invalidFdType("TCP"), "ERR_INVALID_FD_TYPE", "Unsupported fd type: TCP");
  }

  @Test
  void ipBlocked() {
    assertNodeError(
        NodeErrors.ipBlocked("127.0.0.1"),
        "ERR_IP_BLOCKED",
        "IP(127.0.0.1) is blocked by net.BlockList");
  }

  /** Node's AbortError; jdgram keeps a Throwable reason as the cause. */
  @Test
  void abortError() {
    assertNodeError(NodeErrors.abortError(null), "ABORT_ERR", "This operation was aborted");
    Throwable reason = new IllegalStateException("why");
    assertSame(reason, NodeErrors.abortError(reason).getCause());
  }

  // ---------------------------------------------------------------- system errors

  /** Node's ErrnoException: "<syscall> <CODE>", with errno and syscall, no address. */
  @Test
  void errno() {
    Throwable cause = new IOException("x");
    DgramException e = NodeErrors.errno(Errno.EINVAL, "setTTL", cause);
    assertError(e, "EINVAL", "setTTL EINVAL", -22, "setTTL", null, null);
    assertSame(cause, e.getCause());
  }

  /** Node's ExceptionWithHostPort: "<syscall> <CODE> <address>:<port>". */
  @Test
  void withHostPort() {
    Throwable cause = new BindException("Address already in use");
    DgramException e = NodeErrors.withHostPort(Errno.EADDRINUSE, "bind", "0.0.0.0", 41234, cause);
    assertError(e, "EADDRINUSE", "bind EADDRINUSE 0.0.0.0:41234", -98, "bind", "0.0.0.0", 41234);
    assertSame(cause, e.getCause());
    assertError(
        NodeErrors.withHostPort(Errno.EMSGSIZE, "send", "::1", 9, null),
        "EMSGSIZE",
        "send EMSGSIZE ::1:9",
        -90,
        "send",
        "::1",
        9);
  }

  /** Node's ExceptionWithHostPort omits a port of 0: "<syscall> <CODE> <address>". */
  @Test
  void withHostPortOmitsPortZero() {
    assertError(
        NodeErrors.withHostPort(Errno.EADDRNOTAVAIL, "bind", "10.9.9.9", 0, null),
        "EADDRNOTAVAIL",
        "bind EADDRNOTAVAIL 10.9.9.9",
        -99,
        "bind",
        "10.9.9.9",
        null);
  }

  /** Node's ERR_SOCKET_BUFFER_SIZE names libuv's call and its description of the errno. */
  @Test
  void bufferSize() {
    assertError(
        NodeErrors.bufferSize(Errno.EBADF, true, null),
        "ERR_SOCKET_BUFFER_SIZE",
        "Could not get or set buffer size: uv_recv_buffer_size returned EBADF (bad file"
            + " descriptor)",
        -9,
        "uv_recv_buffer_size",
        null,
        null);
    assertError(
        NodeErrors.bufferSize(Errno.EINVAL, false, null),
        "ERR_SOCKET_BUFFER_SIZE",
        "Could not get or set buffer size: uv_send_buffer_size returned EINVAL (invalid argument)",
        -22,
        "uv_send_buffer_size",
        null,
        null);
  }

  /** Node's dns errors: "getaddrinfo <CODE> <hostname>", syscall getaddrinfo, the hostname. */
  @Test
  void lookupFailed() {
    UnknownHostException cause = new UnknownHostException("nowhere.invalid");
    DgramException e = NodeErrors.lookupFailed(Errno.ENOTFOUND, "nowhere.invalid", cause);
    assertError(
        e, "ENOTFOUND", "getaddrinfo ENOTFOUND nowhere.invalid", -3008, "getaddrinfo", null, null);
    assertEquals("nowhere.invalid", e.hostname());
    assertSame(cause, e.getCause());
  }

  // ---------------------------------------------------------------- one factory

  /** The table is the only place errors are built: no other main source constructs one. */
  @Test
  void noOtherSourceConstructsDgramException() throws IOException {
    Path root = Paths.get("src/main/java");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.endsWith(Paths.get("dev/jdgram/internal/NodeErrors.java")))
              .filter(p -> read(p).contains("new DgramException("))
              .map(Path::toString)
              .collect(Collectors.toList());
    }
    assertEquals(List.of(), offenders, "use NodeErrors instead of new DgramException(...)");
  }

  private static String read(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

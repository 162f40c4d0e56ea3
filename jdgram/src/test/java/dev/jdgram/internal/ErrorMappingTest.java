package dev.jdgram.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The one table from errno numbers, Netty and JDK exceptions to Node's codes, row by row. */
class ErrorMappingTest {

  // ---------------------------------------------------------------- Errno

  /** Node's errno numbers are libuv's negative errno; each code is found again by its number. */
  @ParameterizedTest
  @EnumSource(Errno.class)
  void errnoNumberRoundTrips(Errno e) {
    assertEquals(e, Errno.ofNumber(e.errno()), "by negative number");
    assertEquals(e, Errno.ofNumber(-e.errno()), "by positive number");
    assertEquals(e, Errno.valueOf(e.name()), "by name");
    assertTrue(e.errno() < 0, "negative, as Node reports it");
  }

  /** Node's (libuv's) numbers on Linux for the codes dgram reports most. */
  @Test
  void errnoNumbersAreLinuxLibuvValues() {
    assertEquals(-9, Errno.EBADF.errno());
    assertEquals(-13, Errno.EACCES.errno());
    assertEquals(-22, Errno.EINVAL.errno());
    assertEquals(-90, Errno.EMSGSIZE.errno());
    assertEquals(-95, Errno.ENOTSUP.errno());
    assertEquals(-98, Errno.EADDRINUSE.errno());
    assertEquals(-99, Errno.EADDRNOTAVAIL.errno());
    assertEquals(-101, Errno.ENETUNREACH.errno());
    assertEquals(-111, Errno.ECONNREFUSED.errno());
    assertEquals(-113, Errno.EHOSTUNREACH.errno());
    assertEquals(-3008, Errno.ENOTFOUND.errno());
    assertEquals(-4094, Errno.UNKNOWN.errno());
  }

  /** An errno Node has no name for here is UNKNOWN. */
  @Test
  void unknownErrnoNumberIsUnknown() {
    assertEquals(Errno.UNKNOWN, Errno.ofNumber(-9999));
    assertEquals(Errno.UNKNOWN, Errno.ofNumber(0));
  }

  // ---------------------------------------------------------------- Netty native

  /** Netty's native transport reports the kernel's errno; it maps to the code of that number. */
  @ParameterizedTest
  @EnumSource(
      value = Errno.class,
      names = {"EAI_AGAIN", "ENOTFOUND", "UNKNOWN"},
      mode = EnumSource.Mode.EXCLUDE)
  void nativeIoExceptionMapsToItsErrno(Errno e) {
    Assumptions.assumeTrue(Epoll.isAvailable(), "Netty's native library is not available");
    Errors.NativeIoException native1 = Errors.newIOException("sendmsg", e.errno());
    assertEquals(e, ErrorMapping.toErrno(native1));
    assertEquals(e, ErrorMapping.toErrno(new ChannelException(native1)), "wrapped");
  }

  // ---------------------------------------------------------------- JDK

  static Stream<Arguments> jdkExceptions() {
    return Stream.of(
        Arguments.of(new BindException("Address already in use"), Errno.EADDRINUSE),
        Arguments.of(new BindException("Address already in use (Bind failed)"), Errno.EADDRINUSE),
        Arguments.of(new BindException("Cannot assign requested address"), Errno.EADDRNOTAVAIL),
        Arguments.of(new BindException("Permission denied"), Errno.EACCES),
        Arguments.of(new PortUnreachableException(), Errno.ECONNREFUSED),
        Arguments.of(new PortUnreachableException("ICMP Port Unreachable"), Errno.ECONNREFUSED),
        Arguments.of(new NoRouteToHostException(), Errno.EHOSTUNREACH),
        Arguments.of(new ClosedChannelException(), Errno.EBADF),
        Arguments.of(new SocketException("Message too long"), Errno.EMSGSIZE),
        Arguments.of(new SocketException("sendto failed: Message too long"), Errno.EMSGSIZE),
        Arguments.of(new SocketException("Network is unreachable"), Errno.ENETUNREACH),
        Arguments.of(new SocketException("No such device"), Errno.ENODEV),
        Arguments.of(new SocketException("Permission denied"), Errno.EACCES),
        Arguments.of(new SocketException("Socket closed"), Errno.EBADF),
        Arguments.of(new IOException("Invalid argument"), Errno.EINVAL),
        Arguments.of(
            new ChannelException(new BindException("Address already in use")), Errno.EADDRINUSE),
        Arguments.of(new CompletionException(new PortUnreachableException()), Errno.ECONNREFUSED),
        Arguments.of(
            new CompletionException(new ChannelException(new NoRouteToHostException())),
            Errno.EHOSTUNREACH),
        Arguments.of(new IOException("something odd"), Errno.UNKNOWN),
        Arguments.of(new ChannelException("something odd"), Errno.UNKNOWN),
        Arguments.of(new ChannelException(new IllegalStateException("x")), Errno.UNKNOWN),
        Arguments.of(new java.net.ConnectException("Connection refused"), Errno.ECONNREFUSED),
        Arguments.of(new java.net.ConnectException("Connection timed out"), Errno.ETIMEDOUT),
        Arguments.of(new BindException("something odd"), Errno.EADDRINUSE),
        Arguments.of(new java.nio.channels.UnsupportedAddressTypeException(), Errno.EAFNOSUPPORT),
        Arguments.of(new java.nio.channels.UnresolvedAddressException(), Errno.ENOTFOUND),
        Arguments.of(new java.nio.channels.NotYetConnectedException(), Errno.EDESTADDRREQ),
        Arguments.of(new java.nio.channels.AlreadyConnectedException(), Errno.EISCONN),
        Arguments.of(new java.nio.channels.AsynchronousCloseException(), Errno.EBADF),
        Arguments.of(Errno.ENOTSUP.failure("IPV6_V6ONLY needs epoll"), Errno.ENOTSUP),
        Arguments.of(
            new ChannelException(Errno.EADDRINUSE.failure("joined already")), Errno.EADDRINUSE),
        // The errno carried wins over a message that names another.
        Arguments.of(Errno.EINVAL.failure("Address already in use"), Errno.EINVAL));
  }

  /** The JDK reports errno as strerror text or a type; each row maps to Node's code. */
  @ParameterizedTest
  @MethodSource("jdkExceptions")
  void jdkExceptionMapsToNodeCode(Throwable failure, Errno expected) {
    assertEquals(expected, ErrorMapping.toErrno(failure), String.valueOf(failure));
  }

  /** glibc's strerror text of every code (as the JDK puts it in messages) maps back to it. */
  @ParameterizedTest
  @EnumSource(
      value = Errno.class,
      names = {"UNKNOWN"},
      mode = EnumSource.Mode.EXCLUDE)
  void strerrorTextMapsToItsCode(Errno e) {
    assertEquals(e, ErrorMapping.toErrno(new SocketException(e.strerror())));
    assertEquals(
        e, ErrorMapping.toErrno(new IOException("write(..) failed: " + e.strerror())), "inside");
  }

  /**
   * A bug (an unchecked exception that is no I/O failure, or an Error) is never given a code: it is
   * rethrown as it is, wrapped or not, so that it reaches the caller as a bug.
   */
  @ParameterizedTest
  @MethodSource("bugs")
  void bugIsRethrownNotMapped(Throwable bug) {
    Throwable thrown = assertThrows(Throwable.class, () -> ErrorMapping.toErrno(bug));
    assertSame(bug, thrown);
  }

  static Stream<Throwable> bugs() {
    return Stream.of(
        new IllegalArgumentException("bad argument"),
        new UnsupportedOperationException("IP_TTL"),
        new NullPointerException(),
        new RuntimeException("something else"),
        new CompletionException(new IllegalStateException("wrapped")),
        new AssertionError("not an I/O failure"));
  }

  /** A checked exception that is no I/O failure is a failure the call declared: UNKNOWN. */
  @Test
  void checkedNonIoFailureIsUnknown() {
    assertEquals(Errno.UNKNOWN, ErrorMapping.toErrno(new java.util.concurrent.TimeoutException()));
  }

  /** No failure at all has no code. */
  @Test
  void nullFailureIsUnknown() {
    assertEquals(Errno.UNKNOWN, ErrorMapping.toErrno(null));
  }
}

package dev.jdgram.internal;

import io.netty.channel.ChannelException;
import io.netty.channel.unix.Errors;
import io.netty.util.internal.OutOfDirectMemoryError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * Translates the failures of Netty and the JDK into an {@link Errno}; {@link NodeErrors} then
 * builds Node's error from it. The rules, tried on the failure and then on each cause in turn:
 *
 * <ol>
 *   <li>An errno carried by the exception: Netty's native {@link Errors.NativeIoException} (the
 *       kernel's errno) and jdgram's own {@link ErrnoIOException}.
 *   <li>A JDK type that stands for one errno: {@link PortUnreachableException} ECONNREFUSED, {@link
 *       NoRouteToHostException} EHOSTUNREACH, {@link ClosedChannelException} EBADF, {@link
 *       NotYetConnectedException} EDESTADDRREQ, {@link UnsupportedAddressTypeException}
 *       EAFNOSUPPORT, {@link UnresolvedAddressException} ENOTFOUND.
 *   <li>Only then the message of an {@link IOException} or {@link ChannelException}: the JDK keeps
 *       no errno, and its types ({@link BindException}, {@code ConnectException}, {@code
 *       SocketException}) each stand for several, but its message is glibc's {@code strerror} of
 *       the errno, so the text is the one exact trace left. A {@link BindException} without a known
 *       text is EADDRINUSE.
 *   <li>Any other I/O failure (an {@link IOException} or {@link ChannelException} somewhere in the
 *       chain) is {@link Errno#UNKNOWN}, as libuv's {@code UV_UNKNOWN}.
 * </ol>
 *
 * <p>Anything else is not an I/O failure but a bug (an {@code IllegalArgumentException}, an {@code
 * UnsupportedOperationException}, a {@code NullPointerException} from jdgram, Netty or the JDK): it
 * is rethrown as it is, never dressed up as a Node error. Code that means a Node error throws it
 * from {@link NodeErrors}, or an {@link ErrnoIOException} where only the errno is known.
 */
public final class ErrorMapping {
  private ErrorMapping() {}

  /** How deep into a chain of causes the rules look; wrappers nest a few levels at most. */
  private static final int MAX_DEPTH = 8;

  /**
   * Returns the errno of an I/O failure, looking through wrapping exceptions to the cause.
   *
   * @param failure the failure, or null ({@link Errno#UNKNOWN})
   * @return the errno, or {@link Errno#UNKNOWN} for an I/O failure no rule names
   * @throws RuntimeException the failure itself when it is an unchecked exception and no I/O
   *     failure: a bug, which must reach its caller as one
   * @throws Error the failure itself when it is an {@link Error}
   */
  public static Errno toErrno(Throwable failure) {
    boolean io = false;
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      Errno e = carried(t);
      if (e == null) {
        e = byType(t);
      }
      if (e == null && isIo(t) && t.getMessage() != null) {
        e = byStrerror(t.getMessage());
      }
      if (e == null && t instanceof BindException) {
        e = Errno.EADDRINUSE; // the JDK's bind failure whose text we do not know
      }
      if (e != null) {
        return e;
      }
      io |= isIo(t);
    }
    if (io || failure == null) {
      return Errno.UNKNOWN;
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    return Errno.UNKNOWN; // a checked exception the call declared: a failure, if not an I/O one
  }

  private static boolean isIo(Throwable t) {
    return t instanceof IOException
        || t instanceof ChannelException
        || t instanceof UncheckedIOException;
  }

  /** Rule 1: the errno the exception carries. */
  private static Errno carried(Throwable t) {
    if (t instanceof Errors.NativeIoException) {
      return Errno.ofNumber(((Errors.NativeIoException) t).expectedErr());
    }
    if (t instanceof ErrnoIOException) {
      return ((ErrnoIOException) t).errno();
    }
    return null;
  }

  /** Rule 2: a JDK type that stands for exactly one errno. */
  private static Errno byType(Throwable t) {
    if (t instanceof PortUnreachableException) {
      return Errno.ECONNREFUSED; // ICMP port unreachable, reported on the next receive or send
    }
    if (t instanceof NoRouteToHostException) {
      return Errno.EHOSTUNREACH; // the JDK throws it for EHOSTUNREACH only
    }
    if (t instanceof ClosedChannelException) {
      return Errno.EBADF; // the descriptor is gone, as libuv reports a closed handle
    }
    if (t instanceof AlreadyConnectedException) {
      return Errno.EISCONN; // NIO: a connect that found the channel still connected
    }
    if (t instanceof NotYetConnectedException) {
      return Errno.EDESTADDRREQ; // a connected send raced with disconnect(): the kernel's answer
    }
    if (t instanceof UnsupportedAddressTypeException) {
      return Errno.EAFNOSUPPORT;
    }
    if (t instanceof UnresolvedAddressException) {
      return Errno.ENOTFOUND;
    }
    if (isDirectMemoryExhausted(t)) {
      return Errno.ENOBUFS; // no memory for an I/O buffer: as the kernel answers without any
    }
    return null;
  }

  /**
   * Whether {@code t} says the direct-memory limit is reached (Netty's own count, or the JDK's
   * {@code -XX:MaxDirectMemorySize}), not that the heap is gone.
   */
  static boolean isDirectMemoryExhausted(Throwable t) {
    return t instanceof OutOfDirectMemoryError
        || (t instanceof OutOfMemoryError
            && String.valueOf(t.getMessage()).contains("direct buffer memory"));
  }

  /**
   * Rule 3: the code whose glibc text the message contains (the longest match wins, so that "Too
   * many open files in system" is ENFILE, not EMFILE); "Socket closed" is the JDK's own text for
   * EBADF.
   */
  static Errno byStrerror(String message) {
    Errno best = null;
    for (Errno e : Errno.values()) {
      if (e != Errno.UNKNOWN
          && message.contains(e.strerror())
          && (best == null || e.strerror().length() > best.strerror().length())) {
        best = e;
      }
    }
    if (best == null
        && (message.contains("Socket closed") || message.contains("Socket is closed"))) {
      return Errno.EBADF;
    }
    return best;
  }
}

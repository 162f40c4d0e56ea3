package dev.jdgram.internal;

import io.netty.channel.ChannelException;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * The one table from Netty, JDK and errno failures to Node's system error codes.
 *
 * <p>Netty's native transport reports the kernel's errno exactly ({@link
 * Errors.NativeIoException#expectedErr()}); the JDK reports only glibc's {@code strerror} text in
 * its messages, so those are matched by text, and a few exception types stand for one code.
 */
public final class ErrorMapping {
  private ErrorMapping() {}

  /** Returns the Node code for a failure, looking through wrapping exceptions to the cause. */
  public static Errno toErrno(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      Errno e = direct(t);
      if (e != null) {
        return e;
      }
    }
    return Errno.UNKNOWN;
  }

  private static Errno direct(Throwable t) {
    if (t instanceof Errors.NativeIoException) {
      return Errno.ofNumber(((Errors.NativeIoException) t).expectedErr());
    }
    if (t instanceof PortUnreachableException) {
      return Errno.ECONNREFUSED;
    }
    if (t instanceof NoRouteToHostException) {
      return Errno.EHOSTUNREACH;
    }
    if (t instanceof ClosedChannelException) {
      return Errno.EBADF;
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
    if (t instanceof UnsupportedOperationException) {
      return Errno.ENOTSUP;
    }
    String message = t.getMessage();
    if (message != null && (t instanceof IOException || t instanceof ChannelException)) {
      Errno byText = byStrerror(message);
      if (byText != null) {
        return byText;
      }
    }
    if (t instanceof BindException) {
      return Errno.EADDRINUSE;
    }
    if (t instanceof IllegalArgumentException) {
      return Errno.EINVAL;
    }
    return null;
  }

  /** Finds the code whose glibc text the message contains (the longest match wins). */
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

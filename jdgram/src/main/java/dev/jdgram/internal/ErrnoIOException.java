package dev.jdgram.internal;

import java.io.IOException;

/**
 * An I/O failure that carries its errno, as Netty's {@code Errors.NativeIoException} does: thrown
 * where jdgram itself knows the kernel's (or libuv's) answer, chiefly the NIO transport refusing
 * what the JDK cannot do ({@code ENOTSUP}) or answering for the kernel (a double join is {@code
 * EADDRINUSE}). {@link ErrorMapping} reads the errno, never the message. Made by {@link
 * Errno#failure(String)}.
 */
final class ErrnoIOException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Errno errno;

  ErrnoIOException(Errno errno, String detail, Throwable cause) {
    super(errno.name() + ": " + detail, cause);
    this.errno = errno;
  }

  Errno errno() {
    return errno;
  }
}

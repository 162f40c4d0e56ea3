package dev.jdgram.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Node's system error codes on Linux: the name, libuv's negative errno, libuv's description (used
 * in {@code ERR_SOCKET_BUFFER_SIZE}'s message) and glibc's {@code strerror} text (which the JDK
 * puts into its exception messages, the only trace of the errno some of them keep; see {@link
 * ErrorMapping}). The Node errors built from these are in {@link NodeErrors}.
 */
public enum Errno {
  EPERM(-1, "operation not permitted", "Operation not permitted"),
  ENOENT(-2, "no such file or directory", "No such file or directory"),
  EINTR(-4, "interrupted system call", "Interrupted system call"),
  EIO(-5, "i/o error", "Input/output error"),
  EBADF(-9, "bad file descriptor", "Bad file descriptor"),
  EAGAIN(-11, "resource temporarily unavailable", "Resource temporarily unavailable"),
  ENOMEM(-12, "not enough memory", "Cannot allocate memory"),
  EACCES(-13, "permission denied", "Permission denied"),
  EFAULT(-14, "bad address in system call argument", "Bad address"),
  EBUSY(-16, "resource busy or locked", "Device or resource busy"),
  ENODEV(-19, "no such device", "No such device"),
  EINVAL(-22, "invalid argument", "Invalid argument"),
  ENFILE(-23, "file table overflow", "Too many open files in system"),
  EMFILE(-24, "too many open files", "Too many open files"),
  ENOSPC(-28, "no space left on device", "No space left on device"),
  EPIPE(-32, "broken pipe", "Broken pipe"),
  ENOTSOCK(-88, "socket operation on non-socket", "Socket operation on non-socket"),
  EDESTADDRREQ(-89, "destination address required", "Destination address required"),
  EMSGSIZE(-90, "message too long", "Message too long"),
  EPROTOTYPE(-91, "protocol wrong type for socket", "Protocol wrong type for socket"),
  ENOPROTOOPT(-92, "protocol not available", "Protocol not available"),
  EPROTONOSUPPORT(-93, "protocol not supported", "Protocol not supported"),
  ENOTSUP(-95, "operation not supported on socket", "Operation not supported"),
  EAFNOSUPPORT(-97, "address family not supported", "Address family not supported by protocol"),
  EADDRINUSE(-98, "address already in use", "Address already in use"),
  EADDRNOTAVAIL(-99, "address not available", "Cannot assign requested address"),
  ENETDOWN(-100, "network is down", "Network is down"),
  ENETUNREACH(-101, "network is unreachable", "Network is unreachable"),
  ECONNRESET(-104, "connection reset by peer", "Connection reset by peer"),
  ENOBUFS(-105, "no buffer space available", "No buffer space available"),
  EISCONN(-106, "socket is already connected", "Transport endpoint is already connected"),
  ENOTCONN(-107, "socket is not connected", "Transport endpoint is not connected"),
  ETIMEDOUT(-110, "connection timed out", "Connection timed out"),
  ECONNREFUSED(-111, "connection refused", "Connection refused"),
  EHOSTDOWN(-112, "host is down", "Host is down"),
  EHOSTUNREACH(-113, "host is unreachable", "No route to host"),
  EALREADY(-114, "connection already in progress", "Operation already in progress"),
  ECANCELED(-125, "operation canceled", "Operation canceled"),
  /** getaddrinfo's EAI_AGAIN, as Node names it. */
  EAI_AGAIN(-3001, "temporary failure", "Temporary failure in name resolution"),
  /** getaddrinfo's EAI_NONAME, which Node reports as ENOTFOUND. */
  ENOTFOUND(-3008, "unknown node or service", "Name or service not known"),
  UNKNOWN(-4094, "unknown error", "Unknown error");

  private static final Map<Integer, Errno> BY_NUMBER = new HashMap<>();

  static {
    for (Errno e : values()) {
      BY_NUMBER.put(e.errno, e);
    }
    // EOPNOTSUPP and ENOTSUP are the same number on Linux; Node reports ENOTSUP.
  }

  private final int errno;
  private final String description;
  private final String strerror;

  Errno(int errno, String description, String strerror) {
    this.errno = errno;
    this.description = description;
    this.strerror = strerror;
  }

  /** Node's negative errno. */
  public int errno() {
    return errno;
  }

  /** libuv's description, as in {@code uv_strerror}. */
  public String description() {
    return description;
  }

  /** glibc's {@code strerror} text, as it appears in JDK and Netty exception messages. */
  public String strerror() {
    return strerror;
  }

  /**
   * An I/O failure with this errno, for code that knows the answer itself (see {@link
   * ErrnoIOException}); {@code detail} says why, for the stack trace only.
   */
  ErrnoIOException failure(String detail) {
    return new ErrnoIOException(this, detail, null);
  }

  /** As {@link #failure(String)}, keeping the exception that stands for this errno. */
  ErrnoIOException failure(String detail, Throwable cause) {
    return new ErrnoIOException(this, detail, cause);
  }

  /**
   * Finds the code for a negative (or positive) errno number.
   *
   * @return the code, or {@link #UNKNOWN}
   */
  public static Errno ofNumber(int errno) {
    Errno e = BY_NUMBER.get(errno > 0 ? -errno : errno);
    return e == null ? UNKNOWN : e;
  }
}

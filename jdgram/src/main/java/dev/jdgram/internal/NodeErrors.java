package dev.jdgram.internal;

import dev.jdgram.DgramException;

/** Factories for the errors Node's dgram module raises, with Node's codes and messages. */
public final class NodeErrors {
  private NodeErrors() {}

  public static DgramException notRunning() {
    return new DgramException("ERR_SOCKET_DGRAM_NOT_RUNNING", "Not running");
  }

  public static DgramException alreadyBound() {
    return new DgramException("ERR_SOCKET_ALREADY_BOUND", "Socket is already bound");
  }

  public static DgramException badType() {
    return new DgramException(
        "ERR_SOCKET_BAD_TYPE", "Bad socket type specified. Valid types are: udp4, udp6");
  }

  public static DgramException isConnected() {
    return new DgramException("ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected");
  }

  public static DgramException notConnected() {
    return new DgramException("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected");
  }

  public static DgramException badBufferSize() {
    return new DgramException(
        "ERR_SOCKET_BAD_BUFFER_SIZE", "Buffer size must be a positive integer");
  }

  /** Node's validatePort failure; {@code received} is Node's description of the value. */
  public static DgramException badPort(String name, boolean allowZero, String received) {
    return new DgramException(
        "ERR_SOCKET_BAD_PORT",
        name
            + " should be "
            + (allowZero ? ">=" : ">")
            + " 0 and < 65536. Received "
            + received
            + ".");
  }

  /** {@code ERR_SOCKET_BAD_PORT} for an int port, described as Node describes a number. */
  public static DgramException badPort(String name, boolean allowZero, int port) {
    return badPort(name, allowZero, "type number (" + port + ")");
  }

  public static DgramException missingArgs(String name) {
    return new DgramException(
        "ERR_MISSING_ARGS", "The \"" + name + "\" argument must be specified");
  }

  /** Node's ERR_INVALID_ARG_TYPE for a null where a value of {@code type} is required. */
  public static DgramException invalidArgTypeNull(String name, String type) {
    return new DgramException(
        "ERR_INVALID_ARG_TYPE",
        "The \"" + name + "\" argument must be " + type + ". Received " + "null");
  }

  /** Node's ERR_INVALID_ARG_TYPE with an already-described received value. */
  public static DgramException invalidArgType(String name, String type, String received) {
    return new DgramException(
        "ERR_INVALID_ARG_TYPE",
        "The \"" + name + "\" argument must be " + type + ". Received " + received);
  }

  public static DgramException invalidArgValue(String name, String valueDescription, String why) {
    return new DgramException(
        "ERR_INVALID_ARG_VALUE",
        "The argument '" + name + "' " + why + ". Received " + valueDescription);
  }

  public static DgramException outOfRange(String name, String range, String received) {
    return new DgramException(
        "ERR_OUT_OF_RANGE",
        "The value of \""
            + name
            + "\" is out of range. It must be "
            + range
            + ". Received "
            + received);
  }

  public static DgramException ipBlocked(String ip) {
    return new DgramException("ERR_IP_BLOCKED", "IP(" + ip + ") is blocked by net.BlockList");
  }

  /** Node's ErrnoException: message {@code "<syscall> <CODE>"}. */
  public static DgramException errno(Errno e, String syscall, Throwable cause) {
    return new DgramException(
        e.name(), syscall + " " + e.name(), e.errno(), syscall, null, null, null, cause);
  }

  /**
   * Node's ExceptionWithHostPort: message {@code "<syscall> <CODE> <address>:<port>"}, or without
   * the port when it is 0, as Node omits it.
   */
  public static DgramException withHostPort(
      Errno e, String syscall, String address, int port, Throwable cause) {
    String details = "";
    if (port > 0) {
      details = " " + address + ":" + port;
    } else if (address != null && !address.isEmpty()) {
      details = " " + address;
    }
    return new DgramException(
        e.name(),
        syscall + " " + e.name() + details,
        e.errno(),
        syscall,
        address,
        port > 0 ? port : null,
        null,
        cause);
  }

  /** Node's ERR_SOCKET_BUFFER_SIZE, a SystemError naming libuv's call. */
  public static DgramException bufferSize(Errno e, boolean recv, Throwable cause) {
    String syscall = recv ? "uv_recv_buffer_size" : "uv_send_buffer_size";
    return new DgramException(
        "ERR_SOCKET_BUFFER_SIZE",
        "Could not get or set buffer size: "
            + syscall
            + " returned "
            + e.name()
            + " ("
            + e.description()
            + ")",
        e.errno(),
        syscall,
        null,
        null,
        null,
        cause);
  }

  /** A failed DNS lookup, as Node's dns.lookup reports it. */
  public static DgramException lookupFailed(Errno e, String hostname, Throwable cause) {
    return new DgramException(
        e.name(),
        "getaddrinfo " + e.name() + " " + hostname,
        e.errno(),
        "getaddrinfo",
        null,
        null,
        hostname,
        cause);
  }
}

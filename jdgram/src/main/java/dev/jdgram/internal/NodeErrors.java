package dev.jdgram.internal;

import dev.jdgram.DgramException;

/**
 * The error table: every error jdgram throws or emits is built here, with Node's code, message and
 * details. Nothing else in jdgram calls {@code new DgramException} ({@code NodeErrorsTest} checks
 * the sources); the system errors' numbers and texts are in {@link Errno}, and the translation of
 * Netty and JDK exceptions to an {@link Errno} is in {@link ErrorMapping}.
 *
 * <p>Node's errors come in two kinds. Argument and state errors ({@code ERR_*}, from Node's {@code
 * lib/internal/errors.js}) have a code and a message only: {@code errno}, {@code syscall}, {@code
 * address} and {@code port} are null. System errors (from libuv) carry Node's negative errno, the
 * failed call and, where Node gives them, the address and port.
 *
 * <table>
 *   <caption>Node's codes and their messages</caption>
 *   <tr><th>Factory</th><th>Code</th><th>Message</th><th>errno, syscall, address, port</th></tr>
 *   <tr><td>{@link #notRunning}</td><td>ERR_SOCKET_DGRAM_NOT_RUNNING</td>
 *       <td>{@code Not running}</td><td>none</td></tr>
 *   <tr><td>{@link #alreadyBound}</td><td>ERR_SOCKET_ALREADY_BOUND</td>
 *       <td>{@code Socket is already bound}</td><td>none</td></tr>
 *   <tr><td>{@link #badType}</td><td>ERR_SOCKET_BAD_TYPE</td>
 *       <td>{@code Bad socket type specified. Valid types are: udp4, udp6}</td><td>none</td></tr>
 *   <tr><td>{@link #isConnected}</td><td>ERR_SOCKET_DGRAM_IS_CONNECTED</td>
 *       <td>{@code Already connected}</td><td>none</td></tr>
 *   <tr><td>{@link #notConnected}</td><td>ERR_SOCKET_DGRAM_NOT_CONNECTED</td>
 *       <td>{@code Not connected}</td><td>none</td></tr>
 *   <tr><td>{@link #badBufferSize}</td><td>ERR_SOCKET_BAD_BUFFER_SIZE</td>
 *       <td>{@code Buffer size must be a positive integer}</td><td>none</td></tr>
 *   <tr><td>{@link #badPort}</td><td>ERR_SOCKET_BAD_PORT</td>
 *       <td>{@code <name> should be >= 0 and < 65536. Received <value>.} ({@code > 0} when 0 is
 *       not allowed)</td><td>none</td></tr>
 *   <tr><td>{@link #missingArgs}</td><td>ERR_MISSING_ARGS</td>
 *       <td>{@code The "<name>" argument must be specified}</td><td>none</td></tr>
 *   <tr><td>{@link #invalidArgType}, {@link #invalidArgTypeNull}</td><td>ERR_INVALID_ARG_TYPE</td>
 *       <td>{@code The "<name>" argument must be <type>. Received <value>}</td><td>none</td></tr>
 *   <tr><td>{@link #invalidArgValue}</td><td>ERR_INVALID_ARG_VALUE</td>
 *       <td>{@code The argument '<name>' <reason>. Received <value>} ({@code property} for a
 *       dotted name)</td><td>none</td></tr>
 *   <tr><td>{@link #outOfRange}</td><td>ERR_OUT_OF_RANGE</td>
 *       <td>{@code The value of "<name>" is out of range. It must be <range>. Received <value>}
 *       </td><td>none</td></tr>
 *   <tr><td>{@link #bufferOutOfBounds}</td><td>ERR_BUFFER_OUT_OF_BOUNDS</td>
 *       <td>{@code "<name>" is outside of buffer bounds}</td><td>none</td></tr>
 *   <tr><td>{@link #invalidAddress}</td><td>ERR_INVALID_ADDRESS</td>
 *       <td>{@code Invalid socket address}</td><td>none</td></tr>
 *   <tr><td>{@link #invalidFdType}</td><td>ERR_INVALID_FD_TYPE</td>
 *       <td>{@code Unsupported fd type: <TCP|FILE|UNKNOWN>}</td><td>none</td></tr>
 *   <tr><td>{@link #ipBlocked}</td><td>ERR_IP_BLOCKED</td>
 *       <td>{@code IP(<ip>) is blocked by net.BlockList}</td><td>none</td></tr>
 *   <tr><td>{@link #abortError}</td><td>ABORT_ERR</td>
 *       <td>{@code This operation was aborted}</td><td>none; the reason as cause</td></tr>
 *   <tr><td>{@link #errno}</td><td>the errno's name ({@code EBADF}, ...)</td>
 *       <td>{@code <syscall> <CODE>} (Node's ErrnoException)</td>
 *       <td>errno, syscall</td></tr>
 *   <tr><td>{@link #withHostPort}</td><td>the errno's name</td>
 *       <td>{@code <syscall> <CODE> <address>:<port>}, without {@code :<port>} for port 0
 *       (Node's ExceptionWithHostPort)</td><td>errno, syscall, address, port (null for 0)</td></tr>
 *   <tr><td>{@link #bufferSize}</td><td>ERR_SOCKET_BUFFER_SIZE</td>
 *       <td>{@code Could not get or set buffer size: <call> returned <CODE> (<description>)}</td>
 *       <td>errno; syscall {@code uv_recv_buffer_size} or {@code uv_send_buffer_size}</td></tr>
 *   <tr><td>{@link #lookupFailed}</td><td>the errno's name ({@code ENOTFOUND}, ...)</td>
 *       <td>{@code getaddrinfo <CODE> <hostname>}</td>
 *       <td>errno, syscall {@code getaddrinfo}, hostname</td></tr>
 * </table>
 */
public final class NodeErrors {
  private NodeErrors() {}

  // ---- Argument and state errors: code and message only. ----

  public static DgramException notRunning() {
    return nodeError("ERR_SOCKET_DGRAM_NOT_RUNNING", "Not running");
  }

  public static DgramException alreadyBound() {
    return nodeError("ERR_SOCKET_ALREADY_BOUND", "Socket is already bound");
  }

  public static DgramException badType() {
    return nodeError(
        "ERR_SOCKET_BAD_TYPE", "Bad socket type specified. Valid types are: udp4, udp6");
  }

  public static DgramException isConnected() {
    return nodeError("ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected");
  }

  public static DgramException notConnected() {
    return nodeError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected");
  }

  public static DgramException badBufferSize() {
    return nodeError("ERR_SOCKET_BAD_BUFFER_SIZE", "Buffer size must be a positive integer");
  }

  /** Node's validatePort failure; {@code received} is Node's description of the value. */
  public static DgramException badPort(String name, boolean allowZero, String received) {
    return nodeError(
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
    return nodeError("ERR_MISSING_ARGS", "The \"" + name + "\" argument must be specified");
  }

  /** Node's ERR_INVALID_ARG_TYPE for a null where a value of {@code type} is required. */
  public static DgramException invalidArgTypeNull(String name, String type) {
    return invalidArgType(name, type, "null");
  }

  /** Node's ERR_INVALID_ARG_TYPE with an already-described received value. */
  public static DgramException invalidArgType(String name, String type, String received) {
    return nodeError(
        "ERR_INVALID_ARG_TYPE",
        "The \"" + name + "\" argument must be " + type + ". Received " + received);
  }

  /**
   * Node's ERR_INVALID_ARG_VALUE: {@code reason} such as {@code "is invalid"}, {@code received} as
   * Node's {@code inspect} prints the value. A dotted name ({@code options.family}) is a property,
   * as Node words it.
   */
  public static DgramException invalidArgValue(String name, String received, String reason) {
    String kind = name.contains(".") ? "property" : "argument";
    return nodeError(
        "ERR_INVALID_ARG_VALUE",
        "The " + kind + " '" + name + "' " + reason + ". Received " + received);
  }

  /** Node's ERR_OUT_OF_RANGE: {@code range} such as {@code ">= 0 && <= 32"}. */
  public static DgramException outOfRange(String name, String range, String received) {
    return nodeError(
        "ERR_OUT_OF_RANGE",
        "The value of \""
            + name
            + "\" is out of range. It must be "
            + range
            + ". Received "
            + received);
  }

  /** Node's ERR_BUFFER_OUT_OF_BOUNDS for a named offset or length. */
  public static DgramException bufferOutOfBounds(String name) {
    return nodeError("ERR_BUFFER_OUT_OF_BOUNDS", "\"" + name + "\" is outside of buffer bounds");
  }

  /** Node's ERR_INVALID_ADDRESS, as {@code new SocketAddress()} throws it for a bad literal. */
  public static DgramException invalidAddress() {
    return nodeError("ERR_INVALID_ADDRESS", "Invalid socket address");
  }

  /** Node's ERR_INVALID_FD_TYPE; {@code kind} is libuv's guess: TCP, FILE or UNKNOWN. */
  public static DgramException invalidFdType(String kind) {
    return nodeError("ERR_INVALID_FD_TYPE", "Unsupported fd type: " + kind);
  }

  public static DgramException ipBlocked(String ip) {
    return nodeError("ERR_IP_BLOCKED", "IP(" + ip + ") is blocked by net.BlockList");
  }

  /** Node's AbortError; {@code cause} is the abort reason when it is a Throwable, else null. */
  public static DgramException abortError(Throwable cause) {
    return new DgramException(
        "ABORT_ERR", "This operation was aborted", null, null, null, null, null, cause);
  }

  private static DgramException nodeError(String code, String message) {
    return new DgramException(code, message);
  }

  // ---- System errors: an Errno, the failed call and, where Node has them, address and port. ----

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

package dev.jdgram;

/**
 * Every error that jdgram throws or emits: Node's {@code Error} with its {@code code}, and for
 * system errors its {@code errno}, {@code syscall}, {@code address} and {@code port}.
 *
 * <p>The message is Node's text: {@code "Not running"}, {@code "Socket is already bound"}, {@code
 * "bind EADDRINUSE 0.0.0.0:41234"}, {@code "send EMSGSIZE 127.0.0.1:9"}.
 *
 * @since 0.1.0
 */
public class DgramException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final Integer errno;
  private final String syscall;
  private final String address;
  private final Integer port;
  private final String hostname;

  /**
   * Creates an error with Node's code and message and no system details.
   *
   * @param code Node's code, such as {@code "ERR_SOCKET_BAD_PORT"}
   * @param message Node's message
   */
  public DgramException(String code, String message) {
    this(code, message, null, null, null, null, null, null);
  }

  /**
   * Creates an error with every detail Node's errors can carry.
   *
   * @param code Node's code, such as {@code "EADDRINUSE"}
   * @param message Node's message, such as {@code "bind EADDRINUSE 0.0.0.0:41234"}
   * @param errno Node's negative errno, or null
   * @param syscall the failed system call, or null
   * @param address the address involved, or null
   * @param port the port involved, or null
   * @param hostname the host name that failed to resolve, or null
   * @param cause the underlying failure, or null
   */
  public DgramException(
      String code,
      String message,
      Integer errno,
      String syscall,
      String address,
      Integer port,
      String hostname,
      Throwable cause) {
    super(message, cause);
    this.code = code;
    this.errno = errno;
    this.syscall = syscall;
    this.address = address;
    this.port = port;
    this.hostname = hostname;
  }

  /**
   * Returns Node's error code.
   *
   * @return the code, such as {@code "ERR_SOCKET_DGRAM_NOT_RUNNING"} or {@code "EADDRINUSE"}
   */
  public String code() {
    return code;
  }

  /**
   * Returns Node's negative errno for a system error.
   *
   * @return the errno, such as -98 for {@code EADDRINUSE}, or null when Node has none
   */
  public Integer errno() {
    return errno;
  }

  /**
   * Returns the system call that failed.
   *
   * @return the call, such as {@code "bind"}, or null when Node has none
   */
  public String syscall() {
    return syscall;
  }

  /**
   * Returns the address involved in the failure.
   *
   * @return the address, or null when Node has none
   */
  public String address() {
    return address;
  }

  /**
   * Returns the port involved in the failure.
   *
   * @return the port, or null when Node has none (Node omits a port of 0)
   */
  public Integer port() {
    return port;
  }

  /**
   * Returns the host name that failed to resolve, for {@code ENOTFOUND} and other lookup errors.
   *
   * @return the host name, or null
   */
  public String hostname() {
    return hostname;
  }

  @Override
  public String toString() {
    return "DgramException [" + code + "]: " + getMessage();
  }
}

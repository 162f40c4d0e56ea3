package dev.jdgram;

/**
 * The options of {@link DgramSocket#bind(BindOptions)}: Node's {@code bind(options)}. Immutable;
 * every setter returns a new instance.
 *
 * <pre>{@code
 * socket.bind(BindOptions.of().address("localhost").port(8000).exclusive(true));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class BindOptions {
  private final int port;
  private final String address;
  private final boolean exclusive;
  private final int fd;

  private BindOptions(int port, String address, boolean exclusive, int fd) {
    this.port = port;
    this.address = address;
    this.exclusive = exclusive;
    this.fd = fd;
  }

  /**
   * Starts bind options: port 0 (random), all interfaces, not exclusive, no fd.
   *
   * @return the defaults
   */
  public static BindOptions of() {
    return new BindOptions(0, null, false, 0);
  }

  /**
   * Sets the port; 0 lets the system pick one.
   *
   * @param port the port, 0 to 65535 (checked by bind)
   * @return new options
   */
  public BindOptions port(int port) {
    return new BindOptions(port, address, exclusive, fd);
  }

  /**
   * Returns the port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Sets the address (an IP literal or a host name for the socket's lookup); null for all.
   *
   * @param address the address
   * @return new options
   */
  public BindOptions address(String address) {
    return new BindOptions(port, address, exclusive, fd);
  }

  /**
   * Returns the address.
   *
   * @return the address, or null for all interfaces
   */
  public String address() {
    return address;
  }

  /**
   * Sets Node's {@code exclusive} flag. It governs handle sharing between Node cluster workers; a
   * JVM has no such workers, so every jdgram socket is exclusive and the flag changes nothing.
   *
   * @param exclusive the flag
   * @return new options
   */
  public BindOptions exclusive(boolean exclusive) {
    return new BindOptions(port, address, exclusive, fd);
  }

  /**
   * Returns the exclusive flag.
   *
   * @return the flag
   */
  public boolean exclusive() {
    return exclusive;
  }

  /**
   * Sets a file descriptor of an open UDP socket to adopt instead of binding (port and address are
   * then ignored). Values of 0 or less mean none, as in Node.
   *
   * @param fd the descriptor
   * @return new options
   */
  public BindOptions fd(int fd) {
    return new BindOptions(port, address, exclusive, fd);
  }

  /**
   * Returns the file descriptor to adopt.
   *
   * @return the descriptor, or 0 or less for none
   */
  public int fd() {
    return fd;
  }
}

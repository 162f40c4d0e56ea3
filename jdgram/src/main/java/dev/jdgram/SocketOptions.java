package dev.jdgram;

/**
 * The options of {@link Dgram#createSocket(SocketOptions)}: Node's {@code createSocket(options)}.
 * Immutable; every setter returns a new instance, so one value may be shared and reused.
 *
 * <pre>{@code
 * SocketOptions.of("udp4").reuseAddr(true).recvBufferSize(1 << 20)
 * }</pre>
 */
public final class SocketOptions {
  private final String type;
  private final boolean reuseAddr;
  private final boolean reusePort;
  private final boolean ipv6Only;
  private final int recvBufferSize;
  private final int sendBufferSize;
  private final Lookup lookup;
  private final AbortSignal signal;
  private final BlockList receiveBlockList;
  private final BlockList sendBlockList;

  private SocketOptions(
      String type,
      boolean reuseAddr,
      boolean reusePort,
      boolean ipv6Only,
      int recvBufferSize,
      int sendBufferSize,
      Lookup lookup,
      AbortSignal signal,
      BlockList receiveBlockList,
      BlockList sendBlockList) {
    this.type = type;
    this.reuseAddr = reuseAddr;
    this.reusePort = reusePort;
    this.ipv6Only = ipv6Only;
    this.recvBufferSize = recvBufferSize;
    this.sendBufferSize = sendBufferSize;
    this.lookup = lookup;
    this.signal = signal;
    this.receiveBlockList = receiveBlockList;
    this.sendBlockList = sendBlockList;
  }

  /**
   * Starts options for a socket of the given type; the type is checked by {@code createSocket}.
   *
   * @param type {@code "udp4"} or {@code "udp6"}
   * @return options with Node's defaults
   */
  public static SocketOptions of(String type) {
    return new SocketOptions(type, false, false, false, 0, 0, null, null, null, null);
  }

  /**
   * Returns the socket type.
   *
   * @return {@code "udp4"} or {@code "udp6"} (or whatever was given, until checked)
   */
  public String type() {
    return type;
  }

  /**
   * Sets SO_REUSEADDR at bind, so several sockets may bind one address and port.
   *
   * @param on whether to reuse the address; default false
   * @return new options
   */
  public SocketOptions reuseAddr(boolean on) {
    return new SocketOptions(
        type,
        on,
        reusePort,
        ipv6Only,
        recvBufferSize,
        sendBufferSize,
        lookup,
        signal,
        receiveBlockList,
        sendBlockList);
  }

  /**
   * Returns whether SO_REUSEADDR is set at bind.
   *
   * @return the flag
   */
  public boolean reuseAddr() {
    return reuseAddr;
  }

  /**
   * Sets SO_REUSEPORT at bind: the kernel spreads datagrams across the sockets bound to one port.
   *
   * @param on whether to reuse the port; default false
   * @return new options
   */
  public SocketOptions reusePort(boolean on) {
    return new SocketOptions(
        type,
        reuseAddr,
        on,
        ipv6Only,
        recvBufferSize,
        sendBufferSize,
        lookup,
        signal,
        receiveBlockList,
        sendBlockList);
  }

  /**
   * Returns whether SO_REUSEPORT is set at bind.
   *
   * @return the flag
   */
  public boolean reusePort() {
    return reusePort;
  }

  /**
   * Sets IPV6_V6ONLY for a udp6 socket: binding {@code ::} then does not also bind {@code 0.0.0.0}.
   *
   * @param on whether to disable dual-stack; default false
   * @return new options
   */
  public SocketOptions ipv6Only(boolean on) {
    return new SocketOptions(
        type,
        reuseAddr,
        reusePort,
        on,
        recvBufferSize,
        sendBufferSize,
        lookup,
        signal,
        receiveBlockList,
        sendBlockList);
  }

  /**
   * Returns whether IPV6_V6ONLY is set.
   *
   * @return the flag
   */
  public boolean ipv6Only() {
    return ipv6Only;
  }

  /**
   * Sets SO_RCVBUF once the socket is bound; 0 leaves the system default.
   *
   * @param bytes the receive buffer size
   * @return new options
   * @throws DgramException {@code ERR_OUT_OF_RANGE} if negative
   */
  public SocketOptions recvBufferSize(int bytes) {
    checkSize("recvBufferSize", bytes);
    return new SocketOptions(
        type,
        reuseAddr,
        reusePort,
        ipv6Only,
        bytes,
        sendBufferSize,
        lookup,
        signal,
        receiveBlockList,
        sendBlockList);
  }

  /**
   * Returns the SO_RCVBUF size to set at bind, 0 for none.
   *
   * @return the size
   */
  public int recvBufferSize() {
    return recvBufferSize;
  }

  /**
   * Sets SO_SNDBUF once the socket is bound; 0 leaves the system default.
   *
   * @param bytes the send buffer size
   * @return new options
   * @throws DgramException {@code ERR_OUT_OF_RANGE} if negative
   */
  public SocketOptions sendBufferSize(int bytes) {
    checkSize("sendBufferSize", bytes);
    return new SocketOptions(
        type,
        reuseAddr,
        reusePort,
        ipv6Only,
        recvBufferSize,
        bytes,
        lookup,
        signal,
        receiveBlockList,
        sendBlockList);
  }

  /**
   * Returns the SO_SNDBUF size to set at bind, 0 for none.
   *
   * @return the size
   */
  public int sendBufferSize() {
    return sendBufferSize;
  }

  /**
   * Sets the resolver for bind, send and connect addresses; null restores the default.
   *
   * @param lookup the resolver
   * @return new options
   */
  public SocketOptions lookup(Lookup lookup) {
    return new SocketOptions(
        type,
        reuseAddr,
        reusePort,
        ipv6Only,
        recvBufferSize,
        sendBufferSize,
        lookup,
        signal,
        receiveBlockList,
        sendBlockList);
  }

  /**
   * Returns the custom resolver.
   *
   * @return the resolver, or null for the default
   */
  public Lookup lookup() {
    return lookup;
  }

  /**
   * Sets a signal whose abort closes the socket, as {@code close()} would.
   *
   * @param signal the signal, or null
   * @return new options
   */
  public SocketOptions signal(AbortSignal signal) {
    return new SocketOptions(
        type,
        reuseAddr,
        reusePort,
        ipv6Only,
        recvBufferSize,
        sendBufferSize,
        lookup,
        signal,
        receiveBlockList,
        sendBlockList);
  }

  /**
   * Returns the abort signal.
   *
   * @return the signal, or null
   */
  public AbortSignal signal() {
    return signal;
  }

  /**
   * Sets a block list of senders whose datagrams are dropped silently.
   *
   * @param list the list, or null
   * @return new options
   */
  public SocketOptions receiveBlockList(BlockList list) {
    return new SocketOptions(
        type,
        reuseAddr,
        reusePort,
        ipv6Only,
        recvBufferSize,
        sendBufferSize,
        lookup,
        signal,
        list,
        sendBlockList);
  }

  /**
   * Returns the receive block list.
   *
   * @return the list, or null
   */
  public BlockList receiveBlockList() {
    return receiveBlockList;
  }

  /**
   * Sets a block list of destinations; a send to one fails with {@code ERR_IP_BLOCKED}.
   *
   * @param list the list, or null
   * @return new options
   */
  public SocketOptions sendBlockList(BlockList list) {
    return new SocketOptions(
        type,
        reuseAddr,
        reusePort,
        ipv6Only,
        recvBufferSize,
        sendBufferSize,
        lookup,
        signal,
        receiveBlockList,
        list);
  }

  /**
   * Returns the send block list.
   *
   * @return the list, or null
   */
  public BlockList sendBlockList() {
    return sendBlockList;
  }

  private static void checkSize(String name, int bytes) {
    if (bytes < 0) {
      // Node validates these options with validateUint32.
      throw new DgramException(
          "ERR_OUT_OF_RANGE",
          "The value of \"options."
              + name
              + "\" is out of range. It must be >= 0 && <= 4294967295. Received "
              + bytes);
    }
  }
}

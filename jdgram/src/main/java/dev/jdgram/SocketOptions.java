package dev.jdgram;

import dev.jdgram.internal.NodeErrors;

/**
 * The options of {@link Dgram#createSocket(SocketOptions)}: Node's {@code createSocket(options)}.
 * Immutable; every setter returns a new instance, so one value may be shared and reused.
 *
 * <pre>{@code
 * SocketOptions.of("udp4").reuseAddr(true).recvBufferSize(1 << 20)
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SocketOptions {
  private String type;
  private boolean reuseAddr;
  private boolean reusePort;
  private boolean ipv6Only;
  private int recvBufferSize;
  private int sendBufferSize;
  private Lookup lookup;
  private AbortSignal signal;
  private BlockList receiveBlockList;
  private BlockList sendBlockList;
  private boolean ownEventLoop;
  private long sendQueueLimit = Long.MAX_VALUE;
  private int sendQueueCountLimit = Integer.MAX_VALUE;

  private SocketOptions(String type) {
    this.type = type;
  }

  /** A copy to change one field of: the fields are never changed once an instance is returned. */
  private SocketOptions copy() {
    SocketOptions c = new SocketOptions(type);
    c.reuseAddr = reuseAddr;
    c.reusePort = reusePort;
    c.ipv6Only = ipv6Only;
    c.recvBufferSize = recvBufferSize;
    c.sendBufferSize = sendBufferSize;
    c.lookup = lookup;
    c.signal = signal;
    c.receiveBlockList = receiveBlockList;
    c.sendBlockList = sendBlockList;
    c.ownEventLoop = ownEventLoop;
    c.sendQueueLimit = sendQueueLimit;
    c.sendQueueCountLimit = sendQueueCountLimit;
    return c;
  }

  /**
   * Starts options for a socket of the given type; the type is checked by {@code createSocket}.
   *
   * @param type {@code "udp4"} or {@code "udp6"}
   * @return options with Node's defaults
   */
  public static SocketOptions of(String type) {
    return new SocketOptions(type);
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
    SocketOptions c = copy();
    c.reuseAddr = on;
    return c;
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
    SocketOptions c = copy();
    c.reusePort = on;
    return c;
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
    SocketOptions c = copy();
    c.ipv6Only = on;
    return c;
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
    SocketOptions c = copy();
    c.recvBufferSize = bytes;
    return c;
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
    SocketOptions c = copy();
    c.sendBufferSize = bytes;
    return c;
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
    SocketOptions c = copy();
    c.lookup = lookup;
    return c;
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
    SocketOptions c = copy();
    c.signal = signal;
    return c;
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
    SocketOptions c = copy();
    c.receiveBlockList = list;
    return c;
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
    SocketOptions c = copy();
    c.sendBlockList = list;
    return c;
  }

  /**
   * Returns the send block list.
   *
   * @return the list, or null
   */
  public BlockList sendBlockList() {
    return sendBlockList;
  }

  /**
   * Runs the socket on an event loop apart from the one that all other sockets share (Node's
   * model): a jdgram addition for serving one port from several cores. Such loops form a pool of
   * one per available processor, each socket getting the loop with the fewest sockets, so N sockets
   * on N processors each have a thread to themselves. With {@link #reusePort(boolean) reusePort}, N
   * such sockets bound to one port share its traffic, the kernel spreading senders (by address and
   * port) over them. Listeners of sockets on different loops may run at the same time.
   *
   * @param on whether the socket runs apart from the shared loop; default false
   * @return new options
   */
  public SocketOptions ownEventLoop(boolean on) {
    SocketOptions c = copy();
    c.ownEventLoop = on;
    return c;
  }

  /**
   * Returns whether the socket runs apart from the shared event loop.
   *
   * @return true if it does
   */
  public boolean ownEventLoop() {
    return ownEventLoop;
  }

  /**
   * Bounds the bytes of the sends waiting in the socket's queue (a jdgram addition; Node's queue,
   * like jdgram's by default, grows without limit while the sender outruns the network). A send
   * that would take the queue past the limit fails at once with {@code ENOBUFS} (syscall {@code
   * send}, its address and port) through its callback, or as {@code 'error'} without one; nothing
   * else changes, and {@link DgramSocket#stats()} counts it.
   *
   * @param bytes the most payload bytes queued at once, at least 1; default unlimited
   * @return new options
   * @throws DgramException {@code ERR_OUT_OF_RANGE} if less than 1
   * @since 0.1.0
   */
  public SocketOptions sendQueueLimit(long bytes) {
    if (bytes < 1) {
      throw NodeErrors.outOfRange("options.sendQueueLimit", ">= 1", String.valueOf(bytes));
    }
    SocketOptions c = copy();
    c.sendQueueLimit = bytes;
    return c;
  }

  /**
   * Returns the most bytes the send queue holds; {@code Long.MAX_VALUE} when unlimited.
   *
   * @return the limit
   * @since 0.1.0
   */
  public long sendQueueLimit() {
    return sendQueueLimit;
  }

  /**
   * Bounds the number of datagrams waiting in the socket's queue, as {@link #sendQueueLimit(long)}
   * bounds their bytes.
   *
   * @param datagrams the most datagrams queued at once, at least 1; default unlimited
   * @return new options
   * @throws DgramException {@code ERR_OUT_OF_RANGE} if less than 1
   * @since 0.1.0
   */
  public SocketOptions sendQueueCountLimit(int datagrams) {
    if (datagrams < 1) {
      throw NodeErrors.outOfRange("options.sendQueueCountLimit", ">= 1", String.valueOf(datagrams));
    }
    SocketOptions c = copy();
    c.sendQueueCountLimit = datagrams;
    return c;
  }

  /**
   * Returns the most datagrams the send queue holds; {@code Integer.MAX_VALUE} when unlimited.
   *
   * @return the limit
   * @since 0.1.0
   */
  public int sendQueueCountLimit() {
    return sendQueueCountLimit;
  }

  private static void checkSize(String name, int bytes) {
    if (bytes < 0) {
      // Node validates these options with validateUint32.
      throw NodeErrors.outOfRange(
          "options." + name, ">= 0 && <= 4294967295", String.valueOf(bytes));
    }
  }
}

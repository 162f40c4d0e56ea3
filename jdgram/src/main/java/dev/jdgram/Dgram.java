package dev.jdgram;

import dev.jdgram.internal.NodeErrors;
import dev.jdgram.internal.SocketCore;

/**
 * Node's {@code node:dgram} module functions: the factories of {@link DgramSocket}.
 *
 * <pre>{@code
 * DgramSocket server = Dgram.createSocket("udp4");
 * server.on(DgramSocket.MESSAGE, (msg, rinfo) ->
 *     System.out.println("server got: " + new String(msg, UTF_8) + " from "
 *         + rinfo.address() + ":" + rinfo.port()));
 * server.bind(41234);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Dgram {
  private Dgram() {}

  /**
   * Creates a socket of the given type: Node's {@code dgram.createSocket(type)}.
   *
   * @param type {@code "udp4"} or {@code "udp6"}
   * @return a new, unbound socket
   * @throws DgramException {@code ERR_SOCKET_BAD_TYPE} for any other type
   */
  public static DgramSocket createSocket(String type) {
    return createSocket(SocketOptions.of(type), null);
  }

  /**
   * Creates a socket of the given type with a {@code 'message'} listener.
   *
   * @param type {@code "udp4"} or {@code "udp6"}
   * @param callback added as a {@link DgramSocket#MESSAGE} listener; may be null
   * @return a new, unbound socket
   * @throws DgramException {@code ERR_SOCKET_BAD_TYPE} for any other type
   */
  public static DgramSocket createSocket(String type, MessageListener callback) {
    return createSocket(SocketOptions.of(type), callback);
  }

  /**
   * Creates a socket with options: Node's {@code dgram.createSocket(options)}.
   *
   * @param options the type and options
   * @return a new, unbound socket
   * @throws DgramException {@code ERR_SOCKET_BAD_TYPE} for null options or a type other than udp4
   *     or udp6, as Node's {@code dgram.createSocket(null)} throws
   */
  public static DgramSocket createSocket(SocketOptions options) {
    return createSocket(options, null);
  }

  /**
   * Creates a socket with options and a {@code 'message'} listener.
   *
   * @param options the type and options
   * @param callback added as a {@link DgramSocket#MESSAGE} listener; may be null
   * @return a new, unbound socket
   * @throws DgramException {@code ERR_SOCKET_BAD_TYPE} for null options or a type other than udp4
   *     or udp6, as Node's {@code dgram.createSocket(null)} throws
   */
  public static DgramSocket createSocket(SocketOptions options, MessageListener callback) {
    if (options == null) {
      throw NodeErrors.badType();
    }
    String type = options.type();
    if (!"udp4".equals(type) && !"udp6".equals(type)) {
      throw NodeErrors.badType();
    }
    SocketCore core =
        new SocketCore(
            "udp6".equals(type),
            options.lookup(),
            options.reuseAddr(),
            options.reusePort(),
            options.ipv6Only(),
            options.recvBufferSize(),
            options.sendBufferSize(),
            options.receiveBlockList(),
            options.sendBlockList(),
            options.ownEventLoop(),
            options.sendQueueLimit(),
            options.sendQueueCountLimit());
    DgramSocket socket = new DgramSocket(core, type);
    if (callback != null) {
      socket.on(DgramSocket.MESSAGE, callback);
    }
    AbortSignal signal = options.signal();
    if (signal != null) {
      socket.closeOn(signal);
    }
    return socket;
  }
}

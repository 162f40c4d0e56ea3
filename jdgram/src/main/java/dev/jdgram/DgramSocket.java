package dev.jdgram;

import dev.jdgram.internal.NodeErrors;
import dev.jdgram.internal.SocketCore;
import dev.jdgram.internal.SocketEvents;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A UDP socket with the API, events, errors and semantics of Node's {@code dgram.Socket}. Created
 * by {@link Dgram#createSocket(String)}.
 *
 * <h2>Events</h2>
 *
 * Listeners are registered with typed keys: {@link #MESSAGE} ({@code (msg, rinfo)}), {@link
 * #LISTENING}, {@link #CONNECT}, {@link #CLOSE} and {@link #ERROR}, with Node's EventEmitter
 * semantics (registration order, {@code once} removed before it runs, the same listener may be
 * added twice). An {@code 'error'} emitted with no {@link #ERROR} listener goes to the loop
 * thread's uncaught-exception handler; so does an exception thrown by any listener or callback, and
 * the remaining listeners still run.
 *
 * <h2>Threading</h2>
 *
 * Every method may be called from any thread. Argument and state errors are thrown on the calling
 * thread before anything is queued, as Node throws them synchronously. Every listener and callback
 * runs on the socket's event-loop thread (by default one thread shared by all sockets, like Node's
 * single loop), one at a time, never inside the call that caused it and with no library lock held.
 * Because that thread runs concurrently with the caller, register listeners before the call that
 * triggers them. Sends run in the order they were called, even across a pending host-name lookup.
 *
 * <h2>Lifetime</h2>
 *
 * A bound (or binding) socket that is open and not {@link #unref()}ed keeps the JVM alive, as it
 * keeps a Node process alive. {@link #close()} on a closed socket does nothing, following {@link
 * AutoCloseable}; Node throws there.
 *
 * @since 0.1.0
 */
public final class DgramSocket implements AutoCloseable {
  /** Node's {@code 'close'}: emitted once, last, after {@link #close()}. */
  public static final Event<Runnable> CLOSE =
      new Event<>("close", Runnable.class, SocketEvents.CLOSE);

  /** Node's {@code 'connect'}: emitted after a successful {@link #connect(int)}. */
  public static final Event<Runnable> CONNECT =
      new Event<>("connect", Runnable.class, SocketEvents.CONNECT);

  /** Node's {@code 'error'}: bind, connect, send and receive failures. */
  public static final Event<ErrorListener> ERROR =
      new Event<>("error", ErrorListener.class, SocketEvents.ERROR);

  /** Node's {@code 'listening'}: emitted once, when the socket is bound and receiving. */
  public static final Event<Runnable> LISTENING =
      new Event<>("listening", Runnable.class, SocketEvents.LISTENING);

  /** Node's {@code 'message'}: one datagram arrived. */
  public static final Event<MessageListener> MESSAGE =
      new Event<>("message", MessageListener.class, SocketEvents.MESSAGE);

  private final SocketCore core;
  private final String type;

  DgramSocket(SocketCore core, String type) {
    this.core = core;
    this.type = type;
  }

  /**
   * Returns the socket's type.
   *
   * @return {@code "udp4"} or {@code "udp6"}
   */
  public String type() {
    return type;
  }

  void closeOn(AbortSignal signal) {
    if (signal.aborted()) {
      core.closeAtCreation(); // a 'close' listener added right after createSocket still runs
      return;
    }
    Runnable onAbort = this::close;
    signal.addAbortListener(onAbort);
    core.onClosed(() -> signal.removeAbortListener(onAbort));
  }

  // ------------------------------------------------------------------ events

  /**
   * Adds a listener at the end of the event's list: Node's {@code socket.on(event, listener)}.
   *
   * @param event the event key
   * @param listener the listener
   * @param <L> the listener type
   * @return this socket
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if either is null
   */
  public <L> DgramSocket on(Event<L> event, L listener) {
    core.events().add(index(event), checkListener(listener), false, false);
    return this;
  }

  /**
   * Adds a listener that runs at most once: Node's {@code socket.once(event, listener)}.
   *
   * @param event the event key
   * @param listener the listener, removed before it runs
   * @param <L> the listener type
   * @return this socket
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if either is null
   */
  public <L> DgramSocket once(Event<L> event, L listener) {
    core.events().add(index(event), checkListener(listener), true, false);
    return this;
  }

  /**
   * Adds a listener at the front of the event's list: Node's {@code prependListener}.
   *
   * @param event the event key
   * @param listener the listener
   * @param <L> the listener type
   * @return this socket
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if either is null
   */
  public <L> DgramSocket prependListener(Event<L> event, L listener) {
    core.events().add(index(event), checkListener(listener), false, true);
    return this;
  }

  /**
   * Adds a once-listener at the front of the event's list: Node's {@code prependOnceListener}.
   *
   * @param event the event key
   * @param listener the listener
   * @param <L> the listener type
   * @return this socket
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if either is null
   */
  public <L> DgramSocket prependOnceListener(Event<L> event, L listener) {
    core.events().add(index(event), checkListener(listener), true, true);
    return this;
  }

  /**
   * Removes the most recently added instance of a listener: Node's {@code removeListener}. A
   * listener added with {@code once} is found by the listener itself.
   *
   * @param event the event key
   * @param listener the listener
   * @param <L> the listener type
   * @return this socket
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if either is null
   */
  public <L> DgramSocket off(Event<L> event, L listener) {
    core.events().emitter().remove(index(event), checkListener(listener));
    return this;
  }

  /**
   * Removes every listener of an event: Node's {@code removeAllListeners(event)}.
   *
   * @param event the event key
   * @return this socket
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if the event is null
   */
  public DgramSocket removeAllListeners(Event<?> event) {
    core.events().emitter().removeAll(index(event));
    return this;
  }

  /**
   * Returns the number of listeners of an event: Node's {@code listenerCount(event)}.
   *
   * @param event the event key
   * @return the count
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if the event is null
   */
  public int listenerCount(Event<?> event) {
    return core.events().emitter().count(index(event));
  }

  private static int index(Event<?> event) {
    if (event == null) {
      throw NodeErrors.invalidArgTypeNull("eventName", "of type string or symbol");
    }
    return event.index();
  }

  private static <L> L checkListener(L listener) {
    if (listener == null) {
      throw NodeErrors.invalidArgTypeNull("listener", "of type function");
    }
    return listener;
  }

  // ------------------------------------------------------------------ bind

  /**
   * Binds to a random port on all interfaces: Node's {@code socket.bind()}. {@code 'listening'}
   * follows once bound, or {@code 'error'} if binding fails.
   *
   * @return this socket
   * @throws DgramException {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed, {@code
   *     ERR_SOCKET_ALREADY_BOUND} if bound or binding
   */
  public DgramSocket bind() {
    return bind(0, null, null);
  }

  /**
   * Binds to a port on all interfaces: Node's {@code socket.bind(port)}.
   *
   * @param port the port, 0 for a random one
   * @return this socket
   * @throws DgramException {@code ERR_SOCKET_BAD_PORT} if not 0 to 65535, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed, {@code ERR_SOCKET_ALREADY_BOUND} if bound
   */
  public DgramSocket bind(int port) {
    return bind(port, null, null);
  }

  /**
   * Binds to a port and address: Node's {@code socket.bind(port, address)}.
   *
   * @param port the port, 0 for a random one
   * @param address an IP literal or host name (through the socket's lookup); null for all
   * @return this socket
   * @throws DgramException {@code ERR_SOCKET_BAD_PORT} if not 0 to 65535, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed, {@code ERR_SOCKET_ALREADY_BOUND} if bound
   */
  public DgramSocket bind(int port, String address) {
    return bind(port, address, null);
  }

  /**
   * Binds to a random port and runs {@code callback} on {@code 'listening'}.
   *
   * @param callback run once bound; dropped if binding fails
   * @return this socket
   * @throws DgramException {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed, {@code
   *     ERR_SOCKET_ALREADY_BOUND} if bound
   */
  public DgramSocket bind(Runnable callback) {
    return bind(0, null, callback);
  }

  /**
   * Binds to a port and runs {@code callback} on {@code 'listening'}.
   *
   * @param port the port, 0 for a random one
   * @param callback run once bound; dropped if binding fails
   * @return this socket
   * @throws DgramException as {@link #bind(int)}
   */
  public DgramSocket bind(int port, Runnable callback) {
    return bind(port, null, callback);
  }

  /**
   * Binds to a port and address and runs {@code callback} on {@code 'listening'}: Node's {@code
   * socket.bind(port, address, callback)}.
   *
   * @param port the port, 0 for a random one
   * @param address an IP literal or host name; null for all interfaces
   * @param callback run once bound; dropped if binding fails; may be null
   * @return this socket
   * @throws DgramException as {@link #bind(int)}
   */
  public DgramSocket bind(int port, String address, Runnable callback) {
    checkPort(port, true);
    core.bind(port, address, callback);
    return this;
  }

  /**
   * Binds with options: Node's {@code socket.bind(options)}.
   *
   * @param options port, address, exclusive and fd
   * @return this socket
   * @throws DgramException as {@link #bind(int)}; with an fd, {@code ERR_INVALID_FD_TYPE} if it is
   *     not a UDP socket
   */
  public DgramSocket bind(BindOptions options) {
    return bind(options, null);
  }

  /**
   * Binds with options and runs {@code callback} on {@code 'listening'}: Node's {@code
   * socket.bind(options, callback)}.
   *
   * @param options port, address, exclusive and fd
   * @param callback run once bound; dropped if binding fails; may be null
   * @return this socket
   * @throws DgramException as {@link #bind(BindOptions)}
   */
  public DgramSocket bind(BindOptions options, Runnable callback) {
    if (options == null) {
      throw NodeErrors.invalidArgTypeNull("options", "of type object");
    }
    if (options.fd() > 0) {
      core.bindFd(options.fd(), callback);
      return this;
    }
    return bind(options.port(), options.address(), callback);
  }

  /**
   * Binds to a random port on all interfaces now and returns the bound address: Node's {@code
   * socket.bindSync()}.
   *
   * @return the bound address, as {@link #address()} returns it from now on
   * @throws DgramException as {@link #bindSync(int, String)}
   * @since 0.1.0
   */
  public AddressInfo bindSync() {
    return bindSync(0, null);
  }

  /**
   * Binds to a port on all interfaces now and returns the bound address: Node's {@code
   * socket.bindSync({port})}.
   *
   * @param port the port, 0 for a random one
   * @return the bound address, as {@link #address()} returns it from now on
   * @throws DgramException as {@link #bindSync(int, String)}
   * @since 0.1.0
   */
  public AddressInfo bindSync(int port) {
    return bindSync(port, null);
  }

  /**
   * Binds to a port and IP address now and returns the bound address: Node's {@code
   * socket.bindSync({port, address})}. Unlike {@link #bind(int, String)} no name is looked up, and
   * a failure is thrown instead of emitted. When this returns, {@link #address()} is valid; {@code
   * 'listening'} still follows on the event loop (register its listener before calling), and not at
   * all if the socket is closed first. The bind itself runs on the socket's loop while the caller
   * waits (at once when called from a listener), as Netty channels are bound there.
   *
   * @param port the port, 0 for a random one
   * @param address a numeric IP address; null or empty for all interfaces ({@code 0.0.0.0} or
   *     {@code ::})
   * @return the bound address, as {@link #address()} returns it from now on
   * @throws DgramException {@code ERR_SOCKET_BAD_PORT} if not 0 to 65535, {@code
   *     ERR_INVALID_ARG_VALUE} if {@code address} is not an IP literal, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed, {@code ERR_SOCKET_ALREADY_BOUND} if bound or an
   *     asynchronous bind is under way, the system error of bind(2) ({@code EADDRINUSE}, {@code
   *     EADDRNOTAVAIL}, ...) and {@code EINVAL} for an address of the other family
   * @since 0.1.0
   */
  public AddressInfo bindSync(int port, String address) {
    checkPort(port, true);
    return core.bindSync(port, address);
  }

  /**
   * Binds with options now and returns the bound address: Node's {@code socket.bindSync(options)},
   * which reads only the port and address.
   *
   * @param options the port and address
   * @return the bound address, as {@link #address()} returns it from now on
   * @throws DgramException as {@link #bindSync(int, String)}; {@code ERR_INVALID_ARG_TYPE} for null
   *     options, {@code ERR_INVALID_ARG_VALUE} for options with an fd (adopt it with {@link
   *     #bind(BindOptions)})
   * @since 0.1.0
   */
  public AddressInfo bindSync(BindOptions options) {
    if (options == null) {
      throw NodeErrors.invalidArgTypeNull("options", "of type object");
    }
    if (options.fd() > 0) {
      throw NodeErrors.invalidArgValue(
          "options.fd", String.valueOf(options.fd()), "cannot be adopted by bindSync");
    }
    return bindSync(options.port(), options.address());
  }

  // ------------------------------------------------------------------ connect

  /**
   * Connects to a port on 127.0.0.1 or ::1: Node's {@code socket.connect(port)}.
   *
   * @param port the remote port, 1 to 65535
   * @throws DgramException {@code ERR_SOCKET_BAD_PORT}, {@code ERR_SOCKET_DGRAM_IS_CONNECTED},
   *     {@code ERR_SOCKET_DGRAM_NOT_RUNNING}
   */
  public void connect(int port) {
    connect(port, null, null);
  }

  /**
   * Connects to a port and address: Node's {@code socket.connect(port, address)}. Binds first if
   * unbound; {@code 'connect'} follows, or {@code 'error'} on failure.
   *
   * @param port the remote port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @throws DgramException as {@link #connect(int)}
   */
  public void connect(int port, String address) {
    connect(port, address, null);
  }

  /**
   * Connects to a port on 127.0.0.1 or ::1 and calls back when done.
   *
   * @param port the remote port, 1 to 65535
   * @param callback called with null on success, else the error (then no {@code 'error'} event)
   * @throws DgramException as {@link #connect(int)}
   */
  public void connect(int port, Callback callback) {
    connect(port, null, callback);
  }

  /**
   * Connects to a port and address and calls back when done: Node's {@code socket.connect(port,
   * address, callback)}.
   *
   * @param port the remote port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @param callback called with null on success, else the error; may be null
   * @throws DgramException as {@link #connect(int)}
   */
  public void connect(int port, String address, Callback callback) {
    checkPort(port, false);
    core.connect(port, address, callback);
  }

  /**
   * Connects to a port on 127.0.0.1 or ::1 now: Node's {@code socket.connectSync(port)}.
   *
   * @param port the remote port, 1 to 65535
   * @throws DgramException as {@link #connectSync(int, String)}
   * @since 0.1.0
   */
  public void connectSync(int port) {
    connectSync(port, null);
  }

  /**
   * Connects to a port and IP address now: Node's {@code socket.connectSync(port, address)}. An
   * unbound socket is bound first (all interfaces, a random port). No name is looked up, and a
   * failure is thrown instead of emitted, leaving the socket disconnected. When this returns,
   * {@link #remoteAddress()} and {@link #address()} are valid; {@code 'listening'} (if it bound)
   * and {@code 'connect'} still follow on the event loop (register listeners before calling). As
   * connect(2) on UDP does not probe the peer, an unreachable one shows up later, as for {@link
   * #connect(int, String)}. The work runs on the socket's loop while the caller waits (at once when
   * called from a listener).
   *
   * @param port the remote port, 1 to 65535
   * @param address a numeric IP address; null or empty for 127.0.0.1 or ::1
   * @throws DgramException {@code ERR_SOCKET_BAD_PORT}, {@code ERR_INVALID_ARG_VALUE} if {@code
   *     address} is not an IP literal, {@code ERR_SOCKET_DGRAM_IS_CONNECTED} if connected or
   *     connecting, {@code ERR_SOCKET_ALREADY_BOUND} while an asynchronous bind is under way,
   *     {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed, {@code ERR_IP_BLOCKED} if the send block
   *     list holds the address, {@code EINVAL} for an address of the other family, and the system
   *     error of bind(2) or connect(2)
   * @since 0.1.0
   */
  public void connectSync(int port, String address) {
    checkPort(port, false);
    core.connectSync(port, address);
  }

  /**
   * Dissolves the association with the remote address: Node's {@code socket.disconnect()}.
   *
   * @throws DgramException {@code ERR_SOCKET_DGRAM_NOT_CONNECTED} if not connected, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public void disconnect() {
    core.disconnect();
  }

  /**
   * Returns the remote endpoint of a connected socket: Node's {@code socket.remoteAddress()}.
   *
   * @return the remote address, family and port
   * @throws DgramException {@code ERR_SOCKET_DGRAM_NOT_CONNECTED} if not connected, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public AddressInfo remoteAddress() {
    return core.remoteAddress();
  }

  /**
   * Returns the local address: Node's {@code socket.address()}.
   *
   * @return the bound address, family and port
   * @throws DgramException {@code EBADF} if not bound yet, {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if
   *     closed
   */
  public AddressInfo address() {
    return core.address();
  }

  // ------------------------------------------------------------------ send

  /**
   * Sends a datagram: Node's {@code socket.send(msg, port, address)}. Binds first if unbound.
   *
   * @param msg the bytes; jdgram never modifies them, and the caller must not either while the send
   *     may be pending
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} for a null message, {@code
   *     ERR_SOCKET_BAD_PORT}, {@code ERR_SOCKET_DGRAM_IS_CONNECTED} on a connected socket, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed. Failures after the call (lookup, {@code EMSGSIZE},
   *     {@code ERR_IP_BLOCKED}) are emitted as {@code 'error'}.
   */
  public void send(byte[] msg, int port, String address) {
    send(msg, port, address, null);
  }

  /**
   * Sends a datagram and calls back when it was handed to the kernel or failed.
   *
   * @param msg the bytes; the caller may reuse them once the callback has run
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @param callback called once with (null, bytes) or (error, 0); may be null
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(byte[] msg, int port, String address, SendCallback callback) {
    checkBytes(msg);
    sendTo(msg, 0, msg.length, null, port, address, callback);
  }

  /**
   * Sends a datagram to 127.0.0.1 or ::1.
   *
   * @param msg the bytes
   * @param port the destination port, 1 to 65535
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(byte[] msg, int port) {
    send(msg, port, null, null);
  }

  /**
   * Sends a datagram to 127.0.0.1 or ::1 and calls back.
   *
   * @param msg the bytes
   * @param port the destination port, 1 to 65535
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(byte[] msg, int port, SendCallback callback) {
    send(msg, port, null, callback);
  }

  /**
   * Sends a datagram on a connected socket: Node's {@code socket.send(msg)}.
   *
   * @param msg the bytes
   * @throws DgramException {@code ERR_SOCKET_BAD_PORT} if the socket is not connected, else as
   *     {@link #send(byte[], int, String)}
   */
  public void send(byte[] msg) {
    send(msg, (SendCallback) null);
  }

  /**
   * Sends a datagram on a connected socket and calls back.
   *
   * @param msg the bytes
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[])}
   */
  public void send(byte[] msg, SendCallback callback) {
    checkBytes(msg);
    sendConnected(msg, 0, msg.length, null, callback);
  }

  /**
   * Sends {@code length} bytes of {@code msg} from {@code offset}: Node's {@code socket.send(msg,
   * offset, length, port, address)}.
   *
   * @param msg the bytes
   * @param offset where the datagram starts
   * @param length how many bytes it has
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @throws DgramException {@code ERR_BUFFER_OUT_OF_BOUNDS} if the range is outside {@code msg},
   *     else as {@link #send(byte[], int, String)}
   */
  public void send(byte[] msg, int offset, int length, int port, String address) {
    send(msg, offset, length, port, address, null);
  }

  /**
   * Sends a range of {@code msg} and calls back.
   *
   * @param msg the bytes
   * @param offset where the datagram starts
   * @param length how many bytes it has
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[], int, int, int, String)}
   */
  public void send(
      byte[] msg, int offset, int length, int port, String address, SendCallback callback) {
    checkBytes(msg);
    checkRange(msg, offset, length);
    sendTo(msg, offset, length, null, port, address, callback);
  }

  /**
   * Sends a range of {@code msg} on a connected socket.
   *
   * @param msg the bytes
   * @param offset where the datagram starts
   * @param length how many bytes it has
   * @throws DgramException as {@link #send(byte[], int, int, int, String)} and {@link
   *     #send(byte[])}
   */
  public void send(byte[] msg, int offset, int length) {
    send(msg, offset, length, null);
  }

  /**
   * Sends a range of {@code msg} on a connected socket and calls back.
   *
   * @param msg the bytes
   * @param offset where the datagram starts
   * @param length how many bytes it has
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[], int, int)}
   */
  public void send(byte[] msg, int offset, int length, SendCallback callback) {
    checkBytes(msg);
    checkRange(msg, offset, length);
    sendConnected(msg, offset, length, null, callback);
  }

  /**
   * Sends the bytes of a buffer from its position to its limit (the position is not moved).
   *
   * @param msg the buffer
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(ByteBuffer msg, int port, String address) {
    send(msg, port, address, null);
  }

  /**
   * Sends the bytes of a buffer and calls back.
   *
   * @param msg the buffer
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(ByteBuffer msg, int port, String address, SendCallback callback) {
    ByteBuffer view = view(msg);
    sendTo(null, 0, view.remaining(), view, port, address, callback);
  }

  /**
   * Sends the bytes of a buffer to 127.0.0.1 or ::1.
   *
   * @param msg the buffer
   * @param port the destination port, 1 to 65535
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(ByteBuffer msg, int port) {
    send(msg, port, null, null);
  }

  /**
   * Sends the bytes of a buffer to 127.0.0.1 or ::1 and calls back.
   *
   * @param msg the buffer
   * @param port the destination port, 1 to 65535
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(ByteBuffer msg, int port, SendCallback callback) {
    send(msg, port, null, callback);
  }

  /**
   * Sends the bytes of a buffer on a connected socket.
   *
   * @param msg the buffer
   * @throws DgramException as {@link #send(byte[])}
   */
  public void send(ByteBuffer msg) {
    send(msg, (SendCallback) null);
  }

  /**
   * Sends the bytes of a buffer on a connected socket and calls back.
   *
   * @param msg the buffer
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[])}
   */
  public void send(ByteBuffer msg, SendCallback callback) {
    ByteBuffer view = view(msg);
    sendConnected(null, 0, view.remaining(), view, callback);
  }

  /**
   * Sends a string as UTF-8.
   *
   * @param msg the text
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(String msg, int port, String address) {
    send(msg, port, address, null);
  }

  /**
   * Sends a string as UTF-8 and calls back.
   *
   * @param msg the text
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @param callback called once with the byte count; may be null
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(String msg, int port, String address, SendCallback callback) {
    byte[] bytes = utf8(msg);
    sendTo(bytes, 0, bytes.length, null, port, address, callback);
  }

  /**
   * Sends a string as UTF-8 to 127.0.0.1 or ::1.
   *
   * @param msg the text
   * @param port the destination port, 1 to 65535
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(String msg, int port) {
    send(msg, port, null, null);
  }

  /**
   * Sends a string as UTF-8 to 127.0.0.1 or ::1 and calls back.
   *
   * @param msg the text
   * @param port the destination port, 1 to 65535
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[], int, String)}
   */
  public void send(String msg, int port, SendCallback callback) {
    send(msg, port, null, callback);
  }

  /**
   * Sends a string as UTF-8 on a connected socket.
   *
   * @param msg the text
   * @throws DgramException as {@link #send(byte[])}
   */
  public void send(String msg) {
    send(msg, (SendCallback) null);
  }

  /**
   * Sends a string as UTF-8 on a connected socket and calls back.
   *
   * @param msg the text
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(byte[])}
   */
  public void send(String msg, SendCallback callback) {
    byte[] bytes = utf8(msg);
    sendConnected(bytes, 0, bytes.length, null, callback);
  }

  /**
   * Sends one datagram made of the concatenation of a list of {@code byte[]}, {@code ByteBuffer}
   * and {@code String} parts: Node's {@code socket.send([buf1, buf2], port, address)}.
   *
   * @param msg the parts
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} for a null list or a part of another type,
   *     else as {@link #send(byte[], int, String)}
   */
  public void send(List<?> msg, int port, String address) {
    send(msg, port, address, null);
  }

  /**
   * Sends a list of parts as one datagram and calls back.
   *
   * @param msg the parts
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @param callback called once with the total byte count; may be null
   * @throws DgramException as {@link #send(List, int, String)}
   */
  public void send(List<?> msg, int port, String address, SendCallback callback) {
    byte[] bytes = concat(msg);
    sendTo(bytes, 0, bytes.length, null, port, address, callback);
  }

  /**
   * Sends a list of parts as one datagram to 127.0.0.1 or ::1.
   *
   * @param msg the parts
   * @param port the destination port, 1 to 65535
   * @throws DgramException as {@link #send(List, int, String)}
   */
  public void send(List<?> msg, int port) {
    send(msg, port, null, null);
  }

  /**
   * Sends a list of parts as one datagram to 127.0.0.1 or ::1 and calls back.
   *
   * @param msg the parts
   * @param port the destination port, 1 to 65535
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(List, int, String)}
   */
  public void send(List<?> msg, int port, SendCallback callback) {
    send(msg, port, null, callback);
  }

  /**
   * Sends a list of parts as one datagram on a connected socket.
   *
   * @param msg the parts
   * @throws DgramException as {@link #send(List, int, String)} and {@link #send(byte[])}
   */
  public void send(List<?> msg) {
    send(msg, (SendCallback) null);
  }

  /**
   * Sends a list of parts as one datagram on a connected socket and calls back.
   *
   * @param msg the parts
   * @param callback called once; may be null
   * @throws DgramException as {@link #send(List)}
   */
  public void send(List<?> msg, SendCallback callback) {
    byte[] bytes = concat(msg);
    sendConnected(bytes, 0, bytes.length, null, callback);
  }

  /**
   * Sends each element of {@code msgs} as a datagram of its own: a jdgram addition for senders of
   * many datagrams (telemetry, media, bulk transfer). Elements are {@code byte[]}, {@code
   * ByteBuffer} (its remaining bytes) or {@code String} (UTF-8). The datagrams go out in order, as
   * if sent one by one, but much faster: runs of equal size leave in UDP GSO writes where the
   * kernel supports them (Linux 4.18+ on the epoll transport; the kernel cuts one write into up to
   * 64 datagrams), else all of them in one sendmmsg. Binds first if unbound, as send does.
   *
   * @param msgs the datagrams
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name (looked up once for the batch); null for 127.0.0.1 or
   *     ::1
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} for a null list or an element of another
   *     type, else as {@link #send(byte[], int, String)}
   */
  public void sendMany(List<?> msgs, int port, String address) {
    sendMany(msgs, port, address, null);
  }

  /**
   * Sends each element of {@code msgs} as a datagram of its own, as {@link #sendMany(List, int,
   * String)}, and calls back once.
   *
   * @param msgs the datagrams
   * @param port the destination port, 1 to 65535
   * @param address an IP literal or host name; null for 127.0.0.1 or ::1
   * @param callback called once, after the last datagram: with the total byte count, or with the
   *     first error (then datagrams after it may or may not have been sent); may be null, and then
   *     an error is emitted as {@code 'error'}
   * @throws DgramException as {@link #sendMany(List, int, String)}
   */
  public void sendMany(List<?> msgs, int port, String address, SendCallback callback) {
    Object[] datagrams = datagrams(msgs);
    checkSendTo(port);
    core.sendMany(datagrams, false, port, address, callback);
  }

  /**
   * Sends each element of {@code msgs} as a datagram of its own on a connected socket, as {@link
   * #sendMany(List, int, String)}.
   *
   * @param msgs the datagrams
   * @throws DgramException as {@link #sendMany(List, int, String)} and {@link #send(byte[])}
   */
  public void sendMany(List<?> msgs) {
    sendMany(msgs, (SendCallback) null);
  }

  /**
   * Sends each element of {@code msgs} as a datagram of its own on a connected socket and calls
   * back once, as {@link #sendMany(List, int, String, SendCallback)}.
   *
   * @param msgs the datagrams
   * @param callback called once; may be null
   * @throws DgramException as {@link #sendMany(List)}
   */
  public void sendMany(List<?> msgs, SendCallback callback) {
    Object[] datagrams = datagrams(msgs);
    checkSendConnected();
    core.sendMany(datagrams, true, 0, null, callback);
  }

  private void sendTo(
      byte[] array,
      int offset,
      int length,
      ByteBuffer buffer,
      int port,
      String address,
      SendCallback callback) {
    checkSendTo(port);
    core.send(array, offset, length, buffer, false, port, address, callback);
  }

  private void sendConnected(
      byte[] array, int offset, int length, ByteBuffer buffer, SendCallback callback) {
    checkSendConnected();
    core.send(array, offset, length, buffer, true, 0, null, callback);
  }

  /** Node's checks of a send with a destination, in Node's order. */
  private void checkSendTo(int port) {
    if (core.isConnected()) {
      throw NodeErrors.isConnected();
    }
    checkPort(port, false);
    if (core.isClosed()) {
      throw NodeErrors.notRunning();
    }
  }

  /** Node's checks of a send without one: the socket must be connected and open. */
  private void checkSendConnected() {
    if (!core.isConnected()) {
      // Node reads the missing port as undefined and rejects it.
      throw NodeErrors.badPort("Port", false, "undefined");
    }
    if (core.isClosed()) {
      throw NodeErrors.notRunning();
    }
  }

  /** Node's port check: 1 to 65535, or 0 to 65535 where 0 means a random port (bind). */
  private static void checkPort(int port, boolean allowZero) {
    if (port < (allowZero ? 0 : 1) || port > 65535) {
      throw NodeErrors.badPort("Port", allowZero, port);
    }
  }

  private static final String BUFFER_TYPES =
      "of type string or an instance of Buffer, TypedArray, or DataView";

  private static void checkBytes(Object msg) {
    if (msg == null) {
      throw NodeErrors.invalidArgTypeNull("buffer", BUFFER_TYPES);
    }
  }

  private static void checkRange(byte[] msg, int offset, int length) {
    if (offset < 0 || offset > msg.length) {
      throw NodeErrors.bufferOutOfBounds("offset");
    }
    if (length < 0 || length > msg.length - offset) {
      throw NodeErrors.bufferOutOfBounds("length");
    }
  }

  private static ByteBuffer view(ByteBuffer msg) {
    checkBytes(msg);
    return msg.slice();
  }

  private static byte[] utf8(String msg) {
    checkBytes(msg);
    return msg.getBytes(StandardCharsets.UTF_8);
  }

  /** The datagrams of a sendMany: each a byte[] or a ByteBuffer view, strings as UTF-8. */
  private static Object[] datagrams(List<?> msgs) {
    if (msgs == null) {
      throw NodeErrors.invalidArgTypeNull("msgs", "an instance of List");
    }
    Object[] items = msgs.toArray();
    for (int i = 0; i < items.length; i++) {
      Object item = items[i];
      if (item instanceof String) {
        items[i] = ((String) item).getBytes(StandardCharsets.UTF_8);
      } else if (item instanceof ByteBuffer) {
        items[i] = ((ByteBuffer) item).slice();
      } else if (!(item instanceof byte[])) {
        throw NodeErrors.invalidArgType(
            "msgs[" + i + "]",
            BUFFER_TYPES,
            item == null ? "null" : "an instance of " + item.getClass().getSimpleName());
      }
    }
    return items;
  }

  private static byte[] concat(List<?> parts) {
    if (parts == null) {
      throw NodeErrors.invalidArgTypeNull("buffer", BUFFER_TYPES);
    }
    int total = 0;
    Object[] items = parts.toArray();
    for (int i = 0; i < items.length; i++) {
      Object part = items[i];
      if (part instanceof String) {
        items[i] = ((String) part).getBytes(StandardCharsets.UTF_8);
      } else if (!(part instanceof byte[]) && !(part instanceof ByteBuffer)) {
        throw NodeErrors.invalidArgType(
            "buffer list arguments", BUFFER_TYPES, "an instance of Array");
      }
      total +=
          items[i] instanceof byte[] ? ((byte[]) items[i]).length : ((ByteBuffer) part).remaining();
    }
    byte[] out = new byte[total];
    int at = 0;
    for (Object item : items) {
      if (item instanceof byte[]) {
        byte[] b = (byte[]) item;
        System.arraycopy(b, 0, out, at, b.length);
        at += b.length;
      } else {
        ByteBuffer b = ((ByteBuffer) item).duplicate();
        int n = b.remaining();
        b.get(out, at, n);
        at += n;
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ close

  /**
   * Closes the socket: Node's {@code socket.close()}. Sends called before it whose destinations are
   * known still go out; {@code 'close'} is emitted once, last. Does nothing on a closed socket.
   */
  @Override
  public void close() {
    core.close(null);
  }

  /**
   * Closes the socket and runs {@code callback} on {@code 'close'}: Node's {@code
   * socket.close(callback)}. On a closed socket, only runs {@code callback}, on the loop thread.
   *
   * @param callback run once the socket has closed; may be null
   */
  public void close(Runnable callback) {
    core.close(callback);
  }

  /**
   * Closes the socket and returns a future completed after {@code 'close'}: Node's {@code
   * socket[Symbol.asyncDispose]()}.
   *
   * @return a future, already complete if the socket was closed
   */
  public CompletableFuture<Void> closeAsync() {
    if (core.isClosed()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    core.close(() -> done.complete(null));
    return done;
  }

  // ------------------------------------------------------------------ multicast

  /**
   * Joins a multicast group on the system's choice of interface: Node's {@code
   * addMembership(multicastAddress)}. Binds an unbound socket first.
   *
   * @param multicastAddress the group
   * @throws DgramException {@code ERR_MISSING_ARGS} if null or empty, {@code EINVAL} if not a group
   *     of the socket's family, {@code EADDRINUSE} if already joined, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public void addMembership(String multicastAddress) {
    addMembership(multicastAddress, null);
  }

  /**
   * Joins a multicast group on one interface: Node's {@code addMembership(multicastAddress,
   * multicastInterface)}.
   *
   * @param multicastAddress the group
   * @param multicastInterface the interface's IPv4 address, or for IPv6 {@code ::%name}; null for
   *     the system's choice
   * @throws DgramException as {@link #addMembership(String)}
   */
  public void addMembership(String multicastAddress, String multicastInterface) {
    checkGroup(multicastAddress);
    core.settings().membership("addMembership", true, null, multicastAddress, multicastInterface);
  }

  /**
   * Leaves a multicast group: Node's {@code dropMembership(multicastAddress)}.
   *
   * @param multicastAddress the group
   * @throws DgramException {@code ERR_MISSING_ARGS} if null or empty, {@code EADDRNOTAVAIL} if not
   *     joined (an unbound socket is bound first, as libuv does)
   */
  public void dropMembership(String multicastAddress) {
    dropMembership(multicastAddress, null);
  }

  /**
   * Leaves a multicast group on one interface.
   *
   * @param multicastAddress the group
   * @param multicastInterface as for {@link #addMembership(String, String)}
   * @throws DgramException as {@link #dropMembership(String)}
   */
  public void dropMembership(String multicastAddress, String multicastInterface) {
    checkGroup(multicastAddress);
    core.settings().membership("dropMembership", false, null, multicastAddress, multicastInterface);
  }

  /**
   * Joins a source-specific channel (S, G): Node's {@code addSourceSpecificMembership}.
   *
   * @param sourceAddress the source S
   * @param groupAddress the group G
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} for null, {@code EINVAL} for bad addresses,
   *     {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public void addSourceSpecificMembership(String sourceAddress, String groupAddress) {
    addSourceSpecificMembership(sourceAddress, groupAddress, null);
  }

  /**
   * Joins a source-specific channel (S, G) on one interface.
   *
   * @param sourceAddress the source S
   * @param groupAddress the group G
   * @param multicastInterface as for {@link #addMembership(String, String)}
   * @throws DgramException as {@link #addSourceSpecificMembership(String, String)}
   */
  public void addSourceSpecificMembership(
      String sourceAddress, String groupAddress, String multicastInterface) {
    checkSourceGroup(sourceAddress, groupAddress);
    core.settings()
        .membership(
            "addSourceSpecificMembership", true, sourceAddress, groupAddress, multicastInterface);
  }

  /**
   * Leaves a source-specific channel: Node's {@code dropSourceSpecificMembership}.
   *
   * @param sourceAddress the source S
   * @param groupAddress the group G
   * @throws DgramException as {@link #addSourceSpecificMembership(String, String)}, {@code
   *     EADDRNOTAVAIL} if not joined
   */
  public void dropSourceSpecificMembership(String sourceAddress, String groupAddress) {
    dropSourceSpecificMembership(sourceAddress, groupAddress, null);
  }

  /**
   * Leaves a source-specific channel on one interface.
   *
   * @param sourceAddress the source S
   * @param groupAddress the group G
   * @param multicastInterface as for {@link #addMembership(String, String)}
   * @throws DgramException as {@link #dropSourceSpecificMembership(String, String)}
   */
  public void dropSourceSpecificMembership(
      String sourceAddress, String groupAddress, String multicastInterface) {
    checkSourceGroup(sourceAddress, groupAddress);
    core.settings()
        .membership(
            "dropSourceSpecificMembership", false, sourceAddress, groupAddress, multicastInterface);
  }

  private void checkGroup(String group) {
    if (core.isClosed()) {
      throw NodeErrors.notRunning();
    }
    if (group == null || group.isEmpty()) {
      throw NodeErrors.missingArgs("multicastAddress");
    }
  }

  private void checkSourceGroup(String source, String group) {
    if (core.isClosed()) {
      throw NodeErrors.notRunning();
    }
    if (source == null) {
      throw NodeErrors.invalidArgTypeNull("sourceAddress", "of type string");
    }
    if (group == null) {
      throw NodeErrors.invalidArgTypeNull("groupAddress", "of type string");
    }
  }

  /**
   * Sets the outgoing multicast interface: Node's {@code setMulticastInterface}.
   *
   * @param multicastInterface for udp4 an interface's IPv4 address ({@code 0.0.0.0} for the
   *     system's choice); for udp6 {@code ::%name} or {@code ::%index} ({@code ::} for the system's
   *     choice)
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} for null, {@code EINVAL} if not an IP,
   *     {@code EADDRNOTAVAIL} if no interface has it, {@code EBADF} if unbound
   */
  public void setMulticastInterface(String multicastInterface) {
    if (core.isClosed()) {
      throw NodeErrors.notRunning();
    }
    if (multicastInterface == null) {
      throw NodeErrors.invalidArgTypeNull("interfaceAddress", "of type string");
    }
    core.settings().setMulticastInterface(multicastInterface);
  }

  /**
   * Sets IP_MULTICAST_LOOP: Node's {@code setMulticastLoopback}.
   *
   * @param flag whether the sender's own host receives its multicast datagrams
   * @return {@code flag}
   * @throws DgramException {@code EBADF} if unbound, {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public boolean setMulticastLoopback(boolean flag) {
    return core.settings().setMulticastLoopback(flag);
  }

  /**
   * Sets IP_MULTICAST_TTL (IPv6: the multicast hop limit): Node's {@code setMulticastTTL}.
   *
   * @param ttl 0 to 255
   * @return {@code ttl}
   * @throws DgramException {@code EINVAL} out of range, {@code EBADF} if unbound, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public int setMulticastTTL(int ttl) {
    return core.settings().setMulticastTtl(ttl);
  }

  /**
   * Sets SO_BROADCAST: Node's {@code setBroadcast}.
   *
   * @param flag whether sends to broadcast addresses are allowed
   * @throws DgramException {@code EBADF} if unbound, {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public void setBroadcast(boolean flag) {
    core.settings().setBroadcast(flag);
  }

  /**
   * Sets the unicast IP_TTL (IPv6: IPV6_UNICAST_HOPS): Node's {@code setTTL}.
   *
   * @param ttl 1 to 255
   * @return {@code ttl}
   * @throws DgramException {@code EINVAL} out of range, {@code EBADF} if unbound, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed; {@code ENOTSUP} on the NIO transport, which has no
   *     unicast TTL
   */
  public int setTTL(int ttl) {
    return core.settings().setTtl(ttl);
  }

  // ------------------------------------------------------------------ buffers and queue

  /**
   * Returns SO_RCVBUF as the kernel reports it (Linux doubles what was set): Node's {@code
   * getRecvBufferSize}.
   *
   * @return the size in bytes
   * @throws DgramException {@code ERR_SOCKET_BUFFER_SIZE} if unbound, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public int getRecvBufferSize() {
    return core.settings().bufferSize(true, 0);
  }

  /**
   * Returns SO_SNDBUF as the kernel reports it: Node's {@code getSendBufferSize}.
   *
   * @return the size in bytes
   * @throws DgramException {@code ERR_SOCKET_BUFFER_SIZE} if unbound, {@code
   *     ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public int getSendBufferSize() {
    return core.settings().bufferSize(false, 0);
  }

  /**
   * Sets SO_RCVBUF: Node's {@code setRecvBufferSize}. 0 changes nothing.
   *
   * @param size the size in bytes
   * @throws DgramException {@code ERR_SOCKET_BAD_BUFFER_SIZE} if negative, {@code
   *     ERR_SOCKET_BUFFER_SIZE} if unbound, {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public void setRecvBufferSize(int size) {
    core.settings().bufferSize(true, size);
  }

  /**
   * Sets SO_SNDBUF: Node's {@code setSendBufferSize}. 0 changes nothing.
   *
   * @param size the size in bytes
   * @throws DgramException as {@link #setRecvBufferSize(int)}
   */
  public void setSendBufferSize(int size) {
    core.settings().bufferSize(false, size);
  }

  /**
   * Returns what the socket has done so far: datagrams and bytes received and sent, sends that
   * failed or were refused, datagrams dropped by the receive block list, and the datagrams the
   * kernel discarded because the socket's receive buffer was full (a jdgram addition; Node has no
   * such counts). Every datagram the kernel delivered is either received or counted as dropped. The
   * kernel's count is read now (one system call on epoll; on NIO a read of /proc/net/udp); the
   * others are kept as the socket works, at no measurable cost. On a closed socket it returns the
   * final counts.
   *
   * @return a snapshot of the counts
   * @since 0.1.0
   */
  public SocketStats stats() {
    return core.stats();
  }

  /** Datagrams this socket sent in GSO writes that joined several sends; for tests. */
  long coalescedDatagrams() {
    return core.coalescedDatagrams();
  }

  /**
   * Returns the bytes of the datagrams sent but not yet handed to the kernel: Node's {@code
   * getSendQueueSize}.
   *
   * @return the queued bytes
   * @throws DgramException {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public long getSendQueueSize() {
    return core.sendQueueSize();
  }

  /**
   * Returns the number of datagrams sent but not yet handed to the kernel: Node's {@code
   * getSendQueueCount}.
   *
   * @return the queued datagrams
   * @throws DgramException {@code ERR_SOCKET_DGRAM_NOT_RUNNING} if closed
   */
  public int getSendQueueCount() {
    return core.sendQueueCount();
  }

  // ------------------------------------------------------------------ ref

  /**
   * Lets this socket keep the JVM alive again: Node's {@code socket.ref()}.
   *
   * @return this socket
   */
  public DgramSocket ref() {
    core.ref();
    return this;
  }

  /**
   * Stops this socket from keeping the JVM alive: Node's {@code socket.unref()}.
   *
   * @return this socket
   */
  public DgramSocket unref() {
    core.unref();
    return this;
  }

  @Override
  public String toString() {
    return "DgramSocket[" + type + (core.isClosed() ? ", closed" : "") + "]";
  }
}

/**
 * How jdgram works; not exported by the module, and no part of the API. Each {@code DgramSocket}
 * wraps a {@link dev.jdgram.internal.SocketCore}, which wires one socket together on one Netty
 * channel and event loop. Its state (Node's bind, connect and close states) is {@code SocketState},
 * whose javadoc has the transition table; {@code Binder} gets the socket a channel (bind,
 * bind({fd}), bindSync, the implicit binds) and {@code Connector} connects it. Public calls check
 * the state on the caller's thread and throw Node's synchronous errors, then the work runs on the
 * loop in methods named {@code ...OnLoop} that assert it. Sends and connects wait in a {@code
 * SendQueue} in call order, each an {@code Op} that runs, drains for close and fails itself, behind
 * any host-name lookup that a {@code Resolver} runs through the socket's {@link dev.jdgram.Lookup}
 * ({@link dev.jdgram.internal.DefaultLookup} by default, off the loop); {@code sendMany} batches
 * become UDP GSO writes where they can. The one {@code Receiver} handler copies each datagram out
 * of a per-loop read buffer ({@code ReadBuffers}) and {@link dev.jdgram.internal.SocketEvents}
 * emits it, with Node's EventEmitter rules kept by {@link dev.jdgram.internal.Emitter}. {@link
 * dev.jdgram.internal.Transports} chooses a {@link dev.jdgram.internal.Transport}, Netty's native
 * epoll on Linux (raw socket options set as libuv sets them; io_uring on request) or Java NIO
 * elsewhere, and {@link dev.jdgram.internal.EventLoops} owns its threads: all sockets share one
 * daemon loop unless {@code ownEventLoop} puts them on a {@code LoopPool} loop; {@link
 * dev.jdgram.internal.KeepAlive} keeps the JVM running while a ref'ed socket is open. {@link
 * dev.jdgram.internal.SocketSettings} applies Node's option setters straight to the descriptor, on
 * the caller's thread. Every error is built by the one table in {@link
 * dev.jdgram.internal.NodeErrors}; {@link dev.jdgram.internal.ErrorMapping} turns kernel, Netty and
 * JDK failures into an {@link dev.jdgram.internal.Errno}. {@link dev.jdgram.internal.Addresses} and
 * {@link dev.jdgram.internal.LibuvIp} parse and print addresses exactly as Node does.
 */
package dev.jdgram.internal;

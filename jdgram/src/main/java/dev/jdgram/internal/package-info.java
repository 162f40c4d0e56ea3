/**
 * How jdgram works; not exported by the module, and no part of the API. Each {@code DgramSocket}
 * wraps a {@link dev.jdgram.internal.SocketCore}, the state machine of Node's bind, connect and
 * close states on one Netty channel and event loop: public calls check state on the caller's thread
 * and throw Node's synchronous errors, then the work runs on the loop. Sends and connects wait in a
 * {@code SendQueue} in call order, behind any host-name lookup that a {@code Resolver} runs through
 * the socket's {@link dev.jdgram.Lookup} ({@link dev.jdgram.internal.DefaultLookup} by default, off
 * the loop); {@code sendMany} batches become UDP GSO writes where they can. The one {@code
 * Receiver} handler copies each datagram out of a per-loop read buffer ({@code ReadBuffers}) and
 * {@link dev.jdgram.internal.SocketEvents} emits it, with Node's EventEmitter rules kept by {@link
 * dev.jdgram.internal.Emitter}. {@link dev.jdgram.internal.Transport} chooses Netty's native epoll
 * transport on Linux (raw socket options set as libuv sets them) or Java NIO elsewhere; all sockets
 * share one daemon loop thread unless {@code ownEventLoop} puts them on a {@code LoopPool} loop,
 * and {@link dev.jdgram.internal.KeepAlive} keeps the JVM running while a ref'ed socket is open.
 * {@link dev.jdgram.internal.SocketSettings} applies Node's option setters straight to the
 * descriptor. Every failure from the kernel, Netty or the JDK is turned into Node's error code by
 * the one table in {@link dev.jdgram.internal.ErrorMapping} (with {@link dev.jdgram.internal.Errno}
 * and {@link dev.jdgram.internal.NodeErrors}); {@link dev.jdgram.internal.Addresses} and {@link
 * dev.jdgram.internal.LibuvIp} parse and print addresses exactly as Node does.
 */
package dev.jdgram.internal;

/**
 * Node.js's {@code node:dgram} module for Java: UDP sockets with Node's API, events, errors and
 * semantics. {@link dev.jdgram.Dgram#createSocket(String)} makes a {@link dev.jdgram.DgramSocket},
 * which binds, sends, connects, joins multicast groups and closes as Node's {@code dgram.Socket}
 * does, and reports what happens through typed events ({@link dev.jdgram.DgramSocket#MESSAGE} with
 * a {@link dev.jdgram.RemoteInfo}, {@code LISTENING}, {@code CONNECT}, {@code CLOSE}, {@code
 * ERROR}) whose listeners run on the socket's event-loop thread, never inside the call that caused
 * them. {@link dev.jdgram.SocketOptions} and {@link dev.jdgram.BindOptions} are Node's option
 * objects; {@link dev.jdgram.BlockList}, {@link dev.jdgram.AbortController} and {@link
 * dev.jdgram.Lookup} stand in for Node's {@code net.BlockList}, {@code AbortController} and {@code
 * dns.lookup}; every failure is a {@link dev.jdgram.DgramException} carrying Node's {@code code}.
 * Beyond Node, {@link dev.jdgram.DgramSocket#sendMany} sends a batch of datagrams in few system
 * calls and {@link dev.jdgram.SocketOptions#ownEventLoop(boolean)} gives a socket an event loop of
 * its own. No Netty type appears here; everything else lives in the module's unexported {@code
 * dev.jdgram.internal}.
 *
 * @since 0.1.0
 */
package dev.jdgram;

package dev.jdgram;

/**
 * The sender of a received datagram: Node's {@code rinfo}.
 *
 * @param address the sender's address; an IPv6 link-local sender's carries its {@code %zone}
 * @param family {@code "IPv4"} or {@code "IPv6"}
 * @param port the sender's port
 * @param size the datagram's size in bytes
 * @since 0.1.0
 */
public record RemoteInfo(String address, String family, int port, int size) {}

package dev.jdgram;

/**
 * A socket address as Node reports it from {@code socket.address()} and {@code
 * socket.remoteAddress()}.
 *
 * @param address the IP address, in Node's text form ({@code "0.0.0.0"}, {@code "::1"})
 * @param family {@code "IPv4"} or {@code "IPv6"}
 * @param port the port
 * @since 0.1.0
 */
public record AddressInfo(String address, String family, int port) {}

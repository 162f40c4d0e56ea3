package dev.jdgram;

/**
 * What one socket has done since it was created, as {@link DgramSocket#stats()} reports it: every
 * datagram the kernel delivered to it is either received (and emitted as {@code 'message'}) or
 * counted as dropped here, and every send is either sent or counted as failed or refused.
 *
 * @param datagramsReceived datagrams emitted as {@code 'message'}
 * @param bytesReceived their payload bytes
 * @param datagramsSent datagrams the kernel accepted (their send callbacks got no error)
 * @param bytesSent their payload bytes
 * @param sendErrors datagrams whose send failed (lookup, family, size, block list, queue limit, the
 *     kernel), each reported once to its callback or as {@code 'error'}
 * @param sendBlocked of those, sends refused because the {@code sendBlockList} holds the
 *     destination ({@code ERR_IP_BLOCKED})
 * @param sendQueueRefused of those, sends refused because the socket's {@code sendQueueLimit} was
 *     reached ({@code ENOBUFS})
 * @param receiveBlocked datagrams dropped because the {@code receiveBlockList} holds the sender
 * @param kernelDrops datagrams the kernel discarded for this socket, nearly always because its
 *     receive buffer was full (Linux's per-socket drop counter, which also counts the rare datagram
 *     with a bad checksum); -1 where the kernel does not say (not Linux, or on the NIO transport a
 *     port that several sockets share)
 * @since 0.1.0
 */
public record SocketStats(
    long datagramsReceived,
    long bytesReceived,
    long datagramsSent,
    long bytesSent,
    long sendErrors,
    long sendBlocked,
    long sendQueueRefused,
    long receiveBlocked,
    long kernelDrops) {}

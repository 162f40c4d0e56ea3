package dev.jdgram.examples;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * jdgram's {@code sendMany}: a batch of datagrams in one call, with one callback. On Linux with the
 * epoll transport, a run of equal-size datagrams leaves in UDP GSO writes (one system call for up
 * to 64 datagrams, cut up by the kernel); elsewhere in one sendmmsg, or one send each on NIO. The
 * receiver still gets them one by one.
 *
 * <pre>
 * java ... dev.jdgram.examples.SendManyGso [count [size]]     (default 64 100)
 * sendMany: 64 datagrams of 100 bytes, 6400 bytes in one call
 * received 64 datagrams of 100 bytes on 127.0.0.1:35387
 * </pre>
 */
public final class SendManyGso {
  private SendManyGso() {}

  /**
   * Sends {@code count} datagrams of {@code size} bytes with one {@code sendMany} to a receiver on
   * 127.0.0.1, waits for all of them and closes both sockets.
   *
   * @param count how many datagrams, 1 to a few hundred (loopback drops what the receiver's buffer
   *     cannot hold)
   * @param size each datagram's size in bytes
   * @param out where the lines go
   * @return how many datagrams the receiver got
   * @throws Exception if the send fails, or the datagrams do not all arrive within 10 s
   */
  public static int run(int count, int size, Consumer<String> out) throws Exception {
    CountDownLatch arrived = new CountDownLatch(count);
    DgramSocket receiver =
        Dgram.createSocket(
            "udp4",
            (msg, rinfo) -> {
              if (msg.length == size) {
                arrived.countDown();
              }
            });
    DgramSocket sender = Dgram.createSocket("udp4");
    try {
      CompletableFuture<Void> listening = new CompletableFuture<>();
      receiver.once(DgramSocket.ERROR, listening::completeExceptionally);
      receiver.bind(0, "127.0.0.1", () -> listening.complete(null));
      listening.get(10, TimeUnit.SECONDS);
      int port = receiver.address().port();

      List<byte[]> frames = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        byte[] frame = new byte[size];
        Arrays.fill(frame, (byte) ('a' + i % 26));
        frames.add(frame);
      }
      CompletableFuture<Integer> sent = new CompletableFuture<>();
      sender.sendMany(
          frames,
          port,
          "127.0.0.1",
          (err, bytes) -> {
            if (err != null) {
              sent.completeExceptionally(err);
            } else {
              sent.complete(bytes);
            }
          });
      int bytes = sent.get(10, TimeUnit.SECONDS);
      out.accept(
          "sendMany: "
              + count
              + " datagrams of "
              + size
              + " bytes, "
              + bytes
              + " bytes in one call");
      boolean all = arrived.await(10, TimeUnit.SECONDS);
      int received = count - (int) arrived.getCount();
      out.accept(
          "received "
              + received
              + " datagrams of "
              + size
              + " bytes on 127.0.0.1:"
              + port
              + (all ? "" : " (the rest were dropped)"));
      return received;
    } finally {
      sender.close();
      receiver.close();
    }
  }

  /**
   * Runs the example once.
   *
   * @param args the number of datagrams (default 64) and their size (default 100)
   * @throws Exception if the send fails
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    run(count, size, System.out::println);
  }
}

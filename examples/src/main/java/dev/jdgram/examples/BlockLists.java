package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jdgram.BlockList;
import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Node's {@code receiveBlockList} and {@code sendBlockList} socket options, on loopback (every
 * 127.x.y.z address is this host's): a server whose receive list blocks 127.0.0.2 never sees that
 * sender's datagram, and a client whose send list blocks 127.0.0.100-127.0.0.199 gets {@code
 * ERR_IP_BLOCKED} in its send callback instead of sending.
 *
 * <pre>
 * java ... dev.jdgram.examples.BlockLists
 * server (receiveBlockList [Address: IPv4 127.0.0.2]) listening on 127.0.0.1:39113
 * sent: from 127.0.0.2 (blocked at the server)
 * sent: from 127.0.0.1
 * server got: from 127.0.0.1
 * send to 127.0.0.150 failed: ERR_IP_BLOCKED IP(127.0.0.150) is blocked by net.BlockList
 * </pre>
 */
public final class BlockLists {
  private BlockLists() {}

  /**
   * What the run saw.
   *
   * @param received the server's datagrams, in order: only the unblocked sender's
   * @param blockedSendCode the code of the send to a blocked destination
   */
  public record Outcome(List<String> received, String blockedSendCode) {}

  /**
   * Runs both block lists once and closes everything.
   *
   * @param out where the lines go
   * @return what the server received and how the blocked send failed
   * @throws Exception if a step fails or takes more than 10 s
   */
  public static Outcome run(Consumer<String> out) throws Exception {
    BlockList blockedSenders = new BlockList();
    blockedSenders.addAddress("127.0.0.2");
    BlockList blockedDestinations = new BlockList();
    blockedDestinations.addRange("127.0.0.100", "127.0.0.199");

    BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    DgramSocket server =
        Dgram.createSocket(
            SocketOptions.of("udp4").receiveBlockList(blockedSenders),
            (msg, rinfo) -> inbox.add(new String(msg, UTF_8)));
    DgramSocket blocked = Dgram.createSocket("udp4");
    DgramSocket client =
        Dgram.createSocket(SocketOptions.of("udp4").sendBlockList(blockedDestinations));
    try {
      int port = bind(server, "127.0.0.1");
      out.accept(
          "server (receiveBlockList "
              + blockedSenders.rules()
              + ") listening on 127.0.0.1:"
              + port);
      bind(blocked, "127.0.0.2");
      bind(client, "127.0.0.1");

      // The blocked sender's datagram goes first: the kernel queues both in order, and the
      // server reads its queue in order, so by the time the second arrives the first was dropped.
      send(blocked, "from 127.0.0.2", port, "127.0.0.1");
      out.accept("sent: from 127.0.0.2 (blocked at the server)");
      send(client, "from 127.0.0.1", port, "127.0.0.1");
      out.accept("sent: from 127.0.0.1");
      String first = inbox.poll(10, TimeUnit.SECONDS);
      if (first == null) {
        throw new IllegalStateException("the server received nothing within 10 s");
      }
      List<String> received = new ArrayList<>();
      received.add(first);
      inbox.drainTo(received);
      for (String text : received) {
        out.accept("server got: " + text);
      }

      String code;
      try {
        send(client, "to a blocked address", port, "127.0.0.150");
        code = "(sent)";
        out.accept("send to 127.0.0.150 was not blocked");
      } catch (DgramException e) {
        code = e.code();
        out.accept("send to 127.0.0.150 failed: " + e.code() + " " + e.getMessage());
      }
      return new Outcome(received, code);
    } finally {
      server.close();
      blocked.close();
      client.close();
    }
  }

  /** Binds to {@code address} on a port the system picks and returns the port. */
  private static int bind(DgramSocket socket, String address) throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    socket.once(DgramSocket.ERROR, listening::completeExceptionally);
    socket.bind(0, address, () -> listening.complete(null));
    listening.get(10, TimeUnit.SECONDS);
    return socket.address().port();
  }

  /** Sends and waits for the callback; a send error is thrown as it is. */
  private static void send(DgramSocket from, String text, int port, String address)
      throws Exception {
    CompletableFuture<Integer> sent = new CompletableFuture<>();
    from.send(
        text,
        port,
        address,
        (err, bytes) -> {
          if (err != null) {
            sent.completeExceptionally(err);
          } else {
            sent.complete(bytes);
          }
        });
    try {
      sent.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DgramException) {
        throw (DgramException) e.getCause();
      }
      throw e;
    }
  }

  /**
   * Runs the example once.
   *
   * @param args none
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    run(System.out::println);
  }
}

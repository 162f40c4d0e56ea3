package dev.jdgram;

import static dev.jdgram.Sockets.closeAll;
import static dev.jdgram.Sockets.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sends queued back to back to one destination go out as joined UDP GSO writes where the transport
 * has GSO (epoll, io_uring): each must still arrive as its own datagram, whole and in call order,
 * with its own callback and its own count in {@code stats()}. Runs of sizes at and around the
 * largest joined size, shorter last datagrams, switches of destination and sizes that are never
 * joined are mixed by a seeded generator.
 */
class CoalescedSendTest {
  /** Sends per round: a round must fit the receivers' default receive buffers, read or not. */
  private static final int PER_ROUND = 60;

  private static final int ROUNDS = 10;

  private static final int[] SIZES = {4, 40, 100, 1_231, 1_232, 1_233, 2_000};

  /** One planned send: its sequence number, size and receiver (0 or 1). */
  private record Planned(int seq, int size, int to) {}

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void burstsToTwoReceiversArriveWholeInOrderWithTheirOwnCallbacks(String type) throws Exception {
    DgramSocket[] receivers = {Sockets.bound(type), Sockets.bound(type)};
    DgramSocket sender = Sockets.bound(type);
    try {
      List<Planned> plan = plan(new Random(20261205L), true);
      runRounds(sender, receivers, plan, type, false);
      assertJoinedOnGsoTransports(sender, plan.size());
    } finally {
      closeAll(sender, receivers[0], receivers[1]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void burstsOnAConnectedSocketArriveWholeInOrderWithTheirOwnCallbacks(String type)
      throws Exception {
    DgramSocket[] receivers = {Sockets.bound(type)};
    DgramSocket sender = Sockets.bound(type);
    try {
      CountDownLatch connected = new CountDownLatch(1);
      sender.connect(receivers[0].address().port(), loopback(type), err -> connected.countDown());
      assertTrue(connected.await(10, TimeUnit.SECONDS), "connect");
      List<Planned> plan = plan(new Random(7L), false);
      runRounds(sender, receivers, plan, type, true);
      assertJoinedOnGsoTransports(sender, plan.size());
    } finally {
      closeAll(sender, receivers[0]);
    }
  }

  /**
   * Sends and a sendMany queued on a connected socket just before disconnect(): each callback runs
   * once, with success or a Node error; nothing escapes to the loop, no buffer leaks.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendsQueuedJustBeforeADisconnectEachEndOnceWithANodeError(String type) throws Exception {
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Sockets.bound(type);
    try {
      CountDownLatch connected = new CountDownLatch(1);
      sender.connect(receiver.address().port(), loopback(type), err -> connected.countDown());
      assertTrue(connected.await(10, TimeUnit.SECONDS), "connect");
      int sends = 20;
      CountDownLatch called = new CountDownLatch(sends + 1);
      List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
      SendCallback record =
          (e, n) -> {
            outcomes.add(e == null ? "ok" : e.code());
            called.countDown();
          };
      sender.send(
          new byte[0],
          (err, bytes) -> {
            // On the loop: all of these are queued, then the peer goes before the drain runs.
            for (int i = 0; i < sends; i++) {
              sender.send(new byte[100], record);
            }
            sender.sendMany(List.of(new byte[50], new byte[50], new byte[50]), record);
            sender.disconnect();
          });
      assertTrue(called.await(10, TimeUnit.SECONDS), "callbacks: " + outcomes);
      for (String outcome : outcomes) {
        assertTrue(outcome.equals("ok") || outcome.startsWith("E"), "outcome " + outcomes);
      }
      assertEquals(List.of(), LeakCheck.takeUncaught(), "uncaught on the loop");
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Runs of one size (a shorter last one now and then), switching receiver now and then. */
  private static List<Planned> plan(Random random, boolean twoReceivers) {
    List<Planned> plan = new ArrayList<>();
    int to = 0;
    while (plan.size() < PER_ROUND * ROUNDS) {
      int size = SIZES[random.nextInt(SIZES.length)];
      int run = 1 + random.nextInt(random.nextBoolean() ? 3 : 80);
      for (int i = 0; i < run && plan.size() < PER_ROUND * ROUNDS; i++) {
        plan.add(new Planned(plan.size(), size, to));
      }
      if (size > 4 && random.nextInt(3) == 0) {
        plan.add(new Planned(plan.size(), 4 + random.nextInt(size - 4), to)); // a shorter last
      }
      if (twoReceivers && random.nextInt(4) == 0) {
        to = 1 - to;
      }
    }
    return plan.subList(0, PER_ROUND * ROUNDS);
  }

  /**
   * Sends the plan in rounds, each round queued at once from inside a callback on the sender's loop
   * (so that the drain finds it whole), and checks each round before the next.
   */
  private static void runRounds(
      DgramSocket sender,
      DgramSocket[] receivers,
      List<Planned> plan,
      String type,
      boolean connected)
      throws Exception {
    List<List<byte[]>> inboxes = new ArrayList<>();
    CountDownLatch[] arrived = new CountDownLatch[1];
    for (int r = 0; r < receivers.length; r++) {
      List<byte[]> inbox = Collections.synchronizedList(new ArrayList<>());
      inboxes.add(inbox);
      receivers[r].on(
          DgramSocket.MESSAGE,
          (msg, rinfo) -> {
            if (msg.length > 0) { // not a round's zero-length starter
              inbox.add(msg);
              arrived[0].countDown();
            }
          });
    }
    ConcurrentHashMap<Integer, Integer> callbacks = new ConcurrentHashMap<>();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    int[] ports = new int[receivers.length];
    for (int r = 0; r < receivers.length; r++) {
      ports[r] = receivers[r].address().port();
    }
    for (int round = 0; round < ROUNDS; round++) {
      List<Planned> part = plan.subList(round * PER_ROUND, (round + 1) * PER_ROUND);
      arrived[0] = new CountDownLatch(part.size());
      CountDownLatch called = new CountDownLatch(part.size());
      CountDownLatch issued = new CountDownLatch(1);
      // A zero-length send's callback runs on the loop; the round is queued from inside it.
      SendCallback issueRound =
          (err, bytes) -> {
            for (Planned p : part) {
              SendCallback cb =
                  (e, n) -> {
                    if (e != null || n != p.size()) {
                      problems.add("send " + p.seq() + ": " + e + ", " + n + " bytes");
                    }
                    if (callbacks.merge(p.seq(), 1, Integer::sum) != 1) {
                      problems.add("send " + p.seq() + ": callback called twice");
                    }
                    called.countDown();
                  };
              if (connected) {
                sender.send(payload(p), cb);
              } else {
                sender.send(payload(p), ports[p.to()], loopback(type), cb);
              }
            }
            issued.countDown();
          };
      if (connected) {
        sender.send(new byte[0], issueRound);
      } else {
        sender.send(new byte[0], ports[0], loopback(type), issueRound);
      }
      assertTrue(issued.await(10, TimeUnit.SECONDS), "round " + round + " issued");
      assertTrue(called.await(10, TimeUnit.SECONDS), "round " + round + ": callbacks");
      if (!arrived[0].await(10, TimeUnit.SECONDS)) {
        fail("round " + round + ": " + arrived[0].getCount() + " datagrams missing");
      }
    }
    assertEquals(List.of(), problems);
    for (int r = 0; r < receivers.length; r++) {
      int to = r;
      List<byte[]> got = new ArrayList<>(inboxes.get(r));
      List<Planned> expected = plan.stream().filter(p -> p.to() == to).toList();
      assertEquals(expected.size(), got.size(), "datagrams at receiver " + r);
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(payload(expected.get(i)), got.get(i), "datagram " + i + " at " + r);
      }
    }
    // Each round's zero-length starter counts too.
    assertEquals(plan.size() + ROUNDS, sender.stats().datagramsSent(), "stats: sent");
  }

  /** The planned datagram: its sequence number, then a pattern that depends on it. */
  private static byte[] payload(Planned p) {
    ByteBuffer b = ByteBuffer.allocate(p.size());
    b.putInt(p.seq());
    while (b.hasRemaining()) {
      b.put((byte) (p.seq() * 31 + b.position()));
    }
    return b.array();
  }

  private static void assertJoinedOnGsoTransports(DgramSocket sender, int sends) {
    long joined = sender.coalescedDatagrams();
    if (Sockets.nio()) {
      assertEquals(0, joined, "NIO has no GSO: nothing joined");
    } else {
      assertTrue(
          joined > sends / 4, "joined " + joined + " of " + sends + " sends: GSO writes expected");
    }
  }
}

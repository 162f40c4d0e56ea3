package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** One socket in a {@link Host}'s agent: jdgram's DgramSocket or Node's dgram.Socket. */
final class Sock {
  private static final AtomicInteger TAGS = new AtomicInteger();

  final Host host;
  final String id;
  final String type;
  private int port = -1;

  Sock(Host host, String id, String type) {
    this.host = host;
    this.id = id;
    this.type = type;
  }

  /** The bound port. */
  int port() {
    if (port < 0) {
      fail(this + " is not bound");
    }
    return port;
  }

  /** Binds to {@code port} on {@code address} (null: all) and waits for 'listening'. */
  Sock bind(int port, String address) {
    if (address == null) {
      call("bind", port);
    } else {
      call("bind", port, address);
    }
    String ev = event(l -> l.contains(" listening ") || l.contains(" error "), "listening");
    if (ev.contains(" error ")) {
      fail(this + ": bind failed: " + ev);
    }
    String[] w = ev.split(" ");
    this.port = Integer.parseInt(w[4]);
    return this;
  }

  /** Binds to a random port on all addresses. */
  Sock bind() {
    return bind(0, null);
  }

  /** Runs a command on this socket; returns the agent's result. */
  String call(String command, Object... args) {
    Object[] words = new Object[args.length + 2];
    words[0] = command;
    words[1] = id;
    System.arraycopy(args, 0, words, 2, args.length);
    return host.call(words);
  }

  /** Runs a command on this socket that must throw; returns the error. */
  Host.Err callThrows(String command, Object... args) {
    Object[] words = new Object[args.length + 2];
    words[0] = command;
    words[1] = id;
    System.arraycopy(args, 0, words, 2, args.length);
    return host.callThrows(words);
  }

  /** A text unique to this run, to send and then recognise among strays. */
  static String tag(String what) {
    return what + "-" + TAGS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Starts a send with a callback; returns the key of its callback for {@link #sendResult}. */
  String sendAsync(String text, int port, String address) {
    String key = "k" + TAGS.incrementAndGet();
    call("send", Host.hex(text), port, address, key);
    return key;
  }

  /** Sends and waits for the callback; fails if the send failed. */
  void send(String text, int port, String address) {
    Host.Err err = sendResult(sendAsync(text, port, address));
    if (err != null) {
      fail(this + ": send of " + text + " to " + address + ":" + port + " failed: " + err);
    }
  }

  /** Sends on a connected socket and returns the callback's error (null: success). */
  Host.Err sendConnected(String text) {
    String key = "k" + TAGS.incrementAndGet();
    call("sendc", Host.hex(text), key);
    return sendResult(key);
  }

  /** Waits for the callback of a send; returns its error, or null if the send succeeded. */
  Host.Err sendResult(String key) {
    String ev =
        event(
            l -> l.contains(" sent " + key + " ") || l.contains(" senderr " + key + " "),
            "send callback " + key);
    String marker = " senderr " + key + " ";
    int at = ev.indexOf(marker);
    return at < 0 ? null : Host.Err.parse(ev.substring(at + marker.length()));
  }

  /** Connects and waits for the callback; fails if it failed. */
  void connect(int port, String address) {
    call("connect", port, address);
    String ev = event(l -> l.contains(" connectcb "), "connect callback");
    if (!ev.endsWith(" connectcb ok")) {
      fail(this + ": connect failed: " + ev);
    }
  }

  /** Waits for the datagram carrying {@code text}. */
  Host.Message receive(String text) {
    return receive(text, Host.WAIT_MILLIS);
  }

  Host.Message receive(String text, long millis) {
    return poll(text, millis)
        .orElseGet(
            () ->
                fail(
                    this
                        + ": '"
                        + text
                        + "' not received within "
                        + millis
                        + " ms\n"
                        + host.transcript()));
  }

  /** The datagram carrying {@code text}, if it arrives within {@code millis}. */
  Optional<Host.Message> poll(String text, long millis) {
    String prefix = "ev " + id + " message " + Host.hex(text) + " ";
    return host.poll(l -> l.startsWith(prefix), millis)
        .map(l -> message(l.substring(prefix.length())));
  }

  private Host.Message message(String rest) {
    String[] w = rest.split(" ");
    return new Host.Message(w[0], w[1], Integer.parseInt(w[2]), Integer.parseInt(w[3]));
  }

  /** Asserts that {@code text} does not arrive within {@code millis}. */
  void assertNotReceived(String text, long millis) {
    Optional<Host.Message> m = poll(text, millis);
    assertTrue(m.isEmpty(), () -> this + ": received '" + text + "' although it must not: " + m);
  }

  /** How long a datagram that must not arrive is waited for, after a marker that must. */
  static final long ABSENCE_MILLIS = 300;

  /**
   * Asserts that {@code text}, sent before, is not delivered: a unicast marker that {@code from}
   * sends to this socket at {@code address} afterwards arrives, and {@code text} is still missing
   * {@value #ABSENCE_MILLIS} ms later. Bounded, and never passes just because the network is slow.
   */
  void assertNotDelivered(String text, Sock from, String address) {
    String marker = tag("marker");
    from.send(marker, port(), address);
    receive(marker);
    assertNotReceived(text, ABSENCE_MILLIS);
  }

  /** Waits for an 'error' event and returns the error. */
  Host.Err awaitError() {
    String marker = "ev " + id + " error ";
    String ev = event(l -> l.startsWith(marker), "'error'");
    return Host.Err.parse(ev.substring(marker.length()));
  }

  /** Any 'error' event within {@code millis}. */
  Optional<String> pollError(long millis) {
    return host.poll(l -> l.startsWith("ev " + id + " error "), millis);
  }

  /** Every 'message' event received so far for this socket, as lines. */
  List<String> drainMessages() {
    List<String> all = new ArrayList<>();
    Optional<String> l;
    while ((l = host.poll(s -> s.startsWith("ev " + id + " message "), 0)).isPresent()) {
      all.add(l.get());
    }
    return all;
  }

  private String event(java.util.function.Predicate<String> p, String what) {
    return host.await(
        l -> l.startsWith("ev " + id + " ") && p.test(l), Host.WAIT_MILLIS, this + " " + what);
  }

  void close() {
    call("close");
    event(l -> l.equals("ev " + id + " close"), "'close'");
  }

  @Override
  public String toString() {
    return host.name + "/" + id + "(" + type + ")";
  }
}

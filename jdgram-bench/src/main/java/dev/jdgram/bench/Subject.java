package dev.jdgram.bench;

import java.util.Locale;

/** What is measured: jdgram on each transport, Node.js dgram, and raw Netty epoll. */
public enum Subject {
  /** jdgram on Netty's native epoll transport. */
  JDGRAM_EPOLL("jdgram-epoll"),
  /** jdgram on Java NIO, its portable fallback. */
  JDGRAM_NIO("jdgram-nio"),
  /** Node.js {@code node:dgram}, the reference: every ratio is to it. */
  NODE("node"),
  /** Raw Netty epoll configured as jdgram configures it: the floor under jdgram's semantics. */
  NETTY("netty");

  private final String id;

  Subject(String id) {
    this.id = id;
  }

  /** The name used on the command line, in tables and in the CSV. */
  public String id() {
    return id;
  }

  /** Whether this subject runs in a JVM (and reports its heap allocation). */
  public boolean isJava() {
    return this != NODE;
  }

  /**
   * Parses a subject name.
   *
   * @param id a name as {@link #id()} gives it
   * @return the subject
   * @throws IllegalArgumentException for an unknown name
   */
  public static Subject of(String id) {
    for (Subject s : values()) {
      if (s.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown subject '" + id + "' (jdgram-epoll, jdgram-nio, node, netty)");
  }
}

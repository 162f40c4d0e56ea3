package dev.jdgram.bench;

import java.util.Locale;

/**
 * What is measured: jdgram on each transport (epoll, NIO, io_uring), Node.js dgram, raw Netty
 * epoll, and the ceiling (plain C on the same kernel).
 */
public enum Subject {
  /** jdgram on Netty's native epoll transport. */
  JDGRAM_EPOLL("jdgram-epoll"),
  /** jdgram on Java NIO, its portable fallback. */
  JDGRAM_NIO("jdgram-nio"),
  /** jdgram on Netty's io_uring transport, the other Linux-native one. */
  JDGRAM_IO_URING("jdgram-io_uring"),
  /** Node.js {@code node:dgram}, the reference: every ratio is to it. */
  NODE("node"),
  /** Raw Netty epoll configured as jdgram configures it: the floor under jdgram's semantics. */
  NETTY("netty"),
  /**
   * Plain C (recvmmsg, sendto, sendmmsg, a blocking ping-pong), compiled with the system's gcc at
   * bench time: what the kernel allows with no runtime in the way. Every jdgram figure is also
   * reported as a fraction of it.
   */
  CEILING("ceiling");

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
    return this != NODE && this != CEILING;
  }

  /**
   * Whether this subject takes part in a workload: the ceiling only where a plain C loop is the
   * meaningful bound (recv, send, sendmany, pingpong, coldstart), Node not where its dgram lacks
   * the feature (multicore: no reusePort in Node 20), raw Netty not in coldstart.
   *
   * @param workload a workload's name
   * @return whether to measure this subject in it
   */
  public boolean takesPartIn(String workload) {
    return switch (this) {
      case CEILING ->
          switch (workload) {
            case "recv", "send", "sendmany", "pingpong", "coldstart" -> true;
            default -> false;
          };
      case NODE -> !workload.equals("multicore");
      case NETTY -> !workload.equals("coldstart"); // the library's cold start is the question
      default -> true;
    };
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
        "unknown subject '"
            + id
            + "' (jdgram-epoll, jdgram-nio, jdgram-io_uring, node, netty, ceiling)");
  }
}

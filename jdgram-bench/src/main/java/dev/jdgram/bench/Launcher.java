package dev.jdgram.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the command lines of subject processes: Java subjects run this JVM's {@code java} with
 * this JVM's class path (so it works from the module's classes and from the shaded CLI jar alike),
 * Node subjects run the script shipped as a resource, extracted once to a temporary directory, and
 * the ceiling runs the C program that {@link Ceiling} compiled.
 */
public final class Launcher {
  /**
   * JVM flags of every Java subject and tool, in one place. The serial collector with a small young
   * generation keeps a receiver's resident memory near the JVM's floor (the allocation per datagram
   * is almost all short-lived, and each young collection of 16 MiB takes well under a millisecond);
   * the maximum heap stays above 512 MiB because Netty 4.2's allocator drops into a low-memory mode
   * below that, which roughly halves raw Netty's receive rate (NETTY-NOTES).
   */
  public static final List<String> JVM_FLAGS =
      List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmn16m", "-Xmx1g");

  /** The Node subject script, a resource on the class path. */
  static final String NODE_SCRIPT = "/dev/jdgram/bench/node/subject.js";

  private static final String JDGRAM_MAIN = "dev.jdgram.bench.subject.JdgramSubject";
  private static final String NETTY_MAIN = "dev.jdgram.bench.subject.NettySubject";

  private final String java;
  private final String classPath;
  private final String node;
  private Path nodeScript;
  private Path ceiling;

  /**
   * Creates a launcher for this JVM's class path.
   *
   * @param node the {@code node} executable
   */
  public Launcher(String node) {
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classPath = System.getProperty("java.class.path");
    this.node = node;
  }

  /**
   * Sets the compiled ceiling program (see {@link Ceiling}); without it, the ceiling subject and
   * the {@link #measured} runner are unavailable.
   *
   * @param binary the executable, or null
   */
  public synchronized void ceiling(Path binary) {
    this.ceiling = binary;
  }

  /** Whether the ceiling program was built. */
  public synchronized boolean hasCeiling() {
    return ceiling != null;
  }

  /**
   * A command run under the ceiling program's {@code run} mode, which prints {@code RESULT
   * wall_ms=... maxrss_kb=... status=...}: its wall time and peak resident set (wait4's rusage).
   *
   * @param command the command to measure
   * @return the wrapped command
   * @throws IllegalStateException if the ceiling program was not built
   */
  public synchronized List<String> measured(List<String> command) {
    if (ceiling == null) {
      throw new IllegalStateException("the ceiling program was not built");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ceiling.toString());
    cmd.add("run");
    cmd.addAll(command);
    return cmd;
  }

  /** This JVM's {@code java} executable. */
  public String javaExecutable() {
    return java;
  }

  /** This JVM's class path. */
  public String classPath() {
    return classPath;
  }

  /** The {@code node} executable. */
  public String node() {
    return node;
  }

  /** A Java command line: flags, class path, main class, arguments. */
  public List<String> java(List<String> extraFlags, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(extraFlags);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * The command line of a subject in one mode.
   *
   * @param subject the subject
   * @param mode its mode (recv, send, echo, ...)
   * @param params {@code key=value} parameters
   * @return the command
   * @throws IOException if the Node script cannot be extracted
   */
  public List<String> subject(Subject subject, String mode, List<String> params)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add(mode);
    args.addAll(params);
    switch (subject) {
      case JDGRAM_EPOLL:
        return java(List.of("-Ddev.jdgram.transport=epoll"), JDGRAM_MAIN, args);
      case JDGRAM_NIO:
        return java(List.of("-Ddev.jdgram.transport=nio"), JDGRAM_MAIN, args);
      case JDGRAM_IO_URING:
        return java(List.of("-Ddev.jdgram.transport=io_uring"), JDGRAM_MAIN, args);
      case NETTY:
        return java(List.of(), NETTY_MAIN, args);
      case CEILING:
        synchronized (this) {
          if (ceiling == null) {
            throw new IllegalStateException("the ceiling program was not built");
          }
          List<String> c = new ArrayList<>();
          c.add(ceiling.toString());
          c.addAll(args);
          return c;
        }
      case NODE:
      default:
        List<String> cmd = new ArrayList<>();
        // Node's soft limit on descriptors may be below what the scale workload binds; raise it to
        // 65536 or, where the hard limit is lower, to the hard limit. exec keeps the PID.
        cmd.add("sh");
        cmd.add("-c");
        cmd.add("ulimit -n 65536 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec \"$0\" \"$@\"");
        cmd.add(node);
        cmd.add(nodeScript().toString());
        cmd.addAll(args);
        return cmd;
    }
  }

  /** The blaster that outruns every receiver: the raw Netty subject's send mode. */
  public List<String> blaster(List<String> params) {
    List<String> args = new ArrayList<>();
    args.add("send");
    args.addAll(params);
    return java(List.of(), NETTY_MAIN, args);
  }

  /** The spinning receiver that send workloads send into. */
  public List<String> sink() {
    return java(List.of(), "dev.jdgram.bench.subject.Sink", List.of());
  }

  /** The Node subject script, extracted from the class path on first use. */
  public synchronized Path nodeScript() throws IOException {
    if (nodeScript == null) {
      Path dir = Files.createTempDirectory("jdgram-bench-node");
      Path script = dir.resolve("subject.js");
      try (InputStream in = Launcher.class.getResourceAsStream(NODE_SCRIPT)) {
        if (in == null) {
          throw new IOException("resource " + NODE_SCRIPT + " missing from the class path");
        }
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      script.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      nodeScript = script;
    }
    return nodeScript;
  }
}

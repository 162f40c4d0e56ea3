/**
 * Micrometer meters for jdgram sockets: {@link dev.jdgram.micrometer.DgramSocketMetrics}.
 * Micrometer's core jar has no module descriptor; {@code micrometer.core} is its automatic module
 * name (from its manifest).
 */
module dev.jdgram.micrometer {
  requires transitive dev.jdgram;
  requires transitive micrometer.core;

  exports dev.jdgram.micrometer;
}

/**
 * Micrometer meters for jdgram: bind a {@link dev.jdgram.micrometer.DgramSocketMetrics} per socket
 * to a {@code MeterRegistry}.
 *
 * @since 0.1.0
 */
package dev.jdgram.micrometer;

/**
 * JDK Flight Recorder events for jdgram's sockets (not exported): lifecycle ({@code
 * dev.jdgram.Bind}, {@code Connect}, {@code Close}), every {@code 'error'} ({@code
 * dev.jdgram.Error}), and each live socket's traffic once a second ({@code dev.jdgram.Traffic},
 * deltas of its {@code stats()}). The core calls {@link dev.jdgram.internal.jfr.JfrHooks}, one line
 * per hook; each returns at once unless a recording has that event enabled, and nothing runs per
 * datagram.
 */
package dev.jdgram.internal.jfr;

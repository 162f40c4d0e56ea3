package dev.jdgram.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * One live socket's traffic since its previous Traffic event (or since the first recording with
 * this event started): the deltas of its {@code stats()}.
 */
@Name("dev.jdgram.Traffic")
@Label("UDP Socket Traffic")
@Category({"jdgram"})
@Description(
    "What one jdgram socket received, sent and dropped since its previous Traffic event: the deltas"
        + " of its stats(), emitted once a period for every open socket and once more at close")
@Period("1 s")
@StackTrace(false)
final class TrafficEvent extends jdk.jfr.Event {
  @Label("Address")
  @Description("The local address, or null if the socket is not bound")
  String address;

  @Label("Port")
  @Description("The local port, or 0 if the socket is not bound")
  int port;

  @Label("Datagrams Received")
  long datagramsReceived;

  @Label("Bytes Received")
  @DataAmount
  long bytesReceived;

  @Label("Datagrams Sent")
  long datagramsSent;

  @Label("Bytes Sent")
  @DataAmount
  long bytesSent;

  @Label("Send Errors")
  @Description("Sends that failed, refused ones included")
  long sendErrors;

  @Label("Sends Blocked")
  @Description("Sends refused by the sendBlockList")
  long sendBlocked;

  @Label("Sends Refused")
  @Description("Sends refused at the send queue limit")
  long sendQueueRefused;

  @Label("Receives Blocked")
  @Description("Datagrams dropped by the receiveBlockList")
  long receiveBlocked;

  @Label("Kernel Drops")
  @Description("Datagrams the kernel dropped for this socket; -1 where the kernel does not say")
  long kernelDrops;
}

package dev.jdgram.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A socket was closed: Node's 'close' follows once the port is free. */
@Name("dev.jdgram.Close")
@Label("UDP Socket Closed")
@Category({"jdgram"})
@Description("A jdgram socket was closed")
@StackTrace(false)
final class CloseEvent extends jdk.jfr.Event {
  @Label("Address")
  @Description("The local address, or null if the socket was never bound")
  String address;

  @Label("Port")
  @Description("The local port, or 0 if the socket was never bound")
  int port;
}

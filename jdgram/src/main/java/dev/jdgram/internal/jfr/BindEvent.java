package dev.jdgram.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A socket was bound: Node's 'listening' follows. */
@Name("dev.jdgram.Bind")
@Label("UDP Socket Bound")
@Category({"jdgram"})
@Description("A jdgram socket was bound to a local address and port")
@StackTrace(false)
final class BindEvent extends jdk.jfr.Event {
  @Label("Address")
  @Description("The local address, as address() reports it")
  String address;

  @Label("Port")
  @Description("The local port")
  int port;

  @Label("Transport")
  @Description("epoll or nio")
  String transport;
}

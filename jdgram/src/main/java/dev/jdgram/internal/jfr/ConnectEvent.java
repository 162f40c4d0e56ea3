package dev.jdgram.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A socket was connected: Node's 'connect' follows. */
@Name("dev.jdgram.Connect")
@Label("UDP Socket Connected")
@Category({"jdgram"})
@Description("A jdgram socket was connected to a remote address and port")
@StackTrace(false)
final class ConnectEvent extends jdk.jfr.Event {
  @Label("Address")
  @Description("The socket's local address")
  String address;

  @Label("Port")
  @Description("The socket's local port")
  int port;

  @Label("Remote Address")
  String remoteAddress;

  @Label("Remote Port")
  int remotePort;
}

package dev.jdgram.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A socket emitted 'error'; the stack trace is the loop thread's. */
@Name("dev.jdgram.Error")
@Label("UDP Socket Error")
@Category({"jdgram"})
@Description("A jdgram socket emitted 'error' (to its listeners, or to the uncaught handler)")
final class ErrorEvent extends jdk.jfr.Event {
  @Label("Code")
  @Description("Node's error code, such as EADDRINUSE or ERR_SOCKET_DGRAM_NOT_RUNNING")
  String code;

  @Label("Syscall")
  @Description("The failed system call, such as bind or send; null if none")
  String syscall;

  @Label("Message")
  String message;
}

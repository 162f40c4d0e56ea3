package dev.jdgram.cli;

import dev.jdgram.DgramException;
import java.util.Map;

/** Turns a {@link DgramException} into the short text the command prints after a colon. */
final class ErrorText {
  /** Plain words for the system errors a UDP command meets, in the style of strerror(3). */
  private static final Map<String, String> WORDS =
      Map.ofEntries(
          Map.entry("EACCES", "permission denied"),
          Map.entry("EADDRINUSE", "address already in use"),
          Map.entry("EADDRNOTAVAIL", "address not available"),
          Map.entry("EAFNOSUPPORT", "address family not supported"),
          Map.entry("EAI_AGAIN", "temporary failure in name resolution"),
          Map.entry("ECONNREFUSED", "connection refused"),
          Map.entry("EHOSTUNREACH", "host unreachable"),
          Map.entry("EINVAL", "invalid argument"),
          Map.entry("EMSGSIZE", "message too long"),
          Map.entry("ENETUNREACH", "network unreachable"),
          Map.entry("ENOBUFS", "no buffer space available"),
          Map.entry("ENODEV", "no such device"),
          Map.entry("ENOTSUP", "operation not supported"),
          Map.entry("ENOTFOUND", "host not found"),
          Map.entry("EPERM", "operation not permitted"));

  private ErrorText() {}

  /**
   * Describes an error as {@code "<words> (<code>)"}, such as {@code "address already in use
   * (EADDRINUSE)"}; for a code without words, Node's message stands in for them.
   */
  static String describe(DgramException error) {
    String code = error.code();
    String words = code == null ? null : WORDS.get(code);
    if (words == null) {
      words = error.getMessage() == null ? "unknown error" : error.getMessage();
    }
    return code == null || words.contains(code) ? words : words + " (" + code + ")";
  }
}

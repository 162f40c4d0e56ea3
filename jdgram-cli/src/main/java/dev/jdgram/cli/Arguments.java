package dev.jdgram.cli;

import java.util.List;

/**
 * The checks that the commands share for their positional arguments, once {@link Grammar} has
 * collected them: how many, ports, non-empty values.
 */
final class Arguments {
  private Arguments() {}

  /** Fails on the first of {@code rest} past {@code max}. */
  static void expectAtMost(String name, List<String> rest, int max) throws UsageException {
    if (rest.size() > max) {
      throw new UsageException("unexpected argument '" + rest.get(max) + "' for '" + name + "'");
    }
  }

  /**
   * Checks that a command got its two required operands and at most {@code max}: {@code missing
   * <first> and <second>}, {@code missing <second>}, or {@code unexpected argument}.
   */
  static void expectTwoToMost(String name, List<String> rest, String first, String second, int max)
      throws UsageException {
    if (rest.isEmpty()) {
      throw new UsageException("missing " + first + " and " + second + " for '" + name + "'");
    }
    if (rest.size() == 1) {
      throw new UsageException("missing " + second + " for '" + name + "'");
    }
    expectAtMost(name, rest, max);
  }

  /** Parses a decimal port in {@code min..65535}; Node allows 0 to bind but not to send. */
  static int parsePort(String text, int min) throws UsageException {
    if (!text.matches("[0-9]+")) {
      throw new UsageException("invalid port '" + text + "': not a number");
    }
    // More than five digits cannot be in range, and would overflow parseInt.
    int port = text.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(text);
    if (port < min || port > 65535) {
      throw new UsageException("invalid port '" + text + "': must be " + min + " to 65535");
    }
    return port;
  }

  /** Returns {@code value}, unless it is empty. */
  static String nonEmpty(String what, String value) throws UsageException {
    if (value.isEmpty()) {
      throw new UsageException("invalid " + what + " '': must not be empty");
    }
    return value;
  }
}

package dev.jdgram.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsing helpers that the commands share: ports, non-empty values, and options ({@code --name}
 * or {@code --name value}) mixed with positional arguments.
 */
final class Arguments {
  private Arguments() {}

  /**
   * A command's arguments split into positional ones, in order, and options by name (with the
   * {@code --}), in the order given; a flag maps to the empty string.
   */
  record Split(List<String> positional, Map<String, String> options) {
    /** Returns the value of a valued option, or null if it was not given. */
    String value(String option) {
      return options.get(option);
    }

    /** Returns whether a flag or option was given. */
    boolean has(String option) {
      return options.containsKey(option);
    }
  }

  /**
   * Splits a command's arguments into positional ones and options, which may appear anywhere. An
   * argument is an option if it starts with {@code --}; a valued option takes the next argument
   * ({@code --ttl 5}) or the text after {@code =} ({@code --ttl=5}). A lone {@code --} ends the
   * options, so that what follows may start with {@code --}.
   *
   * @param command the command's name, for messages
   * @param args the arguments after the command's name
   * @param flags the options that take no value
   * @param valued the options that take one value
   * @throws UsageException for an unknown option, a missing value, a value given to a flag, or an
   *     option given twice
   */
  static Split split(String command, List<String> args, Set<String> flags, Set<String> valued)
      throws UsageException {
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        positional.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      String value;
      if (flags.contains(name)) {
        if (equals >= 0) {
          throw new UsageException("option '" + name + "' takes no value");
        }
        value = "";
      } else if (valued.contains(name)) {
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new UsageException("missing value for '" + name + "'");
        }
      } else {
        throw new UsageException("unknown option '" + name + "' for '" + command + "'");
      }
      if (options.putIfAbsent(name, value) != null) {
        throw new UsageException("option '" + name + "' given twice");
      }
    }
    return new Split(List.copyOf(positional), options);
  }

  static void expectAtMost(String name, List<String> rest, int max) throws UsageException {
    if (rest.size() > max) {
      throw new UsageException("unexpected argument '" + rest.get(max) + "' for '" + name + "'");
    }
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

  /**
   * Parses a decimal integer, possibly negative, for an option whose range the library checks (as
   * Node's {@code setTTL} does, with {@code EINVAL}): only a value that the library's {@code int}
   * parameter cannot hold is a usage error here.
   */
  static int parseInteger(String option, String text) throws UsageException {
    if (!text.matches("-?[0-9]+")) {
      throw new UsageException("invalid value '" + text + "' for '" + option + "': not a number");
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "invalid value '" + text + "' for '" + option + "': not a 32-bit integer");
    }
  }

  static String nonEmpty(String what, String value) throws UsageException {
    if (value.isEmpty()) {
      throw new UsageException("invalid " + what + " '': must not be empty");
    }
    return value;
  }
}

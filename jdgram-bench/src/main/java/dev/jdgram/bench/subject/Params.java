package dev.jdgram.bench.subject;

import java.util.HashMap;
import java.util.Map;

/** A subject program's {@code key=value} arguments after its mode. */
final class Params {
  private final Map<String, String> values = new HashMap<>();

  Params(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got '" + args[i] + "'");
      }
      values.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
  }

  int integer(String key, int fallback) {
    String v = values.get(key);
    return v == null ? fallback : Integer.parseInt(v);
  }

  String text(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }
}

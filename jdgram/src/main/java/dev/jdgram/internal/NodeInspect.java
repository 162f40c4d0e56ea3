package dev.jdgram.internal;

/** Node's {@code util.inspect} of a string, for the text of its ERR_INVALID_ARG_VALUE messages. */
public final class NodeInspect {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private NodeInspect() {}

  /**
   * Node's {@code ERR_INVALID_ARG_VALUE} rendering of a string: {@code util.inspect} (quotes and
   * escapes; a string longer than 76 characters split after each newline into {@code 'a\n' +}
   * lines), cut to 128 characters plus {@code ...}.
   */
  public static String inspect(String value) {
    String inspected;
    if (value.length() > 76) {
      StringBuilder sb = new StringBuilder();
      int start = 0;
      for (int k = 0; k < value.length(); k++) {
        if (value.charAt(k) == '\n' && k + 1 < value.length()) {
          sb.append(quote(value.substring(start, k + 1))).append(" +\n  ");
          start = k + 1;
        }
      }
      inspected = sb.append(quote(value.substring(start))).toString();
    } else {
      inspected = quote(value);
    }
    return inspected.length() > 128 ? inspected.substring(0, 128) + "..." : inspected;
  }

  /**
   * Node's {@code strEscape}: single quotes, unless the string holds one and then double quotes or
   * backticks when those are free; control characters, C1 controls, backslash and lone surrogates
   * escaped.
   */
  private static String quote(String s) {
    char q = '\'';
    if (s.indexOf('\'') >= 0) {
      if (s.indexOf('"') < 0) {
        q = '"';
      } else if (s.indexOf('`') < 0 && !s.contains("${")) {
        q = '`';
      }
    }
    StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if ((c == '\'' && q == '\'') || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        switch (c) {
          case '\b':
            sb.append("\\b");
            break;
          case '\t':
            sb.append("\\t");
            break;
          case '\n':
            sb.append("\\n");
            break;
          case '\f':
            sb.append("\\f");
            break;
          case '\r':
            sb.append("\\r");
            break;
          default:
            // Node's meta table: two upper-case hex digits.
            sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
      } else if (Character.isHighSurrogate(c)
          && k + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(k + 1))) {
        sb.append(c).append(s.charAt(++k));
      } else if (Character.isSurrogate(c)) {
        sb.append("\\u").append(Integer.toHexString(c));
      } else {
        sb.append(c);
      }
    }
    return sb.append(q).toString();
  }
}

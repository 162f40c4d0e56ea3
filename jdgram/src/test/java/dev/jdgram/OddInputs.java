package dev.jdgram;

import static dev.jdgram.Gen.weight;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generators for the bad-input properties: strings that are nearly addresses, odd ports, sizes,
 * messages of every form with their expected bytes.
 */
final class OddInputs {
  private OddInputs() {}

  static Gen<String> ipv4() {
    Gen<Integer> octet = Gen.between(0, 255);
    return r -> octet.next(r) + "." + octet.next(r) + "." + octet.next(r) + "." + octet.next(r);
  }

  static Gen<String> ipv6() {
    Gen<String> group = Gen.between(0, 0xffff).map(Integer::toHexString);
    Gen<String> full = group.list(8, 8).map(g -> String.join(":", g));
    Gen<List<String>> some = group.list(0, 3);
    Gen<String> compressed =
        r -> String.join(":", some.next(r)) + "::" + String.join(":", some.next(r));
    Gen<String> mapped = ipv4().map(v4 -> "::ffff:" + v4);
    return Gen.oneOf(full, compressed, mapped, Gen.of("::", "::1", "fe80::1"));
  }

  /** Text that is sometimes an address, often nearly one, sometimes anything at all. */
  static Gen<String> addressLike() {
    Gen<String> valid = Gen.oneOf(ipv4(), ipv6());
    Gen<String> v6 = ipv6();
    Gen<String> zones = Gen.of("lo", "eth0", "1", "", "%", "x y", "\u00e9");
    Gen<String> zoned = r -> v6.next(r) + "%" + zones.next(r);
    Gen<String> spaces = Gen.of(" ", "\t", "\n", "\0", "\u00a0", "\u3000");
    Gen<String> padded =
        r -> {
          String a = valid.next(r);
          String w = spaces.next(r);
          return w + a + w;
        };
    Gen<Integer> upTo40 = Gen.between(0, 40);
    Gen<Character> odd = oddChar();
    Gen<String> mutated =
        r -> {
          String a = valid.next(r);
          int at = upTo40.next(r);
          char c = odd.next(r);
          return at < a.length() ? a.substring(0, at) + c + a.substring(at) : a + c;
        };
    Gen<String> truncated =
        r -> {
          String a = valid.next(r);
          return a.substring(0, Math.min(upTo40.next(r), a.length()));
        };
    Gen<String> leadingZero = ipv4().map(a -> "0" + a);
    Gen<String> anything = Gen.anyString(0, 45);
    Gen<String> long300 =
        Gen.oneOf(
            Gen.strings(Gen.charsOf("0123456789abcdef:.%"), 300, 300), Gen.anyString(300, 300));
    Gen<String> fixed =
        Gen.of("", " ", "localhost", "0", "1.2.3", "1.2.3.4.5", "256.0.0.1", ":::", "::1::");
    return Gen.<String>frequency(
            weight(4, valid),
            weight(2, zoned),
            weight(1, padded),
            weight(3, mutated),
            weight(1, truncated),
            weight(1, leadingZero),
            weight(2, anything),
            weight(1, long300),
            weight(1, fixed))
        .orNull(0.03);
  }

  private static Gen<Character> oddChar() {
    return Gen.oneOf(
        Gen.of('.', ':', '%', '0', 'f', 'g', ' ', '\0', '\u0661', '\uff10', '/', '-'),
        Gen.anyChar());
  }

  static Gen<String> family() {
    return Gen.<String>oneOf(
            Gen.of("ipv4", "ipv6", "IPv4", "IPV6", "iPv6", "ipv5", "", " ipv4", "ipv4 "),
            Gen.of("\u0130pv4", "ipv\u0664"), // non-ASCII case folding and digits
            Gen.anyString(0, 8))
        .orNull(0.03);
  }

  /** Mostly near the edges of 0 to 65535, sometimes any int. */
  static Gen<Integer> port() {
    return Gen.oneOf(
        Gen.of(-1, 0, 1, 65535, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE),
        Gen.between(-10, 70_000),
        Gen.anyInt());
  }

  /** A message in one of send's forms, with the bytes Node would send or null if it rejects it. */
  static final class Message {
    final String form;
    final Object msg;
    final int offset;
    final int length;
    final byte[] bytes;
    final String code;

    Message(String form, Object msg, int offset, int length, byte[] bytes, String code) {
      this.form = form;
      this.msg = msg;
      this.offset = offset;
      this.length = length;
      this.bytes = bytes;
      this.code = code;
    }

    @Override
    public String toString() {
      String shown =
          msg instanceof byte[]
              ? "byte[" + ((byte[]) msg).length + "]"
              : msg instanceof String && ((String) msg).length() > 40
                  ? "String(" + ((String) msg).length() + ")"
                  : String.valueOf(msg);
      return form + " " + shown + " offset=" + offset + " length=" + length + " expect=" + code;
    }
  }

  static Gen<Integer> size() {
    return Gen.oneOf(Gen.of(0, 1, 65507, 65508, 70_000), Gen.between(0, 64), Gen.between(0, 2000));
  }

  static Gen<byte[]> bytes() {
    return size().map(OddInputs::pattern);
  }

  static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + n);
    }
    return b;
  }

  static Gen<Message> message() {
    Gen<byte[]> bytes = bytes();
    Gen<Message> whole = bytes.map(b -> new Message("byte[]", b, 0, b.length, b, null));
    Gen<Integer> edge = Gen.oneOf(Gen.between(-3, 70), Gen.of(Integer.MIN_VALUE, 65508));
    Gen<Message> ranged =
        r -> {
          byte[] b = bytes.next(r);
          int off = edge.next(r);
          int len = edge.next(r);
          String code = null;
          if (off < 0 || off > b.length) {
            code = "ERR_BUFFER_OUT_OF_BOUNDS";
          } else if (len < 0 || len > b.length - off) {
            code = "ERR_BUFFER_OUT_OF_BOUNDS";
          }
          byte[] expect = code == null ? Arrays.copyOfRange(b, off, off + len) : null;
          return new Message("byte[] range", b, off, len, expect, code);
        };
    Gen<Integer> upTo100 = Gen.between(0, 100);
    Gen<String> kinds = Gen.of("heap", "direct", "readonly", "readonly-direct", "wrapped-slice");
    Gen<Message> buffer =
        r -> buffer(bytes.next(r), upTo100.next(r), upTo100.next(r), kinds.next(r));
    Gen<Message> text =
        Gen.anyString(0, 300)
            .map(s -> new Message("String", s, 0, 0, s.getBytes(StandardCharsets.UTF_8), null));
    Gen<Message> list =
        listItem()
            .list(0, 5)
            .map(
                items -> {
                  ByteArrayOutputStream out = new ByteArrayOutputStream();
                  List<Object> parts = new ArrayList<>();
                  String code = null;
                  for (Object[] item : items) {
                    parts.add(item[0]);
                    if (item[1] == null) {
                      code = "ERR_INVALID_ARG_TYPE";
                    } else {
                      out.writeBytes((byte[]) item[1]);
                    }
                  }
                  return new Message(
                      "List", parts, 0, 0, code == null ? out.toByteArray() : null, code);
                });
    Gen<Message> none =
        Gen.of("byte[]", "ByteBuffer", "String", "List")
            .map(form -> new Message(form, null, 0, 0, null, "ERR_INVALID_ARG_TYPE"));
    return Gen.<Message>frequency(
        weight(3, whole),
        weight(3, ranged),
        weight(3, buffer),
        weight(2, text),
        weight(3, list),
        weight(1, none));
  }

  private static Message buffer(byte[] b, int pos, int cut, String kind) {
    ByteBuffer buf;
    if (kind.contains("direct")) {
      buf = ByteBuffer.allocateDirect(b.length);
      buf.put(b).flip();
    } else if (kind.equals("wrapped-slice")) {
      byte[] bigger = new byte[b.length + 7];
      System.arraycopy(b, 0, bigger, 3, b.length);
      buf = ByteBuffer.wrap(bigger, 3, b.length).slice();
    } else {
      buf = ByteBuffer.wrap(b.clone());
    }
    if (kind.startsWith("readonly")) {
      buf = buf.asReadOnlyBuffer();
    }
    int position = Math.min(pos, b.length);
    int limit = Math.max(position, b.length - Math.min(cut, b.length));
    buf.limit(limit).position(position);
    byte[] expect = Arrays.copyOfRange(b, position, limit);
    return new Message("ByteBuffer " + kind, buf, position, limit - position, expect, null);
  }

  /** A list element and its bytes, null bytes for a type Node's send rejects. */
  private static Gen<Object[]> listItem() {
    Gen<Integer> upTo40 = Gen.between(0, 40);
    Gen<Object[]> bytes = upTo40.map(n -> new Object[] {pattern(n), pattern(n)});
    Gen<Object[]> text =
        Gen.anyString(0, 20).map(s -> new Object[] {s, s.getBytes(StandardCharsets.UTF_8)});
    Gen<Object[]> readOnlyDirect =
        upTo40.map(
            n -> {
              ByteBuffer buf = ByteBuffer.allocateDirect(n + 2).put(pattern(n + 2));
              buf.position(2);
              byte[] rest = Arrays.copyOfRange(pattern(n + 2), 2, n + 2);
              return new Object[] {buf.asReadOnlyBuffer(), rest};
            });
    Gen<Object[]> rejected =
        r -> {
          switch (r.nextInt(7)) {
            case 0:
              return new Object[] {null, null};
            case 1:
              return new Object[] {42, null};
            case 2:
              return new Object[] {new Object(), null};
            case 3:
              return new Object[] {new int[] {1}, null};
            case 4:
              return new Object[] {List.of("a"), null};
            case 5:
              return new Object[] {'c', null};
            default:
              return new Object[] {new StringBuilder("sb"), null};
          }
        };
    return Gen.oneOf(bytes, text, readOnlyDirect, rejected);
  }
}

package dev.jdgram;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for the bad-input properties: strings that are nearly addresses, odd ports, sizes,
 * messages of every form with their expected bytes.
 */
final class OddInputs {
  private OddInputs() {}

  static Arbitrary<String> ipv4() {
    return Arbitraries.integers()
        .between(0, 255)
        .list()
        .ofSize(4)
        .map(o -> o.get(0) + "." + o.get(1) + "." + o.get(2) + "." + o.get(3));
  }

  static Arbitrary<String> ipv6() {
    Arbitrary<String> group = Arbitraries.integers().between(0, 0xffff).map(Integer::toHexString);
    Arbitrary<String> full = group.list().ofSize(8).map(g -> String.join(":", g));
    Arbitrary<String> compressed =
        Combinators.combine(group.list().ofMaxSize(3), group.list().ofMaxSize(3))
            .as((a, b) -> String.join(":", a) + "::" + String.join(":", b));
    Arbitrary<String> mapped = ipv4().map(v4 -> "::ffff:" + v4);
    return Arbitraries.oneOf(full, compressed, mapped, Arbitraries.of("::", "::1", "fe80::1"));
  }

  /** Text that is sometimes an address, often nearly one, sometimes anything at all. */
  static Arbitrary<String> addressLike() {
    Arbitrary<String> valid = Arbitraries.oneOf(ipv4(), ipv6());
    Arbitrary<String> zoned =
        Combinators.combine(ipv6(), Arbitraries.of("lo", "eth0", "1", "", "%", "x y", "é"))
            .as((a, z) -> a + "%" + z);
    Arbitrary<String> padded =
        Combinators.combine(valid, Arbitraries.of(" ", "\t", "\n", "\0", "\u00a0", "\u3000"))
            .as((a, w) -> w + a + w);
    Arbitrary<String> mutated =
        Combinators.combine(valid, Arbitraries.integers().between(0, 40), oddChar())
            .as((a, at, c) -> at < a.length() ? a.substring(0, at) + c + a.substring(at) : a + c);
    Arbitrary<String> truncated =
        Combinators.combine(valid, Arbitraries.integers().between(0, 40))
            .as((a, n) -> a.substring(0, Math.min(n, a.length())));
    Arbitrary<String> leadingZero = ipv4().map(a -> "0" + a);
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(45);
    Arbitrary<String> long300 =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("0123456789abcdef:.%").ofLength(300),
            Arbitraries.strings().all().ofLength(300));
    Arbitrary<String> fixed =
        Arbitraries.of(
            "", " ", "localhost", "0", "1.2.3", "1.2.3.4.5", "256.0.0.1", ":::", "::1::");
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, valid),
            net.jqwik.api.Tuple.of(2, zoned),
            net.jqwik.api.Tuple.of(1, padded),
            net.jqwik.api.Tuple.of(3, mutated),
            net.jqwik.api.Tuple.of(1, truncated),
            net.jqwik.api.Tuple.of(1, leadingZero),
            net.jqwik.api.Tuple.of(2, anything),
            net.jqwik.api.Tuple.of(1, long300),
            net.jqwik.api.Tuple.of(1, fixed))
        .injectNull(0.03);
  }

  private static Arbitrary<Character> oddChar() {
    return Arbitraries.oneOf(
        Arbitraries.of('.', ':', '%', '0', 'f', 'g', ' ', '\0', '\u0661', '\uff10', '/', '-'),
        Arbitraries.chars().all());
  }

  static Arbitrary<String> family() {
    return Arbitraries.oneOf(
            Arbitraries.of("ipv4", "ipv6", "IPv4", "IPV6", "iPv6", "ipv5", "", " ipv4", "ipv4 "),
            Arbitraries.of("\u0130pv4", "ipv\u0664"), // non-ASCII case folding and digits
            Arbitraries.strings().all().ofMaxLength(8))
        .injectNull(0.03);
  }

  /** Mostly near the edges of 0 to 65535, sometimes any int. */
  static Arbitrary<Integer> port() {
    return Arbitraries.oneOf(
        Arbitraries.of(-1, 0, 1, 65535, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE),
        Arbitraries.integers().between(-10, 70_000),
        Arbitraries.integers());
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

  static Arbitrary<Integer> size() {
    return Arbitraries.oneOf(
        Arbitraries.of(0, 1, 65507, 65508, 70_000),
        Arbitraries.integers().between(0, 64),
        Arbitraries.integers().between(0, 2000));
  }

  static Arbitrary<byte[]> bytes() {
    return size().map(OddInputs::pattern);
  }

  static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + n);
    }
    return b;
  }

  static Arbitrary<Message> message() {
    Arbitrary<Message> whole = bytes().map(b -> new Message("byte[]", b, 0, b.length, b, null));
    Arbitrary<Integer> edge =
        Arbitraries.oneOf(
            Arbitraries.integers().between(-3, 70), Arbitraries.of(Integer.MIN_VALUE, 65508));
    Arbitrary<Message> ranged =
        Combinators.combine(bytes(), edge, edge)
            .as(
                (b, off, len) -> {
                  String code = null;
                  if (off < 0 || off > b.length) {
                    code = "ERR_BUFFER_OUT_OF_BOUNDS";
                  } else if (len < 0 || len > b.length - off) {
                    code = "ERR_BUFFER_OUT_OF_BOUNDS";
                  }
                  byte[] expect =
                      code == null ? java.util.Arrays.copyOfRange(b, off, off + len) : null;
                  return new Message("byte[] range", b, off, len, expect, code);
                });
    Arbitrary<Message> buffer =
        Combinators.combine(
                bytes(),
                Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 100),
                Arbitraries.of("heap", "direct", "readonly", "readonly-direct", "wrapped-slice"))
            .as(OddInputs::buffer);
    Arbitrary<Message> text =
        Arbitraries.strings()
            .all()
            .ofMaxLength(300)
            .map(s -> new Message("String", s, 0, 0, s.getBytes(StandardCharsets.UTF_8), null));
    Arbitrary<Message> list =
        listItem()
            .list()
            .ofMaxSize(5)
            .map(
                items -> {
                  java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
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
    Arbitrary<Message> none =
        Arbitraries.of("byte[]", "ByteBuffer", "String", "List")
            .map(form -> new Message(form, null, 0, 0, null, "ERR_INVALID_ARG_TYPE"));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, whole),
        net.jqwik.api.Tuple.of(3, ranged),
        net.jqwik.api.Tuple.of(3, buffer),
        net.jqwik.api.Tuple.of(2, text),
        net.jqwik.api.Tuple.of(3, list),
        net.jqwik.api.Tuple.of(1, none));
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
    byte[] expect = java.util.Arrays.copyOfRange(b, position, limit);
    return new Message("ByteBuffer " + kind, buf, position, limit - position, expect, null);
  }

  /** A list element and its bytes, null bytes for a type Node's send rejects. */
  private static Arbitrary<Object[]> listItem() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, 40).map(n -> new Object[] {pattern(n), pattern(n)}),
        Arbitraries.strings()
            .all()
            .ofMaxLength(20)
            .map(s -> new Object[] {s, s.getBytes(StandardCharsets.UTF_8)}),
        Arbitraries.integers()
            .between(0, 40)
            .map(
                n -> {
                  ByteBuffer buf = ByteBuffer.allocateDirect(n + 2).put(pattern(n + 2));
                  buf.position(2);
                  byte[] rest = java.util.Arrays.copyOfRange(pattern(n + 2), 2, n + 2);
                  return new Object[] {buf.asReadOnlyBuffer(), rest};
                }),
        Arbitraries.of(
            new Object[] {null, null},
            new Object[] {42, null},
            new Object[] {new Object(), null},
            new Object[] {new int[] {1}, null},
            new Object[] {List.of("a"), null},
            new Object[] {'c', null},
            new Object[] {new StringBuilder("sb"), null}));
  }
}

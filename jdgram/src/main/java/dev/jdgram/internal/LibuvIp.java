package dev.jdgram.internal;

import java.net.InetAddress;

/**
 * IP literals exactly as libuv parses and prints them ({@code uv_ip4_addr}, {@code uv_ip6_addr},
 * {@code inet_ntop}), which is what Node's BlockList accepts and shows; Java's and Netty's parsers
 * accept and print some addresses differently. Addresses are parsed into an immutable {@link Ip}:
 * 128 bits, IPv4 in its mapped form.
 */
public final class LibuvIp {
  /** Bits 64 to 95 of an IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d}; bits 0 to 63 are 0. */
  private static final long MAPPED_PREFIX = 0xffffL;

  private LibuvIp() {}

  /**
   * An address in 128-bit form, IPv4 as {@code ::ffff:a.b.c.d}, and the family it was parsed (or is
   * checked) as.
   *
   * @param v4 whether it is IPv4
   * @param hi bits 0 to 63
   * @param lo bits 64 to 127
   */
  public record Ip(boolean v4, long hi, long lo) {
    /** An IPv4 address in its mapped form; {@code bits} holds the 32 bits of the address. */
    static Ip ofIpv4(long bits) {
      return new Ip(true, 0, MAPPED_PREFIX << 32 | bits);
    }

    /**
     * The address of {@code address}, checked as IPv4 when {@code asV4}: an {@code Inet4Address} in
     * its mapped form, and its scope and host name ignored.
     */
    public static Ip of(InetAddress address, boolean asV4) {
      byte[] b = address.getAddress();
      if (b.length == 4) {
        return new Ip(asV4, 0, MAPPED_PREFIX << 32 | (readInt(b, 0) & 0xffff_ffffL));
      }
      long hi = (long) readInt(b, 0) << 32 | (readInt(b, 4) & 0xffff_ffffL);
      long lo = (long) readInt(b, 8) << 32 | (readInt(b, 12) & 0xffff_ffffL);
      return new Ip(asV4, hi, lo);
    }

    /** Whether this is an IPv4-mapped IPv6 address (or an IPv4 address, in its mapped form). */
    public boolean isMapped() {
      return hi == 0 && lo >>> 32 == MAPPED_PREFIX;
    }

    /** Orders addresses as unsigned 128-bit numbers, whatever their family. */
    public int compareBits(Ip other) {
      int c = Long.compareUnsigned(hi, other.hi);
      return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    /** libuv's text of the address: dotted for IPv4, {@code inet_ntop6} for IPv6. */
    public String format() {
      return v4 ? formatIpv4(lo) : formatIpv6(hi, lo);
    }

    private static int readInt(byte[] b, int i) {
      return (b[i] & 0xff) << 24
          | (b[i + 1] & 0xff) << 16
          | (b[i + 2] & 0xff) << 8
          | (b[i + 3] & 0xff);
    }
  }

  // ---- Parsing: libuv's uv_ip4_addr / uv_ip6_addr, character for character. ----

  /**
   * Parses a literal of the family, IPv4 in its mapped form; null if it is none. Node hands libuv a
   * C string, so the text ends at the first NUL; an IPv6 zone after {@code %} is dropped (libuv
   * looks the interface up and ignores an unknown one), and the part before it is cut to 39
   * characters first.
   */
  public static Ip parse(String s, boolean v4) {
    int end = s.indexOf('\0');
    if (end < 0) {
      end = s.length();
    }
    if (v4) {
      long bits = parseIpv4(s, 0, end);
      return bits < 0 ? null : Ip.ofIpv4(bits);
    }
    int zone = s.indexOf('%');
    if (zone >= 0 && zone < end) {
      end = Math.min(zone, 39);
    }
    return parseIpv6(s, 0, end);
  }

  /** libuv's inet_pton4: four decimal octets, no leading zeros; returns the address or -1. */
  static long parseIpv4(String s, int from, int to) {
    long result = 0;
    int octet = 0;
    int octets = 0;
    boolean sawDigit = false;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      if (ch >= '0' && ch <= '9') {
        if (sawDigit && octet == 0) {
          return -1; // a leading zero
        }
        octet = octet * 10 + (ch - '0');
        if (octet > 255) {
          return -1;
        }
        if (!sawDigit) {
          if (++octets > 4) {
            return -1;
          }
          sawDigit = true;
        }
      } else if (ch == '.' && sawDigit) {
        if (octets == 4) {
          return -1;
        }
        result = result << 8 | octet;
        octet = 0;
        sawDigit = false;
      } else {
        return -1;
      }
    }
    if (octets < 4) {
      return -1;
    }
    return result << 8 | octet;
  }

  /**
   * libuv's inet_pton6. Groups before {@code ::} shift into {@code head}, groups after it into
   * {@code tail}; {@code words} counts both, as libuv's write pointer does.
   */
  static Ip parseIpv6(String s, int from, int to) {
    long headHi = 0;
    long headLo = 0;
    long tailHi = 0;
    long tailLo = 0;
    int words = 0;
    int headWords = -1; // words before "::", or -1 before one is seen
    int i = from;
    if (i < to && s.charAt(i) == ':') {
      if (++i >= to || s.charAt(i) != ':') {
        return null;
      }
    }
    int token = i;
    int digits = 0;
    int value = 0;
    while (i < to) {
      char ch = s.charAt(i++);
      int hex = Character.digit(ch, 16);
      if (hex >= 0 && ch < 0x80) {
        value = value << 4 | hex;
        if (++digits > 4) {
          return null;
        }
        continue;
      }
      if (ch == ':') {
        token = i;
        if (digits == 0) {
          if (headWords >= 0) {
            return null;
          }
          headWords = words;
          continue;
        } else if (i == to) {
          return null;
        }
        if (words == 8) {
          return null;
        }
        words++;
        if (headWords < 0) {
          headHi = headHi << 16 | headLo >>> 48;
          headLo = headLo << 16 | value;
        } else {
          tailHi = tailHi << 16 | tailLo >>> 48;
          tailLo = tailLo << 16 | value;
        }
        digits = 0;
        value = 0;
        continue;
      }
      if (ch == '.' && words <= 6) {
        long v4 = parseIpv4(s, token, to);
        if (v4 >= 0) {
          words += 2;
          if (headWords < 0) {
            headHi = headHi << 32 | headLo >>> 32;
            headLo = headLo << 32 | v4;
          } else {
            tailHi = tailHi << 32 | tailLo >>> 32;
            tailLo = tailLo << 32 | v4;
          }
          digits = 0;
          break; // parseIpv4 consumed the rest of the text
        }
      }
      return null;
    }
    if (digits > 0) {
      if (words == 8) {
        return null;
      }
      words++;
      if (headWords < 0) {
        headHi = headHi << 16 | headLo >>> 48;
        headLo = headLo << 16 | value;
      } else {
        tailHi = tailHi << 16 | tailLo >>> 48;
        tailLo = tailLo << 16 | value;
      }
    }
    if (headWords < 0) {
      if (words != 8) {
        return null;
      }
      return new Ip(false, headHi, headLo);
    }
    if (words == 8) {
      return null; // "::" must stand for at least one zero group
    }
    // Move the head groups to the top; the zeros of "::" fill the gap above the tail.
    int shift = 16 * (8 - headWords);
    if (shift >= 128) {
      return new Ip(false, tailHi, tailLo);
    } else if (shift >= 64) {
      return new Ip(false, headLo << (shift - 64) | tailHi, tailLo);
    }
    return new Ip(
        false, headHi << shift | headLo >>> (64 - shift) | tailHi, headLo << shift | tailLo);
  }

  // ---- Formatting: libuv's inet_ntop, as Node prints rules. ----

  static String formatIpv4(long bits) {
    return ((bits >>> 24) & 0xff)
        + "."
        + ((bits >>> 16) & 0xff)
        + "."
        + ((bits >>> 8) & 0xff)
        + "."
        + (bits & 0xff);
  }

  /**
   * libuv's inet_ntop6: the longest run of two or more zero groups (the first of equal runs) is
   * written {@code ::}, and the last 32 bits are written as IPv4 after exactly six zero groups
   * ({@code ::1.2.3.4}) or after {@code ::ffff:} ({@code ::ffff:1.2.3.4}).
   */
  static String formatIpv6(long hi, long lo) {
    int[] w = new int[8];
    for (int k = 0; k < 4; k++) {
      w[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
      w[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
    }
    int bestBase = -1;
    int bestLen = 0;
    int curBase = -1;
    int curLen = 0;
    for (int k = 0; k < 8; k++) {
      if (w[k] == 0) {
        if (curBase < 0) {
          curBase = k;
          curLen = 1;
        } else {
          curLen++;
        }
      } else if (curBase >= 0) {
        if (bestBase < 0 || curLen > bestLen) {
          bestBase = curBase;
          bestLen = curLen;
        }
        curBase = -1;
      }
    }
    if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
      bestBase = curBase;
      bestLen = curLen;
    }
    if (bestBase >= 0 && bestLen < 2) {
      bestBase = -1;
    }
    StringBuilder sb = new StringBuilder(41);
    for (int k = 0; k < 8; k++) {
      if (bestBase >= 0 && k >= bestBase && k < bestBase + bestLen) {
        if (k == bestBase) {
          sb.append(':');
        }
        continue;
      }
      if (k != 0) {
        sb.append(':');
      }
      // libuv also tests for seven zero groups and a last group other than 1, but then group 6 is
      // inside the run and never reaches this test: that is why ::2 prints as ::2.
      if (k == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
        sb.append(formatIpv4(lo & 0xffff_ffffL));
        break;
      }
      sb.append(Integer.toHexString(w[k]));
    }
    if (bestBase >= 0 && bestBase + bestLen == 8) {
      sb.append(':');
    }
    return sb.toString();
  }
}

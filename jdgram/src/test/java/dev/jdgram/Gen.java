package dev.jdgram;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator of random test inputs: given the same {@link SplittableRandom} state it returns the
 * same value, so a case seed replays its input (see {@link Cases}). Only the few combinators the
 * bad-input properties need; no shrinking.
 */
@FunctionalInterface
interface Gen<T> {
  /** Draws one value. Each call builds a fresh value, so mutable ones (buffers) are not shared. */
  T next(SplittableRandom random);

  default <U> Gen<U> map(Function<? super T, ? extends U> f) {
    return r -> f.apply(next(r));
  }

  /** This generator, but null with probability {@code p}. */
  default Gen<T> orNull(double p) {
    return r -> r.nextDouble() < p ? null : next(r);
  }

  /** Lists of {@code min} to {@code max} elements (inclusive) drawn from this generator. */
  default Gen<List<T>> list(int min, int max) {
    return r -> {
      int n = r.nextInt(min, max + 1);
      List<T> values = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        values.add(next(r));
      }
      return values;
    };
  }

  static <T> Gen<T> just(T value) {
    return r -> value;
  }

  /** One of {@code values}, equally likely (nulls allowed). */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    List<T> copy = new ArrayList<>();
    for (T v : values) { // not Arrays.asList: javac's varargs lint flags passing the array on
      copy.add(v);
    }
    return r -> copy.get(r.nextInt(copy.size()));
  }

  /** A value of one of {@code gens}, each equally likely. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    List<Gen<? extends T>> copy = new ArrayList<>();
    for (Gen<? extends T> g : gens) {
      copy.add(g);
    }
    return r -> copy.get(r.nextInt(copy.size())).next(r);
  }

  /** A generator and how often {@link #frequency} picks it relative to the others. */
  record Weighted<T>(int weight, Gen<? extends T> gen) {}

  static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  /** A value of one of {@code choices}, each picked in proportion to its weight. */
  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
    List<Weighted<? extends T>> copy = new ArrayList<>();
    for (Weighted<? extends T> c : choices) {
      copy.add(c);
    }
    int total = 0;
    for (Weighted<? extends T> c : copy) {
      total += c.weight();
    }
    int sum = total;
    return r -> {
      int pick = r.nextInt(sum);
      for (Weighted<? extends T> c : copy) {
        pick -= c.weight();
        if (pick < 0) {
          return c.gen().next(r);
        }
      }
      throw new AssertionError("weights changed");
    };
  }

  /** An int from {@code min} to {@code max}, both inclusive. */
  static Gen<Integer> between(int min, int max) {
    return r -> (int) r.nextLong(min, (long) max + 1);
  }

  /** Any int, but often an edge (0, ±1, the extremes) or a small one, where bugs sit. */
  static Gen<Integer> anyInt() {
    return frequency(
        weight(1, of(0, 1, -1, 2, -2, Integer.MIN_VALUE, Integer.MAX_VALUE)),
        weight(1, of(Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1)),
        weight(2, between(-1000, 1000)),
        weight(4, SplittableRandom::nextInt));
  }

  static Gen<Boolean> bool() {
    return SplittableRandom::nextBoolean;
  }

  /**
   * Any char: printable ASCII often, control characters sometimes, otherwise anything up to U+FFFF
   * (non-ASCII digits and spaces, unpaired surrogates).
   */
  static Gen<Character> anyChar() {
    return frequency(
            weight(3, between(0x20, 0x7e)),
            weight(1, between(0, 0x1f)),
            weight(4, between(0, 0xffff)))
        .map(c -> (char) c.intValue());
  }

  /** One of the characters of {@code chars}. */
  static Gen<Character> charsOf(String chars) {
    return r -> chars.charAt(r.nextInt(chars.length()));
  }

  /**
   * Strings of {@code minLength} to {@code maxLength} (inclusive) characters from {@code chars}.
   */
  static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
    return r -> {
      int n = r.nextInt(minLength, maxLength + 1);
      StringBuilder b = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        b.append(chars.next(r).charValue());
      }
      return b.toString();
    };
  }

  /** Strings of any characters (see {@link #anyChar}). */
  static Gen<String> anyString(int minLength, int maxLength) {
    return strings(anyChar(), minLength, maxLength);
  }
}

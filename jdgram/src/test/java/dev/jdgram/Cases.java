package dev.jdgram;

import java.net.URI;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.opentest4j.TestAbortedException;

/**
 * Runs a property over generated inputs as JUnit dynamic tests, one per case, for a
 * {@code @TestFactory} to return.
 *
 * <p>Cases per property: {@value #CASES_PROPERTY} (default {@value #DEFAULT_CASES}). Run seed:
 * {@value #SEED_PROPERTY}, a long (default {@value #DEFAULT_SEED}, so every run, CI's included,
 * tries the same inputs), or {@code random} for a new seed per JVM. Case 0 of every property is
 * drawn from the run seed itself, every other case from a seed mixed from the run seed, the
 * property's name and the case's index. A failure's message names the run seed, the case seed and
 * the input, and the options that replay just that case ({@code -Djdgram.fuzz.seed=<case seed>
 * -Djdgram.fuzz.cases=1}). Surefire passes {@code -D} options of the {@code mvn} command line on to
 * the test JVM.
 */
final class Cases {
  static final String SEED_PROPERTY = "jdgram.fuzz.seed";
  static final String CASES_PROPERTY = "jdgram.fuzz.cases";
  static final long DEFAULT_SEED = 20261204L;
  static final int DEFAULT_CASES = 200;

  /** Resolved once, so that {@code random} means one seed for the whole run. */
  private static final long RUN_SEED = runSeed();

  private Cases() {}

  private static long runSeed() {
    String value = System.getProperty(SEED_PROPERTY, "").trim();
    if (value.isEmpty()) {
      return DEFAULT_SEED;
    }
    if (value.equals("random")) {
      return new SplittableRandom().nextLong();
    }
    return Long.parseLong(value);
  }

  private static int count() {
    int n = Integer.getInteger(CASES_PROPERTY, DEFAULT_CASES);
    if (n < 1) {
      throw new IllegalArgumentException(CASES_PROPERTY + " must be at least 1, not " + n);
    }
    return n;
  }

  /**
   * Returns one dynamic test per case: each draws its input from {@code inputs} with its own seed
   * and runs {@code property} on it. Call it from the {@code @TestFactory} method itself: that
   * method's class and name go into the failure message and mix into the case seeds.
   */
  static <T> Stream<DynamicTest> forAll(Gen<T> inputs, ThrowingConsumer<T> property) {
    StackWalker.StackFrame caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(frames -> frames.skip(1).findFirst())
            .orElseThrow();
    Class<?> testClass = caller.getDeclaringClass();
    String name = testClass.getSimpleName() + "#" + caller.getMethodName();
    URI source = URI.create("method:" + testClass.getName() + "#" + caller.getMethodName() + "()");
    long runSeed = RUN_SEED;
    int count = count();
    long nameMix = mix(name.hashCode());
    return IntStream.range(0, count)
        .mapToObj(
            i -> {
              long caseSeed = i == 0 ? runSeed : mix(runSeed ^ nameMix ^ mix(i));
              return DynamicTest.dynamicTest(
                  "case " + i + " seed " + caseSeed,
                  source,
                  () -> runCase(inputs, property, name, i, count, runSeed, caseSeed));
            });
  }

  private static <T> void runCase(
      Gen<T> inputs,
      ThrowingConsumer<T> property,
      String name,
      int index,
      int count,
      long runSeed,
      long caseSeed) {
    T input = null;
    try {
      input = inputs.next(new SplittableRandom(caseSeed));
      property.accept(input);
    } catch (TestAbortedException e) {
      throw e;
    } catch (Throwable t) {
      String message =
          name
              + " failed on case "
              + index
              + " of "
              + count
              + " (run seed "
              + runSeed
              + ", case seed "
              + caseSeed
              + ")\n  input: "
              + show(input)
              + "\n  replay: -D"
              + SEED_PROPERTY
              + "="
              + caseSeed
              + " -D"
              + CASES_PROPERTY
              + "=1 -Dtest='"
              + name
              + "' -Dsurefire.failIfNoSpecifiedTests=false -Djdgram.fuzz.skip=true\n  "
              + t;
      throw new AssertionError(message, t);
    }
  }

  /** The input's text with everything but printable ASCII escaped, so no character hides. */
  static String show(Object input) {
    String s = String.valueOf(input);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.toString();
  }

  /** Stafford's mix13, SplittableRandom's own finaliser: spreads nearby seeds apart. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property tests of the validating methods that need no socket: {@link BlockList}, {@link
 * SocketOptions}, {@link BindOptions}, {@link Dgram#createSocket(String)} and {@link
 * AbortController}. Each property mixes valid and invalid arguments (near-addresses, whitespace,
 * unicode, zones, 300-character strings, nulls, any int) and checks that a call either succeeds
 * with its documented outcome or throws a {@link DgramException} with the code Node throws for that
 * argument class; no other exception type may escape.
 *
 * <p>Each property is a {@code @TestFactory} whose cases come from {@link Cases} and the generators
 * in {@link OddInputs}: {@value Cases#DEFAULT_CASES} cases per property from a fixed seed by
 * default, so CI is reproducible. {@code -Djdgram.fuzz.cases=N} sets the count and {@code
 * -Djdgram.fuzz.seed=S} (a long, or {@code random}) the seed; a failure prints the input, its seed
 * and the options that replay it. For a long hunt: {@code mvn -pl jdgram verify
 * -Djdgram.fuzz.cases=100000 -Djdgram.fuzz.seed=random -Dtest='Bad*Test'
 * -Dsurefire.failIfNoSpecifiedTests=false -Djdgram.fuzz.skip=true}.
 *
 * <p>{@link LeakCheck} runs around each property (all its cases), as for every Jupiter test.
 */
class BadInputPropertiesTest {
  private static final Set<String> BLOCK_LIST_ADD_CODES =
      Set.of("ERR_INVALID_ARG_TYPE", "ERR_INVALID_ARG_VALUE", "ERR_INVALID_ADDRESS");

  private static final Gen<String> ADDRESSES = OddInputs.addressLike();
  private static final Gen<String> FAMILIES = OddInputs.family();
  private static final Gen<Integer> PREFIXES =
      Gen.oneOf(Gen.between(-2, 130), Gen.of(Integer.MIN_VALUE, Integer.MAX_VALUE));
  private static final Gen<Integer> INTS = Gen.anyInt();
  private static final Gen<String> TYPES =
      Gen.<String>oneOf(
              Gen.of("udp4", "udp6", "UDP4", "udp", "udp5", "tcp4", "", " udp4", "udp4\0"),
              Gen.anyString(0, 300))
          .orNull(0.05);
  private static final Gen<Object> REASONS = BadInputPropertiesTest::reason;

  private static boolean knownFamily(String family) {
    return family != null
        && (family.toLowerCase(Locale.ROOT).equals("ipv4")
            || family.toLowerCase(Locale.ROOT).equals("ipv6"));
  }

  /** Runs {@code call}; a DgramException must carry one of {@code codes}; returns it or null. */
  static DgramException outcome(Runnable call, Set<String> codes, String what) {
    try {
      call.run();
      return null;
    } catch (DgramException e) {
      assertNotNull(e.code(), what + ": no code");
      assertTrue(codes.contains(e.code()), what + ": code " + e.code() + " not in " + codes);
      assertNotNull(e.getMessage(), what + ": no message");
      return e;
    } catch (RuntimeException | Error e) {
      return fail(what + ": threw " + e + " instead of a DgramException", e);
    }
  }

  /**
   * Node: {@code blockList.addAddress(address, family)} throws ERR_INVALID_ARG_TYPE for a
   * non-string, ERR_INVALID_ARG_VALUE for an unknown family, ERR_INVALID_ADDRESS for text that is
   * not a literal of the family; once added, {@code check} of the same text blocks it.
   */
  @TestFactory
  Stream<DynamicTest> blockListAddAddressThrowsNodeCodesOrBlocksTheAddress() {
    return Cases.forAll(
        r -> new AddressFamily(ADDRESSES.next(r), FAMILIES.next(r)),
        c -> blockListAddAddress(c.address(), c.family()));
  }

  private record AddressFamily(String address, String family) {}

  private static void blockListAddAddress(String address, String family) {
    BlockList list = new BlockList();
    String what = "addAddress(" + address + ", " + family + ")";
    DgramException e = outcome(() -> list.addAddress(address, family), BLOCK_LIST_ADD_CODES, what);
    if (address == null || family == null) {
      assertEquals("ERR_INVALID_ARG_TYPE", e == null ? null : e.code(), what);
    } else if (!knownFamily(family)) {
      assertEquals("ERR_INVALID_ARG_VALUE", e == null ? null : e.code(), what);
    } else if (e == null) {
      assertTrue(list.check(address, family), what + " then check");
      assertEquals(1, list.rules().size(), what);
    } else {
      assertEquals("ERR_INVALID_ADDRESS", e.code(), what);
      assertTrue(list.rules().isEmpty(), what + ": a failed add left a rule");
    }
  }

  /**
   * Node: {@code addSubnet(network, prefix, family)} adds ERR_OUT_OF_RANGE for a prefix outside 0
   * to 32 (IPv4) or 0 to 128 (IPv6); a subnet blocks its own network address.
   */
  @TestFactory
  Stream<DynamicTest> blockListAddSubnetThrowsNodeCodesOrBlocksTheNetwork() {
    return Cases.forAll(
        r -> new Subnet(ADDRESSES.next(r), PREFIXES.next(r), FAMILIES.next(r)),
        c -> blockListAddSubnet(c.network(), c.prefix(), c.family()));
  }

  private record Subnet(String network, int prefix, String family) {}

  private static void blockListAddSubnet(String network, int prefix, String family) {
    BlockList list = new BlockList();
    String what = "addSubnet(" + network + ", " + prefix + ", " + family + ")";
    Set<String> codes =
        Set.of(
            "ERR_INVALID_ARG_TYPE",
            "ERR_INVALID_ARG_VALUE",
            "ERR_INVALID_ADDRESS",
            "ERR_OUT_OF_RANGE");
    DgramException e = outcome(() -> list.addSubnet(network, prefix, family), codes, what);
    if (network == null || family == null) {
      assertEquals("ERR_INVALID_ARG_TYPE", e == null ? null : e.code(), what);
    } else if (!knownFamily(family)) {
      assertEquals("ERR_INVALID_ARG_VALUE", e == null ? null : e.code(), what);
    } else if (e == null) {
      int max = family.equalsIgnoreCase("ipv4") ? 32 : 128;
      assertTrue(prefix >= 0 && prefix <= max, what + " accepted a prefix out of range");
      assertTrue(list.check(network, family), what + " then check of the network");
    } else if (e.code().equals("ERR_OUT_OF_RANGE")) {
      int max = family.equalsIgnoreCase("ipv4") ? 32 : 128;
      assertTrue(prefix < 0 || prefix > max, what + ": " + e.getMessage());
    }
  }

  /**
   * Node: {@code addRange(start, end, family)} validates start, then end, then their order
   * (ERR_INVALID_ARG_VALUE "must come before end"); a range blocks both its ends.
   */
  @TestFactory
  Stream<DynamicTest> blockListAddRangeThrowsNodeCodesOrBlocksBothEnds() {
    return Cases.forAll(
        r -> new Range(ADDRESSES.next(r), ADDRESSES.next(r), FAMILIES.next(r)),
        c -> blockListAddRange(c.start(), c.end(), c.family()));
  }

  private record Range(String start, String end, String family) {}

  private static void blockListAddRange(String start, String end, String family) {
    BlockList list = new BlockList();
    String what = "addRange(" + start + ", " + end + ", " + family + ")";
    DgramException e = outcome(() -> list.addRange(start, end, family), BLOCK_LIST_ADD_CODES, what);
    if (e == null) {
      assertTrue(list.check(start, family), what + " then check(start)");
      assertTrue(list.check(end, family), what + " then check(end)");
    } else if (start == null || family == null) {
      assertEquals("ERR_INVALID_ARG_TYPE", e.code(), what);
    }
  }

  /**
   * Node: {@code check(address, family)} throws only for a non-string (ERR_INVALID_ARG_TYPE) and
   * answers false for text that is not an address of the family or an unknown family.
   */
  @TestFactory
  Stream<DynamicTest> blockListCheckThrowsOnlyForNull() {
    return Cases.forAll(
        r -> new Check(ADDRESSES.next(r), ADDRESSES.next(r), FAMILIES.next(r)),
        c -> blockListCheck(c.rule(), c.address(), c.family()));
  }

  private record Check(String rule, String address, String family) {}

  private static void blockListCheck(String rule, String address, String family) {
    BlockList list = new BlockList();
    try {
      list.addSubnet(rule == null ? "0.0.0.0" : rule, 0, "ipv6");
    } catch (DgramException e) {
      list.addSubnet("::", 0, "ipv6"); // blocks every address of either family
    }
    String what = "check(" + address + ", " + family + ")";
    DgramException e =
        outcome(() -> list.check(address, family), Set.of("ERR_INVALID_ARG_TYPE"), what);
    assertEquals(address == null || family == null, e != null, what);
  }

  /** Node validates recvBufferSize and sendBufferSize as uint32: ERR_OUT_OF_RANGE below 0. */
  @TestFactory
  Stream<DynamicTest> socketOptionsBufferSizesRejectOnlyNegatives() {
    return Cases.forAll(
        r -> new BufferSizes(INTS.next(r), INTS.next(r)),
        c -> socketOptionsBufferSizes(c.recv(), c.send()));
  }

  private record BufferSizes(int recv, int send) {}

  private static void socketOptionsBufferSizes(int recv, int send) {
    Set<String> codes = Set.of("ERR_OUT_OF_RANGE");
    SocketOptions base = SocketOptions.of("udp4");
    DgramException r = outcome(() -> base.recvBufferSize(recv), codes, "recvBufferSize " + recv);
    DgramException s = outcome(() -> base.sendBufferSize(send), codes, "sendBufferSize " + send);
    assertEquals(recv < 0, r != null, "recvBufferSize " + recv);
    assertEquals(send < 0, s != null, "sendBufferSize " + send);
    if (recv >= 0 && send >= 0) {
      SocketOptions o = base.recvBufferSize(recv).sendBufferSize(send);
      assertEquals(recv, o.recvBufferSize());
      assertEquals(send, o.sendBufferSize());
      assertEquals(0, base.recvBufferSize(), "options are immutable");
    }
  }

  /** BindOptions only records values: bind validates them, so no setter throws. */
  @TestFactory
  Stream<DynamicTest> bindOptionsKeepWhateverTheyAreGiven() {
    return Cases.forAll(
        r -> new Bind(INTS.next(r), ADDRESSES.next(r), INTS.next(r)),
        c -> bindOptionsKeep(c.port(), c.address(), c.fd()));
  }

  private record Bind(int port, String address, int fd) {}

  private static void bindOptionsKeep(int port, String address, int fd) {
    BindOptions o = BindOptions.of().port(port).address(address).fd(fd).exclusive(true);
    assertEquals(port, o.port());
    assertEquals(address, o.address());
    assertEquals(fd, o.fd());
    assertTrue(o.exclusive());
  }

  /** Node: createSocket with any type but 'udp4' or 'udp6' throws ERR_SOCKET_BAD_TYPE. */
  @TestFactory
  Stream<DynamicTest> createSocketRejectsEveryTypeButUdp4AndUdp6() {
    return Cases.forAll(TYPES, BadInputPropertiesTest::createSocket);
  }

  private static void createSocket(String type) {
    DgramSocket[] made = new DgramSocket[1];
    DgramException e =
        outcome(
            () -> made[0] = Dgram.createSocket(type),
            Set.of("ERR_SOCKET_BAD_TYPE"),
            "createSocket(" + type + ")");
    if (made[0] != null) {
      Sockets.closeAndWait(made[0]);
    }
    assertEquals(!"udp4".equals(type) && !"udp6".equals(type), e != null, "type " + type);
  }

  /**
   * Node's AbortController: abort() with any reason aborts once; throwIfAborted then throws the
   * reason (ours: a RuntimeException or Error reason itself, anything else wrapped in ABORT_ERR).
   * Null listeners are ignored, a throwing listener does not stop the others.
   */
  @TestFactory
  Stream<DynamicTest> abortWithAnyReasonAbortsOnceAndThrowsItsReason() {
    Gen<Boolean> bool = Gen.bool();
    return Cases.forAll(
        r -> new Abort(REASONS.next(r), bool.next(r), bool.next(r)),
        c -> abortWithReason(c.reason(), c.nullListener(), c.twice()));
  }

  private record Abort(Object reason, boolean nullListener, boolean twice) {}

  private static void abortWithReason(Object reason, boolean nullListener, boolean twice) {
    AbortController c = new AbortController();
    AbortSignal signal = c.signal();
    int[] runs = new int[2];
    signal.addAbortListener(nullListener ? null : () -> runs[0]++);
    signal.addAbortListener(() -> runs[1]++);
    signal.removeAbortListener(null);
    signal.throwIfAborted(); // not aborted: nothing thrown
    c.abort(reason);
    if (twice) {
      c.abort("again");
    }
    assertTrue(signal.aborted());
    assertEquals(nullListener ? 0 : 1, runs[0]);
    assertEquals(1, runs[1]);
    Object got = signal.reason();
    if (reason != null) {
      assertSame(reason, got);
    } else {
      assertEquals("ABORT_ERR", ((DgramException) got).code());
    }
    try {
      signal.throwIfAborted();
      fail("throwIfAborted returned on an aborted signal");
    } catch (DgramException e) {
      if (!(reason instanceof RuntimeException)) {
        assertEquals("ABORT_ERR", e.code());
      } else {
        assertSame(reason, e);
      }
    } catch (RuntimeException | Error e) {
      assertSame(reason, e, "only the reason itself may escape as another type");
    }
    assertFalse(LeakCheck.takeUncaught().size() > 0, "a listener failed");
  }

  /** A fresh abort reason of each kind jdgram treats differently, null one time in five. */
  private static Object reason(java.util.SplittableRandom r) {
    switch (r.nextInt(10)) {
      case 0:
        return "why";
      case 1:
        return "";
      case 2:
        return 42;
      case 3:
        return new Object();
      case 4:
        return new IllegalStateException("boom");
      case 5:
        return new DgramException("EFOO", "foo");
      case 6:
        return new Exception("checked");
      case 7:
        return new AssertionError("an error");
      default:
        return null;
    }
  }
}

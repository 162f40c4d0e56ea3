package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jdgram.internal.Addresses;
import dev.jdgram.internal.LibuvIp;
import java.net.InetAddress;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of the address parsers ({@code LibuvIp}, the libuv-exact parser
 * behind {@link BlockList}; {@code Addresses.parseLiteral}, the one sends and binds use) and of
 * {@link BlockList} itself.
 *
 * <p>One target on purpose: Jazzer's JUnit integration fuzzes a single {@code @FuzzTest} per JVM,
 * so the input picks which parser and which BlockList operations run.
 *
 * <p>In an ordinary test run (no {@code JAZZER_FUZZ}) this replays the inputs under {@code
 * src/test/resources/dev/jdgram/AddressFuzzTestInputs} as a regression test. The surefire execution
 * {@code fuzz} sets {@code JAZZER_FUZZ=1} and fuzzes for {@code maxDuration} (CI's short run). For
 * a longer hunt run that execution repeatedly ({@code mvn -pl jdgram surefire:test@fuzz}); the
 * corpus in {@code jdgram/.cifuzz-corpus} carries over between runs. A finding is written to the
 * inputs directory, to be committed with its fix.
 */
class AddressFuzzTest {
  private static final Set<String> ADD_CODES =
      Set.of("ERR_INVALID_ARG_TYPE", "ERR_INVALID_ARG_VALUE", "ERR_INVALID_ADDRESS");
  private static final String[] FAMILIES = {"ipv4", "ipv6", "IPv6", "IPV4", "ipv5", ""};

  @FuzzTest(maxDuration = "15s")
  void addressParsersAndBlockListThrowOnlyNodeCodes(FuzzedDataProvider data) {
    BlockList list = new BlockList();
    int ops = data.consumeInt(1, 8);
    for (int i = 0; i < ops && data.remainingBytes() > 0; i++) {
      int op = data.consumeInt(0, 5);
      String family = data.consumeBoolean() ? data.pickValue(FAMILIES) : data.consumeString(6);
      String a = data.consumeString(60);
      switch (op) {
        case 0:
          parsersAgree(a);
          break;
        case 1:
          added(() -> list.addAddress(a, family), list, a, family, a);
          break;
        case 2:
          {
            String b = data.consumeString(60);
            added(() -> list.addRange(a, b, family), list, a, family, b);
            break;
          }
        case 3:
          {
            int prefix = data.consumeInt(-2, 130);
            try {
              list.addSubnet(a, prefix, family);
              assertTrue(list.check(a, family), "a subnet blocks its network: " + a);
            } catch (DgramException e) {
              assertTrue(
                  ADD_CODES.contains(e.code()) || e.code().equals("ERR_OUT_OF_RANGE"), e.code());
            }
            break;
          }
        case 4:
          list.check(a, family); // never throws for non-null arguments
          break;
        default:
          InetAddress parsed = Addresses.parseLiteral(a);
          if (parsed != null) {
            list.check(parsed);
            list.check(parsed, family);
          }
          assertNotNull(list.rules());
      }
    }
  }

  /** A successful add blocks {@code a} and {@code b}; a failed one throws a Node code only. */
  private static void added(Runnable add, BlockList list, String a, String family, String b) {
    try {
      add.run();
    } catch (DgramException e) {
      assertTrue(ADD_CODES.contains(e.code()), e.code());
      return;
    }
    assertTrue(list.check(a, family), "blocks " + a);
    assertTrue(list.check(b, family), "blocks " + b);
  }

  /**
   * LibuvIp round-trips: what it parses it prints in a form it parses back to the same bits. An
   * IPv4 literal that libuv accepts is one the socket parser accepts too.
   */
  private static void parsersAgree(String s) {
    for (boolean v4 : new boolean[] {true, false}) {
      LibuvIp.Ip ip = LibuvIp.parse(s, v4);
      if (ip == null) {
        continue;
      }
      String text = ip.format();
      LibuvIp.Ip again = LibuvIp.parse(text, v4);
      assertNotNull(again, "reparse of " + text + " from " + s);
      assertEquals(ip, again, text);
      if (v4 && s.indexOf('\0') < 0) {
        assertNotNull(Addresses.parseLiteral(s), "socket parser rejects IPv4 " + s);
      }
    }
  }
}

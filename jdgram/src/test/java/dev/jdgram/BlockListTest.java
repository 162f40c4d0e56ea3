package dev.jdgram;

import static dev.jdgram.Sockets.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Node's {@code net.BlockList}, as Node v20.20 behaves. Expected values were taken from node with
 * the one-liner quoted above each test ({@code B} standing for {@code new
 * (require('net').BlockList)()}).
 */
class BlockListTest {

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal); // a literal: no DNS
  }

  // ---- Argument validation ----

  // node -e "new (require('net').BlockList)().addAddress(null)"
  @Test
  void nullAddressFailsWithInvalidArgType() {
    BlockList list = new BlockList();
    String message = "The \"address\" argument must be of type string. Received null";
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.addAddress(null));
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.addAddress(null, "ipv6"));
    // node -e "new (require('net').BlockList)().addAddress(null, 'bad')": address is checked first
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.addAddress(null, "bad"));
    // node -e "new (require('net').BlockList)().check(null)"
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.check((String) null));
  }

  // node -e "new (require('net').BlockList)().addAddress('1.2.3.4', null)"
  @Test
  void nullFamilyFailsWithInvalidArgType() {
    BlockList list = new BlockList();
    String message = "The \"family\" argument must be of type string. Received null";
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.addAddress("1.2.3.4", null));
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.addRange("1.2.3.4", "1.2.3.5", null));
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.addSubnet("1.2.3.4", 8, null));
    // node -e "new (require('net').BlockList)().check('1.2.3.4', null)"
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.check("1.2.3.4", null));
  }

  // node -e "new (require('net').BlockList)().addAddress('1.2.3.4', 'ipv5')"
  @Test
  void unknownFamilyFailsWithInvalidArgValue() {
    BlockList list = new BlockList();
    String message = "The property 'options.family' is invalid. Received 'ipv5'";
    assertError("ERR_INVALID_ARG_VALUE", message, () -> list.addAddress("1.2.3.4", "ipv5"));
    assertError("ERR_INVALID_ARG_VALUE", message, () -> list.addRange("1", "2", "ipv5"));
    assertError("ERR_INVALID_ARG_VALUE", message, () -> list.addSubnet("x", 99, "ipv5"));
    // node -e "new (require('net').BlockList)().addAddress('::1', 'ipv6 ')"
    assertError(
        "ERR_INVALID_ARG_VALUE",
        "The property 'options.family' is invalid. Received 'ipv6 '",
        () -> list.addAddress("::1", "ipv6 "));
    // node -e "new (require('net').BlockList)().addAddress('::1', '\u0131pv6')": dotless i
    assertError(
        "ERR_INVALID_ARG_VALUE",
        "The property 'options.family' is invalid. Received '\u0131pv6'",
        () -> list.addAddress("::1", "\u0131pv6"));
    assertTrue(list.rules().isEmpty());
  }

  // node -e "new (require('net').BlockList)().addAddress('1.2.3.4', X)" for each X below
  @Test
  void invalidFamilyIsQuotedAndEscapedLikeUtilInspect() {
    String[][] cases = {
      {"it's", "\"it's\""},
      {"it's \"x\"", "`it's \"x\"`"},
      {"it's \"x\" `y`", "'it\\'s \"x\" `y`'"},
      {"it's \"x\" ${y}", "'it\\'s \"x\" ${y}'"},
      {"a\\b", "'a\\\\b'"},
      {"tab\there\n", "'tab\\there\\n'"},
      {"\u0000\u0001\u007f\u0080\u009f\u00a0\u00e9", "'\\x00\\x01\\x7F\\x80\\x9F\u00a0\u00e9'"},
      {"\ud800x", "'\\ud800x'"},
      {"x\udc00", "'x\\udc00'"},
      {"\ud83d\ude00", "'\ud83d\ude00'"},
      // Longer than 76 characters: split after each newline, one quoted line each.
      {"x".repeat(76) + "\n" + "y".repeat(10), "'" + "x".repeat(76) + "\\n' +\n  'yyyyyyyyyy'"},
      {"'''''\n" + "\"".repeat(80), "\"'''''\\n\" +\n  '" + "\"".repeat(80) + "'"},
      // Cut to 128 characters.
      {"x".repeat(130), "'" + "x".repeat(127) + "..."},
    };
    BlockList list = new BlockList();
    for (String[] c : cases) {
      assertError(
          "ERR_INVALID_ARG_VALUE",
          "The property 'options.family' is invalid. Received " + c[1],
          () -> list.addAddress("1.2.3.4", c[0]));
    }
  }

  // node -e "new (require('net').BlockList)().addAddress('01.2.3.4')"
  @Test
  void malformedAddressFailsWithInvalidAddress() {
    BlockList list = new BlockList();
    String[] v4 = {
      "01.2.3.4",
      "1.2.3.04",
      "00.0.0.0",
      "256.1.1.1",
      " 1.2.3.4",
      "1.2.3.4 ",
      "1.2.3.4\n",
      "1.2.3.4.5",
      "1.2.3",
      "1..2.3",
      "1.2.3.4x",
      "0x1.2.3.4",
      "",
      "1.2.3.4%eth0",
      "::1",
      "localhost",
      "\uff11.2.3.4"
    };
    for (String address : v4) {
      assertError("ERR_INVALID_ADDRESS", "Invalid socket address", () -> list.addAddress(address));
    }
    String[] v6 = {
      "00000::1",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::ffff:01.2.3.4",
      "::ffff:1.2.3",
      " ::1",
      "::1 ",
      ":1",
      "1:",
      ":::",
      "1:2:3:4:5:6:7:8::",
      "::0:0:0:0:0:0:0:1",
      "0:0:0:0:0:0:0:0:1",
      "::1.2.3.4.5",
      "1.2.3.4",
      "1.2.3.4::",
      "::1.2.3.4:1",
      "[::1]",
      "g::1"
    };
    for (String address : v6) {
      assertError(
          "ERR_INVALID_ADDRESS",
          "Invalid socket address",
          () -> list.addAddress(address, "ipv6"),
          address);
    }
    assertTrue(list.rules().isEmpty());
  }

  // node -e "new (require('net').BlockList)().addRange('1.2.3.9', '1.2.3.4')"
  @Test
  void rangeStartAfterEndFailsWithInvalidArgValue() {
    BlockList list = new BlockList();
    assertError(
        "ERR_INVALID_ARG_VALUE",
        "The argument 'start' must come before end. Received SocketAddress { address: '1.2.3.9',"
            + " port: 0, family: 'ipv4', flowlabel: 0 }",
        () -> list.addRange("1.2.3.9", "1.2.3.4"));
    // node -e "new (require('net').BlockList)().addRange('::F', '::a', 'ipv6')": canonical text
    assertError(
        "ERR_INVALID_ARG_VALUE",
        "The argument 'start' must come before end. Received SocketAddress { address: '::f',"
            + " port: 0, family: 'ipv6', flowlabel: 0 }",
        () -> list.addRange("::F", "::a", "ipv6"));
    // node -e "new (require('net').BlockList)().addRange('1111:2222::3333:44', '::', 'ipv6')":
    // past 80 columns util.inspect breaks the object over lines.
    assertError(
        "ERR_INVALID_ARG_VALUE",
        "The argument 'start' must come before end. Received SocketAddress {\n"
            + "  address: '1111:2222::3333:44',\n"
            + "  port: 0,\n"
            + "  family: 'ipv6',\n"
            + "  flowlabel: 0\n"
            + "}",
        () -> list.addRange("1111:2222::3333:44", "::", "ipv6"));
    assertTrue(list.rules().isEmpty());
  }

  // node -e "const b=new (require('net').BlockList)(); b.addRange(null, 'x', 'bad')" and the others
  @Test
  void rangeValidatesStartCompletelyBeforeEnd() {
    BlockList list = new BlockList();
    assertError(
        "ERR_INVALID_ARG_TYPE",
        "The \"start\" argument must be of type string. Received null",
        () -> list.addRange(null, "x", "bad"));
    assertError("ERR_INVALID_ADDRESS", "Invalid socket address", () -> list.addRange("x", null));
    assertError(
        "ERR_INVALID_ARG_TYPE",
        "The \"end\" argument must be of type string. Received null",
        () -> list.addRange("1.1.1.1", null));
    assertError(
        "ERR_INVALID_ADDRESS", "Invalid socket address", () -> list.addRange("1.1.1.1", "y"));
    assertError(
        "ERR_INVALID_ARG_VALUE",
        "The property 'options.family' is invalid. Received 'bad'",
        () -> list.addRange("x", "y", "bad"));
  }

  // node -e "new (require('net').BlockList)().addSubnet('10.0.0.0', 33)"
  @Test
  void subnetPrefixOutOfRangeFailsWithOutOfRange() {
    BlockList list = new BlockList();
    assertError(
        "ERR_OUT_OF_RANGE",
        "The value of \"prefix\" is out of range. It must be >= 0 && <= 32. Received 33",
        () -> list.addSubnet("10.0.0.0", 33));
    assertError(
        "ERR_OUT_OF_RANGE",
        "The value of \"prefix\" is out of range. It must be >= 0 && <= 32. Received -1",
        () -> list.addSubnet("10.0.0.0", -1));
    assertError(
        "ERR_OUT_OF_RANGE",
        "The value of \"prefix\" is out of range. It must be >= 0 && <= 32. Received -2147483648",
        () -> list.addSubnet("10.0.0.0", Integer.MIN_VALUE));
    assertError(
        "ERR_OUT_OF_RANGE",
        "The value of \"prefix\" is out of range. It must be >= 0 && <= 128. Received 129",
        () -> list.addSubnet("::", 129, "ipv6"));
    assertError(
        "ERR_INVALID_ARG_TYPE",
        "The \"network\" argument must be of type string. Received null",
        () -> list.addSubnet(null, 8));
    // node -e "new (require('net').BlockList)().addSubnet('x', 99)": the address is checked first
    assertError("ERR_INVALID_ADDRESS", "Invalid socket address", () -> list.addSubnet("x", 99));
    assertTrue(list.rules().isEmpty());
  }

  // node -e "const b=new (require('net').BlockList)(); b.addAddress('1.2.3.4');
  //   console.log(b.check('bad'), b.check('1.2.3.4', 'ipv7'), b.check('::ffff:1.2.3.4'))"
  @Test
  void checkOfMalformedAddressOrFamilyReturnsFalse() {
    BlockList list = new BlockList();
    list.addAddress("1.2.3.4");
    assertFalse(list.check("bad"));
    assertFalse(list.check("bad", "ipv6"));
    assertFalse(list.check("1.2.3.4", "ipv7"));
    assertFalse(list.check("zz", "zz"));
    assertFalse(list.check("01.2.3.4"));
    assertTrue(list.check("1.2.3.4"));
  }

  // ---- Matching ----

  // node -e "const b=new (require('net').BlockList)(); b.addAddress('1.2.3.4');
  //   console.log(b.check('1.2.3.4'), b.check('1.2.3.5'))"
  @Test
  void addressRuleBlocksOnlyThatAddress() {
    BlockList list = new BlockList();
    assertFalse(list.check("1.2.3.4"));
    list.addAddress("1.2.3.4");
    assertTrue(list.check("1.2.3.4"));
    assertFalse(list.check("1.2.3.5"));
    list.addAddress("::1", "ipv6");
    assertTrue(list.check("::1", "ipv6"));
    assertTrue(list.check("0:0:0:0:0:0:0:1", "ipv6"));
    assertFalse(list.check("::2", "ipv6"));
  }

  // node -e "const b=new (require('net').BlockList)(); b.addAddress('::2', 'IPv6');
  //   console.log(b.check('::2', 'IPV6'))"
  @Test
  void familyIsCaseInsensitive() {
    BlockList list = new BlockList();
    list.addAddress("::2", "IPv6");
    list.addAddress("1.1.1.1", "IPV4");
    assertTrue(list.check("::2", "IPV6"));
    assertTrue(list.check("1.1.1.1", "Ipv4"));
    assertEquals(List.of("Address: IPv4 1.1.1.1", "Address: IPv6 ::2"), list.rules());
  }

  // node -e "const b=new (require('net').BlockList)(); b.addRange('1.2.3.250', '1.2.4.5');
  //   console.log(b.check('1.2.3.250'), b.check('1.2.4.1'), b.check('1.2.4.6'))"
  @Test
  void rangeIsInclusiveAndOrderedNumerically() {
    BlockList list = new BlockList();
    list.addRange("1.2.3.250", "1.2.4.5");
    assertTrue(list.check("1.2.3.250"));
    assertTrue(list.check("1.2.4.1"));
    assertTrue(list.check("1.2.4.5"));
    assertFalse(list.check("1.2.3.249"));
    assertFalse(list.check("1.2.4.6"));
    assertFalse(list.check("1.2.3.10"));
    list.addRange("9.9.9.9", "9.9.9.9"); // a one-address range is allowed
    assertTrue(list.check("9.9.9.9"));
    list.addRange("::a", "::f", "ipv6");
    assertTrue(list.check("::c", "ipv6"));
    assertFalse(list.check("::10", "ipv6"));
  }

  // node -e "const b=new (require('net').BlockList)(); b.addSubnet('10.128.0.0', 9);
  //   console.log(b.check('10.200.0.0'), b.check('10.100.0.0'))"
  @Test
  void subnetMatchesAddressesInsidePrefix() {
    BlockList slash9 = new BlockList();
    slash9.addSubnet("10.128.0.0", 9);
    assertTrue(slash9.check("10.200.0.0"));
    assertFalse(slash9.check("10.100.0.0"));

    BlockList slash32 = new BlockList();
    slash32.addSubnet("10.0.0.1", 32);
    assertTrue(slash32.check("10.0.0.1"));
    assertFalse(slash32.check("10.0.0.2"));

    BlockList slash31 = new BlockList();
    slash31.addSubnet("10.0.0.0", 31);
    assertTrue(slash31.check("10.0.0.1"));
    assertFalse(slash31.check("10.0.0.2"));

    BlockList slash0 = new BlockList();
    slash0.addSubnet("10.0.0.1", 0);
    assertTrue(slash0.check("200.1.1.1"));

    // node -e "const b=new (require('net').BlockList)(); b.addSubnet('10.1.2.3', 16);
    //   console.log(b.check('10.1.9.9'), b.rules)": host bits are ignored, and kept in the text
    BlockList hostBits = new BlockList();
    hostBits.addSubnet("10.1.2.3", 16);
    assertTrue(hostBits.check("10.1.9.9"));
    assertEquals(List.of("Subnet: IPv4 10.1.2.3/16"), hostBits.rules());
  }

  // node -e "const b=new (require('net').BlockList)(); b.addSubnet('2001:db8::', 33, 'ipv6');
  //   console.log(b.check('2001:db8:7fff::1', 'ipv6'), b.check('2001:db8:8000::1', 'ipv6'))"
  @Test
  void ipv6SubnetMatchesPrefixThatIsNotWholeBytes() {
    BlockList list = new BlockList();
    list.addSubnet("2001:db8::", 33, "ipv6");
    assertTrue(list.check("2001:db8:7fff::1", "ipv6"));
    assertFalse(list.check("2001:db8:8000::1", "ipv6"));
    BlockList full = new BlockList();
    full.addSubnet("::5", 128, "ipv6");
    assertTrue(full.check("::5", "ipv6"));
    assertFalse(full.check("::4", "ipv6"));
    BlockList slash64 = new BlockList();
    slash64.addSubnet("8592:757c:efae:4e45::", 64, "ipv6");
    assertTrue(slash64.check("8592:757c:efae:4e45:ffff::1", "ipv6"));
    assertFalse(slash64.check("8592:757c:efae:4e46::", "ipv6"));
  }

  // node -e "const b=new (require('net').BlockList)(); b.addAddress('1.2.3.4');
  //   b.addSubnet('10.0.0.0', 8); b.addRange('1.0.0.2', '2.0.0.1');
  //   console.log(b.check('::ffff:1.2.3.4', 'ipv6'), b.check('::ffff:10.9.9.9', 'ipv6'))"
  @Test
  void ipv4RulesBlockIpv4MappedIpv6Addresses() {
    BlockList list = new BlockList();
    list.addAddress("1.2.3.4");
    list.addSubnet("10.0.0.0", 8);
    list.addRange("1.0.0.2", "2.0.0.1");
    assertTrue(list.check("::ffff:1.2.3.4", "ipv6"));
    assertTrue(list.check("::ffff:10.9.9.9", "ipv6"));
    assertTrue(list.check("::ffff:1.5.5.5", "ipv6"));
    assertFalse(list.check("::ffff:11.9.9.9", "ipv6"));
    assertFalse(list.check("::ffff:2.0.0.2", "ipv6"));
    // IPv4-compatible (::a.b.c.d) is not mapped.
    assertFalse(list.check("::10.9.9.9", "ipv6"));
    // A mapped literal is not an IPv4 literal.
    assertFalse(list.check("::ffff:1.2.3.4"));
  }

  // node -e "const b=new (require('net').BlockList)(); b.addSubnet('10.0.0.0', 0);
  //   console.log(b.check('::ffff:200.1.1.1', 'ipv6'), b.check('::1', 'ipv6'))"
  @Test
  void ipv4SubnetZeroBlocksOnlyMappedIpv6Addresses() {
    BlockList list = new BlockList();
    list.addSubnet("10.0.0.0", 0);
    assertTrue(list.check("::ffff:200.1.1.1", "ipv6"));
    assertFalse(list.check("::1", "ipv6"));
  }

  // node -e "const b=new (require('net').BlockList)(); b.addAddress('::ffff:1.2.3.4', 'ipv6');
  //   console.log(b.check('1.2.3.4'), b.rules)"
  @Test
  void ipv4MappedIpv6RulesBlockIpv4Addresses() {
    BlockList address = new BlockList();
    address.addAddress("::ffff:1.2.3.4", "ipv6");
    assertTrue(address.check("1.2.3.4"));
    assertFalse(address.check("1.2.3.5"));
    assertEquals(List.of("Address: IPv6 ::ffff:1.2.3.4"), address.rules());

    BlockList subnet = new BlockList();
    subnet.addSubnet("::ffff:10.0.0.0", 104, "ipv6");
    assertTrue(subnet.check("10.2.3.4"));
    assertFalse(subnet.check("11.2.3.4"));

    BlockList host = new BlockList();
    host.addSubnet("::ffff:10.0.0.1", 128, "ipv6");
    assertTrue(host.check("10.0.0.1"));
    assertFalse(host.check("10.0.0.2"));

    // node -e "const b=new (require('net').BlockList)(); b.addSubnet('::', 0, 'ipv6');
    //   console.log(b.check('10.0.0.1'))"
    BlockList all = new BlockList();
    all.addSubnet("::", 0, "ipv6");
    assertTrue(all.check("10.0.0.1"));
  }

  // node -e "const b=new (require('net').BlockList)();
  //   b.addRange('::', '::ffff:ffff:ffff', 'ipv6');
  //   console.log(b.check('1.0.0.5'), b.check('::ffff:1.0.0.5', 'ipv6'))"
  @Test
  void ipv6RangeBlocksIpv4AddressOnlyWhenBothEndsAreMapped() {
    BlockList wide = new BlockList();
    wide.addRange("::", "::ffff:ffff:ffff", "ipv6");
    assertFalse(wide.check("1.0.0.5"));
    assertTrue(wide.check("::ffff:1.0.0.5", "ipv6"));

    BlockList halfMapped = new BlockList();
    halfMapped.addRange("::ffff:1.0.0.0", "::1:0:0:0", "ipv6");
    assertFalse(halfMapped.check("1.0.0.5"));
    assertTrue(halfMapped.check("::ffff:1.0.0.5", "ipv6"));

    BlockList mapped = new BlockList();
    mapped.addRange("::ffff:1.0.0.0", "::ffff:1.0.0.9", "ipv6");
    assertTrue(mapped.check("1.0.0.5"));
    assertFalse(mapped.check("1.0.0.10"));
  }

  // ---- Parsing and rules text ----

  // node -e "const b=new (require('net').BlockList)(); b.addAddress('1.2.3.4');
  //   b.addRange('1.2.3.4', '1.2.3.9'); b.addSubnet('10.0.0.0', 8);
  //   b.addAddress('::1', 'ipv6'); console.log(b.rules)"
  @Test
  void rulesListsNewestFirstInNodeFormat() {
    BlockList list = new BlockList();
    list.addAddress("1.2.3.4");
    list.addRange("1.2.3.4", "1.2.3.9");
    list.addSubnet("10.0.0.0", 8);
    list.addAddress("::1", "ipv6");
    list.addRange("::a", "::f", "ipv6");
    list.addSubnet("8592:757c:efae:4e45::", 64, "ipv6");
    assertEquals(
        List.of(
            "Subnet: IPv6 8592:757c:efae:4e45::/64",
            "Range: IPv6 ::a-::f",
            "Address: IPv6 ::1",
            "Subnet: IPv4 10.0.0.0/8",
            "Range: IPv4 1.2.3.4-1.2.3.9",
            "Address: IPv4 1.2.3.4"),
        list.rules());
  }

  // node -e "const b=new (require('net').BlockList)(); b.addAddress(X, 'ipv6');
  //   console.log(b.rules[0])" for each X below
  @Test
  void rulesPrintIpv6LikeLibuvInetNtop() {
    String[][] cases = {
      {"::", "::"},
      {"FFFF::1", "ffff::1"},
      {"0000:0000::0002", "::2"},
      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
      {"::1.2.3.4", "::1.2.3.4"},
      {"1::", "1::"},
      {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
      {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
      {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
      {"1:0:0:0:2:0:0:3", "1::2:0:0:3"},
      {"0:0:1:0:0:0:0:0", "0:0:1::"},
      {"::ffff:0:1.2.3.4", "::ffff:0:102:304"},
      {"::ffff:abcd:1234", "::ffff:171.205.18.52"},
      {"::abcd:1234", "::171.205.18.52"},
      {"::1:abcd:1234", "::1:abcd:1234"},
      {"64:ff9b::1.2.3.4", "64:ff9b::102:304"},
      {"fe80::1%lo", "fe80::1"},
      {"fe80::1%nonexistent", "fe80::1"},
      {"fe80::1%", "fe80::1"},
    };
    for (String[] c : cases) {
      BlockList list = new BlockList();
      list.addAddress(c[0], "ipv6");
      assertEquals(List.of("Address: IPv6 " + c[1]), list.rules(), c[0]);
    }
  }

  // node -e "const b=new (require('net').BlockList)();
  //   b.addAddress('0001:0002:0003:0004:0005:0006:0007:0008junk%eth0', 'ipv6');
  //   console.log(b.rules)"
  @Test
  void addressBeforeZoneIsCutTo39CharactersAsLibuvDoes() {
    BlockList list = new BlockList();
    list.addAddress("0001:0002:0003:0004:0005:0006:0007:0008junk%eth0", "ipv6");
    assertEquals(List.of("Address: IPv6 1:2:3:4:5:6:7:8"), list.rules());
    // Without a zone nothing is cut.
    assertError(
        "ERR_INVALID_ADDRESS",
        "Invalid socket address",
        () -> list.addAddress("0001:0002:0003:0004:0005:0006:0007:0008junk", "ipv6"));
  }

  // node -e "const b=new (require('net').BlockList)(); b.addAddress('1.2.3.4\0x');
  //   console.log(b.rules, b.check('1.2.3.4\0yy'))"
  @Test
  void textEndsAtNulAsInNodesCString() {
    BlockList list = new BlockList();
    list.addAddress("1.2.3.4\0junk");
    list.addAddress("::1\0junk", "ipv6");
    assertEquals(List.of("Address: IPv6 ::1", "Address: IPv4 1.2.3.4"), list.rules());
    assertTrue(list.check("1.2.3.4\0yy"));
  }

  @Test
  void rulesIsAnUnmodifiableSnapshot() {
    BlockList list = new BlockList();
    list.addAddress("1.2.3.4");
    List<String> before = list.rules();
    list.addAddress("1.2.3.5");
    assertEquals(List.of("Address: IPv4 1.2.3.4"), before);
    assertThrows(UnsupportedOperationException.class, () -> before.add("x"));
    assertEquals(2, list.rules().size());
  }

  // ---- The InetAddress fast path ----

  @Test
  void checkInetAddressAgreesWithLiteralCheck() throws UnknownHostException {
    BlockList list = new BlockList();
    list.addSubnet("10.0.0.0", 8);
    list.addAddress("2001:db8::1", "ipv6");
    list.addRange("::ffff:1.0.0.0", "::ffff:1.0.0.9", "ipv6");
    assertTrue(list.check(ip("10.1.2.3")));
    assertFalse(list.check(ip("11.1.2.3")));
    assertTrue(list.check(ip("2001:db8::1")));
    assertTrue(list.check(ip("2001:db8::1%1")));
    assertFalse(list.check(ip("2001:db8::2")));
    assertTrue(list.check(ip("1.0.0.5")));
    assertFalse(list.check(ip("1.0.0.10")));
    // A host name on the address is ignored: only its bytes are checked.
    assertTrue(
        list.check(InetAddress.getByAddress("no.such.host.invalid", new byte[] {10, 0, 0, 1})));
  }

  // Node's udp6 socket reports an IPv4 peer as '::ffff:a.b.c.d', family IPv6, and checks it so:
  // node -e "const b=new (require('net').BlockList)();
  //   b.addRange('::', '::ffff:ffff:ffff', 'ipv6');
  //   console.log(b.check('1.0.0.5'), b.check('::ffff:1.0.0.5', 'ipv6'))"
  @Test
  void checkInetAddressAsIpv6TreatsIpv4AddressAsMapped() throws UnknownHostException {
    BlockList list = new BlockList();
    list.addRange("::", "::ffff:ffff:ffff", "ipv6");
    InetAddress v4 = ip("1.0.0.5");
    assertFalse(list.check(v4));
    assertFalse(list.check(v4, "ipv4"));
    assertTrue(list.check(v4, "ipv6"));
    assertTrue(list.check(v4, "IPv6"));
    assertFalse(list.check(v4, "ipv7"));
    // An IPv6 literal is never a valid "ipv4" address in Node, so it is never blocked as one.
    BlockList all = new BlockList();
    all.addSubnet("::", 0, "ipv6");
    assertTrue(all.check(ip("::1"), "ipv6"));
    assertFalse(all.check(ip("::1"), "ipv4"));
  }

  @Test
  void checkNullInetAddressFailsWithInvalidArgType() throws UnknownHostException {
    BlockList list = new BlockList();
    String message = "The \"address\" argument must be an instance of InetAddress. Received null";
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.check((InetAddress) null));
    assertError("ERR_INVALID_ARG_TYPE", message, () -> list.check((InetAddress) null, "ipv4"));
    InetAddress address = ip("1.2.3.4");
    assertError(
        "ERR_INVALID_ARG_TYPE",
        "The \"family\" argument must be of type string. Received null",
        () -> list.check(address, null));
  }

  // ---- Threading ----

  @Test
  void rulesAddedConcurrentlyAreAllKeptAndCheckedWithoutErrors() throws Exception {
    BlockList list = new BlockList();
    int threads = 4;
    int perThread = 500;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    String address = "10." + id + "." + (i >> 8) + "." + (i & 0xff);
                    list.addAddress(address);
                    if (!list.check(address)) {
                      throw new AssertionError("not blocked right after add: " + address);
                    }
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              }));
    }
    workers.forEach(Thread::start);
    start.countDown();
    for (Thread worker : workers) {
      worker.join(10_000);
      assertFalse(worker.isAlive(), "worker still running after 10 s");
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    Set<String> rules = new HashSet<>(list.rules());
    assertEquals(threads * perThread, rules.size());
    assertTrue(rules.contains("Address: IPv4 10.3.1.243"));
    assertTrue(list.check("10.2.0.7"));
  }
}

package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** receiveBlockList drops a blocked sender's datagram; sendBlockList fails a blocked send. */
class BlockListsTest {

  @Test
  void blockedSenderIsDroppedAndBlockedDestinationFails() throws Exception {
    Lines lines = new Lines();
    BlockLists.Outcome outcome = BlockLists.run(lines);
    assertEquals(List.of("from 127.0.0.1"), outcome.received());
    assertEquals("ERR_IP_BLOCKED", outcome.blockedSendCode());
  }
}

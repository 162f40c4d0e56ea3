package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** sendMany's 64 equal-size datagrams (one GSO write on epoll) all arrive, one by one. */
class SendManyGsoTest {

  @Test
  void everyDatagramOfTheBatchArrives() throws Exception {
    Lines lines = new Lines();
    assertEquals(64, SendManyGso.run(64, 100, lines));
    assertEquals(
        "sendMany: 64 datagrams of 100 bytes, 6400 bytes in one call", lines.next("the send"));
  }
}

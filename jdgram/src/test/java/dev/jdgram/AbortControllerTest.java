package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link AbortController} and {@link AbortSignal}, mirroring the web classes that Node provides;
 * Node's behaviour is quoted with the node one-liner that shows it.
 */
class AbortControllerTest {

  private static void assertDefaultReason(Object reason) {
    DgramException e = assertInstanceOf(DgramException.class, reason);
    assertEquals("ABORT_ERR", e.code());
    assertEquals("This operation was aborted", e.getMessage());
  }

  // node -e "const s = new AbortController().signal; console.log(s.aborted, s.reason)"
  @Test
  void newSignalIsNotAborted() {
    AbortController controller = new AbortController();
    assertFalse(controller.signal().aborted());
    assertNull(controller.signal().reason());
    assertSame(controller.signal(), controller.signal());
    controller.signal().throwIfAborted(); // does nothing
    assertEquals("AbortSignal { aborted: false }", controller.signal().toString());
  }

  // node -e "const c = new AbortController(); c.abort(); console.log(c.signal.reason.message)"
  @Test
  void abortWithoutReasonGivesAbortError() {
    AbortController controller = new AbortController();
    controller.abort();
    assertTrue(controller.signal().aborted());
    assertDefaultReason(controller.signal().reason());
    assertEquals("AbortSignal { aborted: true }", controller.signal().toString());
  }

  @Test
  void abortWithNullReasonGivesAbortError() {
    AbortController controller = new AbortController();
    controller.abort(null);
    assertTrue(controller.signal().aborted());
    assertDefaultReason(controller.signal().reason());
  }

  // node -e "const c = new AbortController(); c.abort('r1'); c.abort('r2');
  //   console.log(c.signal.reason)"
  @Test
  void secondAbortKeepsFirstReasonAndRunsNoListenerAgain() {
    AbortController controller = new AbortController();
    AtomicInteger runs = new AtomicInteger();
    controller.signal().addAbortListener(runs::incrementAndGet);
    controller.abort("r1");
    controller.abort("r2");
    controller.abort();
    assertEquals("r1", controller.signal().reason());
    assertEquals(1, runs.get());
  }

  // node -e "const s = AbortSignal.abort(); console.log(s.aborted, s.reason.message)"
  @Test
  void staticAbortReturnsAbortedSignal() {
    AbortSignal signal = AbortSignal.abort();
    assertTrue(signal.aborted());
    assertDefaultReason(signal.reason());
    assertTrue(AbortSignal.abort("why").aborted());
    assertEquals("why", AbortSignal.abort("why").reason());
    assertTrue(AbortSignal.abort(null).aborted());
    assertDefaultReason(AbortSignal.abort(null).reason());
    // Each call makes a new reason, as Node makes a new DOMException.
    assertTrue(AbortSignal.abort().reason() != AbortSignal.abort().reason());
  }

  // node -e "const c = new AbortController(); c.abort(new RangeError('x'));
  //   try { c.signal.throwIfAborted() } catch (e) { console.log(e === c.signal.reason) }"
  @Test
  void throwIfAbortedThrowsUncheckedReasonItself() {
    IllegalStateException reason = new IllegalStateException("x");
    AbortSignal signal = AbortSignal.abort(reason);
    assertSame(reason, assertThrows(IllegalStateException.class, signal::throwIfAborted));

    AssertionError error = new AssertionError("e");
    assertSame(error, assertThrows(AssertionError.class, AbortSignal.abort(error)::throwIfAborted));

    AbortSignal byDefault = AbortSignal.abort();
    assertSame(byDefault.reason(), assertThrows(DgramException.class, byDefault::throwIfAborted));
  }

  @Test
  void throwIfAbortedWrapsOtherReasonsInAbortError() {
    DgramException e = assertThrows(DgramException.class, AbortSignal.abort("r1")::throwIfAborted);
    assertEquals("ABORT_ERR", e.code());
    assertEquals("This operation was aborted", e.getMessage());
    assertNull(e.getCause());

    IOException checked = new IOException("io");
    DgramException wrapped =
        assertThrows(DgramException.class, AbortSignal.abort(checked)::throwIfAborted);
    assertEquals("ABORT_ERR", wrapped.code());
    assertSame(checked, wrapped.getCause());
  }

  @Test
  void listenersRunOnceInRegistrationOrderAfterAbortedIsTrue() {
    AbortController controller = new AbortController();
    AbortSignal signal = controller.signal();
    List<String> order = new ArrayList<>();
    signal.addAbortListener(() -> order.add("a:" + signal.aborted() + ":" + signal.reason()));
    signal.addAbortListener(() -> order.add("b"));
    signal.addAbortListener(() -> order.add("c"));
    assertTrue(order.isEmpty());
    controller.abort("why");
    assertEquals(List.of("a:true:why", "b", "c"), order);
  }

  // node -e "const c = new AbortController(); const f = () => console.log('f');
  //   c.signal.addEventListener('abort', f); c.signal.addEventListener('abort', f); c.abort()"
  @Test
  void listenerAddedTwiceRunsOnce() {
    AbortController controller = new AbortController();
    AtomicInteger runs = new AtomicInteger();
    Runnable listener = runs::incrementAndGet;
    controller.signal().addAbortListener(listener);
    controller.signal().addAbortListener(listener);
    controller.abort();
    assertEquals(1, runs.get());
  }

  @Test
  void listenerAddedAfterAbortNeverRuns() {
    AbortSignal signal = AbortSignal.abort();
    AtomicInteger runs = new AtomicInteger();
    signal.addAbortListener(runs::incrementAndGet);
    assertEquals(0, runs.get());

    // DOM semantics: one added by a listener during the abort does not run either.
    AbortController controller = new AbortController();
    AbortSignal aborting = controller.signal();
    aborting.addAbortListener(() -> aborting.addAbortListener(runs::incrementAndGet));
    controller.abort();
    assertEquals(0, runs.get());
  }

  // node -e "const c = new AbortController(); const k = () => console.log('k');
  //   c.signal.addEventListener('abort', () => c.signal.removeEventListener('abort', k));
  //   c.signal.addEventListener('abort', k); c.abort()"   (prints nothing)
  @Test
  void removedListenerDoesNotRunEvenWhenRemovedDuringAbort() {
    AbortController controller = new AbortController();
    AbortSignal signal = controller.signal();
    List<String> order = new ArrayList<>();
    Runnable removedBefore = () -> order.add("removedBefore");
    Runnable removedDuring = () -> order.add("removedDuring");
    signal.addAbortListener(removedBefore);
    signal.addAbortListener(
        () -> {
          order.add("remover");
          signal.removeAbortListener(removedDuring);
        });
    signal.addAbortListener(removedDuring);
    signal.addAbortListener(() -> order.add("last"));
    signal.removeAbortListener(removedBefore);
    signal.removeAbortListener(() -> {}); // not registered: nothing happens
    signal.removeAbortListener(null);
    signal.addAbortListener(null); // ignored, as Node ignores a null listener
    controller.abort();
    assertEquals(List.of("remover", "last"), order);
  }

  @Test
  void listenerAddedAgainAfterRemovalRunsInItsNewPlace() {
    AbortController controller = new AbortController();
    List<String> order = new ArrayList<>();
    Runnable a = () -> order.add("a");
    controller.signal().addAbortListener(a);
    controller.signal().addAbortListener(() -> order.add("b"));
    controller.signal().removeAbortListener(a);
    controller.signal().addAbortListener(a);
    controller.abort();
    assertEquals(List.of("b", "a"), order);
  }

  // node -e "process.on('uncaughtException', e => console.log('uncaught', e.message));
  //   const c = new AbortController();
  //   c.signal.addEventListener('abort', () => { throw new Error('boom') });
  //   c.signal.addEventListener('abort', () => console.log('next')); c.abort()"
  @Test
  void throwingListenerGoesToUncaughtHandlerAndOthersStillRun() throws InterruptedException {
    AbortController controller = new AbortController();
    RuntimeException boom = new RuntimeException("boom");
    List<String> order = new CopyOnWriteArrayList<>();
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    AbortSignal signal = controller.signal();
    signal.addAbortListener(() -> order.add("first"));
    signal.addAbortListener(
        () -> {
          order.add("thrower");
          throw boom;
        });
    signal.addAbortListener(() -> order.add("last"));
    Thread aborter = new Thread(controller::abort, "aborter");
    List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
    aborter.setUncaughtExceptionHandler(
        (thread, e) -> {
          handlerThreads.add(thread);
          uncaught.add(e);
        });
    aborter.start();
    aborter.join(10_000);
    assertFalse(aborter.isAlive(), "abort did not finish in 10 s");
    assertEquals(List.of("first", "thrower", "last"), order);
    assertEquals(List.of(boom), uncaught);
    assertEquals(List.of(aborter), handlerThreads);
  }

  @Test
  void throwingUncaughtHandlerDoesNotStopLaterListeners() throws InterruptedException {
    AbortController controller = new AbortController();
    List<String> order = new CopyOnWriteArrayList<>();
    AbortSignal signal = controller.signal();
    signal.addAbortListener(
        () -> {
          throw new IllegalStateException("listener");
        });
    signal.addAbortListener(() -> order.add("last"));
    Thread aborter = new Thread(controller::abort, "aborter");
    aborter.setUncaughtExceptionHandler(
        (thread, e) -> {
          if ("listener".equals(e.getMessage())) {
            throw new IllegalStateException("handler");
          }
        });
    aborter.start();
    aborter.join(10_000);
    assertFalse(aborter.isAlive(), "abort did not finish in 10 s");
    assertEquals(List.of("last"), order);
  }

  @Test
  void listenersRunOnTheAbortingThread() throws InterruptedException {
    AbortController controller = new AbortController();
    List<Thread> ran = new CopyOnWriteArrayList<>();
    controller.signal().addAbortListener(() -> ran.add(Thread.currentThread()));
    Thread aborter = new Thread(controller::abort, "aborter");
    aborter.start();
    aborter.join(10_000);
    assertFalse(aborter.isAlive(), "abort did not finish in 10 s");
    assertEquals(List.of(aborter), ran);
  }

  @Test
  void concurrentAbortsRunEachListenerOnceWithOneReason() throws InterruptedException {
    for (int round = 0; round < 50; round++) {
      AbortController controller = new AbortController();
      AtomicInteger runs = new AtomicInteger();
      List<Object> seenReasons = Collections.synchronizedList(new ArrayList<>());
      AbortSignal signal = controller.signal();
      for (int i = 0; i < 10; i++) {
        // A capturing lambda is a new object each time, so these are ten distinct listeners.
        signal.addAbortListener(
            () -> {
              runs.incrementAndGet();
              seenReasons.add(signal.reason());
            });
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String reason = "r" + t;
        threads.add(
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  controller.abort(reason);
                }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread thread : threads) {
        thread.join(10_000);
        assertFalse(thread.isAlive(), "abort did not finish in 10 s");
      }
      assertEquals(10, runs.get());
      Object reason = controller.signal().reason();
      assertTrue(List.of("r0", "r1", "r2", "r3").contains(reason), String.valueOf(reason));
      for (Object seen : seenReasons) {
        assertSame(reason, seen);
      }
    }
  }
}

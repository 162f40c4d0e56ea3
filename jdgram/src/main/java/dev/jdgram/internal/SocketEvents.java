package dev.jdgram.internal;

import dev.jdgram.Callback;
import dev.jdgram.DgramException;
import dev.jdgram.ErrorListener;
import dev.jdgram.MessageListener;
import dev.jdgram.RemoteInfo;
import dev.jdgram.internal.jfr.JfrHooks;
import java.util.concurrent.Executor;

/**
 * A socket's five events and how each is emitted: listeners in order, each in its own try, an
 * exception from one going to the loop thread's uncaught-exception handler while the rest still
 * run, and an {@code 'error'} with no listener of the user's going there too. Emitting happens on
 * the loop thread only, with no lock held.
 */
public final class SocketEvents {
  public static final int CLOSE = 0;
  public static final int CONNECT = 1;
  public static final int ERROR = 2;
  public static final int LISTENING = 3;
  public static final int MESSAGE = 4;
  private static final int EVENTS = 5;

  private final Emitter emitter = new Emitter(EVENTS);

  /** Where a late 'close' listener runs; set when the socket closed as it was created. */
  private Executor closeReplay; // guarded by emitter

  private boolean closeEmitted; // guarded by emitter

  /** The listener registry, for the socket's off, removeAllListeners and listenerCount. */
  public Emitter emitter() {
    return emitter;
  }

  /**
   * Node's on/once/prependListener. On a socket closed as it was created (an already-aborted
   * signal), a 'close' listener added after 'close' was emitted runs once on {@code closeReplay}:
   * Node closes such a socket on the next tick, after the creating code has added its listeners,
   * and a Java caller has no tick to wait for. Any thread.
   */
  public void add(int event, Object listener, boolean once, boolean prepend) {
    Executor replay = null;
    synchronized (emitter) {
      if (event == CLOSE && closeEmitted && closeReplay != null) {
        replay = closeReplay;
      } else {
        emitter.add(event, listener, once, prepend);
      }
    }
    if (replay != null) {
      replay.execute(() -> runSafely((Runnable) listener));
    }
  }

  /** Hands 'close' to listeners added after it was emitted, on {@code loop}; see {@link #add}. */
  void replayCloseOn(Executor loop) {
    synchronized (emitter) {
      closeReplay = loop;
    }
  }

  /** Emits 'close', the last event: from here on a late listener is replayed or never called. */
  void emitClose() {
    Emitter.Entry[] listeners;
    synchronized (emitter) {
      closeEmitted = true;
      listeners = emitter.snapshot(CLOSE);
    }
    run(CLOSE, listeners);
  }

  void emit(int event) {
    run(event, emitter.snapshot(event));
  }

  private void run(int event, Emitter.Entry[] listeners) {
    for (Emitter.Entry e : listeners) {
      if (emitter.claim(event, e)) {
        runSafely((Runnable) e.listener());
      }
    }
  }

  void message(byte[] msg, RemoteInfo rinfo) {
    for (Emitter.Entry e : emitter.snapshot(MESSAGE)) {
      if (emitter.claim(MESSAGE, e)) {
        try {
          ((MessageListener) e.listener()).onMessage(msg, rinfo);
        } catch (Throwable t) {
          uncaught(t);
        }
      }
    }
  }

  /** Emits 'error'; with no listener of the user's, the error goes to the uncaught handler. */
  void error(DgramException err) {
    JfrHooks.error(err);
    Emitter.Entry[] listeners = emitter.snapshot(ERROR);
    boolean handled = false;
    for (Emitter.Entry e : listeners) {
      if (!(e.listener() instanceof BindCallback)) {
        handled = true;
      }
    }
    for (Emitter.Entry e : listeners) {
      if (emitter.claim(ERROR, e)) {
        try {
          ((ErrorListener) e.listener()).onError(err);
        } catch (Throwable t) {
          uncaught(t);
        }
      }
    }
    if (!handled) {
      uncaught(err);
    }
  }

  /** Registers Node's bind callback: once on 'listening', dropped on 'error'. */
  void addBindCallback(Runnable callback) {
    BindCallback cb = new BindCallback(callback);
    emitter.add(LISTENING, cb, false, false);
    emitter.add(ERROR, cb, false, false);
  }

  /**
   * Registers Node's {@code once('connect', callback)}; returns the entry, to remove on failure.
   */
  Runnable addConnectCallback(Callback callback) {
    Runnable onConnect = () -> callback.done(null);
    emitter.add(CONNECT, onConnect, true, false);
    return onConnect;
  }

  static void runSafely(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      uncaught(t);
    }
  }

  /** A listener threw, or an error had no listener: the loop thread's uncaught handler gets it. */
  static void uncaught(Throwable t) {
    Thread self = Thread.currentThread();
    Thread.UncaughtExceptionHandler h = self.getUncaughtExceptionHandler();
    try {
      h.uncaughtException(self, t);
    } catch (Throwable ignored) {
      // The handler itself failed; nothing sensible is left to do on the loop thread.
    }
  }

  /**
   * Node's bind callback: runs on 'listening' and removes itself from both events; on 'error' it
   * only removes itself. It does not count as a user's 'error' listener: a failed bind with no
   * 'error' listener still reaches the uncaught handler (Node would swallow it).
   */
  private final class BindCallback implements Runnable, ErrorListener {
    private final Runnable callback;

    BindCallback(Runnable callback) {
      this.callback = callback;
    }

    private void detach() {
      emitter.remove(LISTENING, this);
      emitter.remove(ERROR, this);
    }

    @Override
    public void run() {
      detach();
      callback.run();
    }

    @Override
    public void onError(DgramException err) {
      detach();
    }
  }
}

package dev.jdgram.internal;

import dev.jdgram.Lookup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Node's {@code dns.lookup} for sockets: an IP literal is returned as it is (of either family, as
 * dns.lookup does), a host name goes to the system resolver on a small pool of daemon threads,
 * never on the event loop, and the first address of the socket's family wins.
 */
public final class DefaultLookup implements Lookup {
  public static final DefaultLookup INSTANCE = new DefaultLookup();

  /** Like libuv's thread pool: four threads; idle ones end, so none outlives its work for long. */
  private static final ExecutorService RESOLVERS = newPool();

  private DefaultLookup() {}

  private static ExecutorService newPool() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            4,
            4,
            2,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new DefaultThreadFactory("jdgram-dns", true));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public CompletionStage<InetAddress> lookup(String hostname, int family) {
    InetAddress literal = Addresses.parseLiteral(hostname);
    if (literal != null) {
      return CompletableFuture.completedFuture(literal);
    }
    return CompletableFuture.supplyAsync(() -> resolve(hostname, family), RESOLVERS);
  }

  private static InetAddress resolve(String hostname, int family) {
    try {
      for (InetAddress a : InetAddress.getAllByName(hostname)) {
        if (family == 6 ? a instanceof Inet6Address : a instanceof Inet4Address) {
          return a;
        }
      }
      throw new java.util.concurrent.CompletionException(new UnknownHostException(hostname));
    } catch (UnknownHostException e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }
}

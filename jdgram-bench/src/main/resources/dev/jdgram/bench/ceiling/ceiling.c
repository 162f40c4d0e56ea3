/*
 * The ceiling subject of the jdgram benchmark: plain C on blocking sockets, what this machine's
 * kernel allows through the same workloads with no runtime in the way. It speaks the line protocol
 * of the other subjects (dev.jdgram.bench.subject.Control, node/subject.js): prints "READY k=v..."
 * once set up, reads "MARK" (the measured window starts) and "STOP" (it ends: prints
 * "RESULT k=v..." and exits) on stdin, and exits when stdin ends.
 *
 * Modes (key=value parameters after the mode):
 *   recv                          recvmmsg loop, up to 64 datagrams per call (MSG_WAITFORONE)
 *   send port=P size=S            one sendto() per datagram, flat out
 *   sendmany port=P size=S batch=B [gso=1]  sendmmsg() of B datagrams per call, or with gso=1
 *                                 one send of B segments with UDP_SEGMENT (UDP GSO)
 *   echo                          recvfrom() then sendto() back, one datagram at a time
 *   ping port=P size=S warmup=N count=N  one datagram in flight; RESULT p50= p99= p999= (us)
 *   coldstart [port=P]            socket() + bind(), twice, then one sendto (to the second
 *                                 socket or port=P); RESULT listening_ms= second_ms= send_ms=
 *   run CMD ARG...                runs CMD (its output passes through), waits for it;
 *                                 MEASURED wall_ms= maxrss_kb= status=
 *
 * Built by the benchmark at run time: gcc -O2 -pthread -o ceiling ceiling.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103 /* linux/udp.h, for older C libraries */
#endif

#define LOOPBACK "127.0.0.1"
#define BATCH_MAX 1024
#define RECV_VLEN 64
#define RECV_BUF 65536

static int param_count;
static char **param_values;

static void fail(const char *what) {
  fprintf(stderr, "subject failed: %s: %s\n", what, strerror(errno));
  _exit(2);
}

static void fail_plain(const char *what) {
  fprintf(stderr, "subject failed: %s\n", what);
  _exit(2);
}

/* An integer parameter key=value, or the fallback when absent. */
static long param(const char *key, long fallback) {
  size_t len = strlen(key);
  for (int i = 0; i < param_count; i++) {
    if (strncmp(param_values[i], key, len) == 0 && param_values[i][len] == '=') {
      char *end;
      errno = 0;
      long v = strtol(param_values[i] + len + 1, &end, 10);
      if (errno != 0 || *end != '\0') {
        fail_plain("bad integer parameter");
      }
      return v;
    }
  }
  return fallback;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
    fail("clock_gettime");
  }
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void line(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  if (fflush(stdout) != 0) {
    _exit(3); /* the orchestrator is gone */
  }
}

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, LOOPBACK, &a.sin_addr) != 1) {
    fail_plain("inet_pton");
  }
  return a;
}

/* A UDP socket bound to 127.0.0.1 on an ephemeral port; its port in *port. */
static int bound_socket(int *port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) {
    fail("socket");
  }
  struct sockaddr_in a = loopback(0);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    fail("bind");
  }
  socklen_t len = sizeof a;
  if (getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
    fail("getsockname");
  }
  *port = ntohs(a.sin_port);
  return fd;
}

/* Counters of the data path: one writer (the worker thread), read by the control thread. */
static _Atomic uint64_t count;
static _Atomic uint64_t bytes;
static _Atomic uint64_t errors;

static void add(uint64_t n, uint64_t b) {
  atomic_store_explicit(&count, atomic_load_explicit(&count, memory_order_relaxed) + n,
                        memory_order_relaxed);
  atomic_store_explicit(&bytes, atomic_load_explicit(&bytes, memory_order_relaxed) + b,
                        memory_order_relaxed);
}

/* Serves MARK and STOP on stdin (the calling thread); exits on STOP or end of input. */
static void serve(void) {
  char cmd[64];
  uint64_t t0 = now_ns();
  uint64_t c0 = 0;
  uint64_t b0 = 0;
  while (fgets(cmd, sizeof cmd, stdin) != NULL) {
    if (strncmp(cmd, "MARK", 4) == 0) {
      c0 = atomic_load_explicit(&count, memory_order_relaxed);
      b0 = atomic_load_explicit(&bytes, memory_order_relaxed);
      t0 = now_ns();
    } else if (strncmp(cmd, "STOP", 4) == 0) {
      uint64_t t1 = now_ns();
      uint64_t c1 = atomic_load_explicit(&count, memory_order_relaxed);
      uint64_t b1 = atomic_load_explicit(&bytes, memory_order_relaxed);
      line("RESULT count=%llu bytes=%llu nanos=%llu alloc=-1 errors=%llu",
           (unsigned long long)(c1 - c0), (unsigned long long)(b1 - b0),
           (unsigned long long)(t1 - t0),
           (unsigned long long)atomic_load_explicit(&errors, memory_order_relaxed));
      _exit(0);
    } else {
      fprintf(stderr, "unknown command: %s", cmd);
    }
  }
  _exit(0); /* orchestrator gone */
}

static void start_worker(void *(*body)(void *), void *arg) {
  pthread_t t;
  int rc = pthread_create(&t, NULL, body, arg);
  if (rc != 0) {
    errno = rc;
    fail("pthread_create");
  }
}

/* ---- recv: recvmmsg into 64 buffers of 64 KiB. */

static void *recv_loop(void *arg) {
  int fd = *(int *)arg;
  static char bufs[RECV_VLEN][RECV_BUF];
  struct mmsghdr msgs[RECV_VLEN];
  struct iovec iov[RECV_VLEN];
  for (;;) {
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < RECV_VLEN; i++) {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = RECV_BUF;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd, msgs, RECV_VLEN, MSG_WAITFORONE, NULL);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("recvmmsg");
    }
    uint64_t b = 0;
    for (int i = 0; i < n; i++) {
      b += msgs[i].msg_len;
    }
    add((uint64_t)n, b);
  }
  return NULL;
}

static void mode_recv(void) {
  static int fd;
  int port;
  fd = bound_socket(&port);
  start_worker(recv_loop, &fd);
  line("READY port=%d sockets=1", port);
  serve();
}

/* ---- send and sendmany: flat out to port=P, one datagram or a batch per system call. */

struct sender {
  int fd;
  struct sockaddr_in to;
  size_t size;
  int batch;
  int gso;
};

static void *send_loop(void *arg) {
  struct sender *s = arg;
  char *payload = malloc(s->size > 0 ? s->size : 1);
  if (payload == NULL) {
    fail_plain("out of memory");
  }
  memset(payload, 'x', s->size);
  if (s->batch <= 1) {
    for (;;) {
      ssize_t n = sendto(s->fd, payload, s->size, 0, (struct sockaddr *)&s->to, sizeof s->to);
      if (n < 0) {
        /* ENOBUFS or ECONNREFUSED (an ICMP error from an earlier datagram): count, go on. */
        atomic_fetch_add_explicit(&errors, 1, memory_order_relaxed);
      } else {
        add(1, (uint64_t)n);
      }
    }
  }
  if (s->gso) {
    /* One buffer of batch segments; the kernel cuts it into datagrams of size bytes. */
    int segment = (int)s->size;
    if (setsockopt(s->fd, SOL_UDP, UDP_SEGMENT, &segment, sizeof segment) != 0) {
      fail("setsockopt UDP_SEGMENT");
    }
    size_t total = s->size * (size_t)s->batch;
    char *segments = malloc(total);
    if (segments == NULL) {
      fail_plain("out of memory");
    }
    memset(segments, 'x', total);
    for (;;) {
      ssize_t n = sendto(s->fd, segments, total, 0, (struct sockaddr *)&s->to, sizeof s->to);
      if (n < 0) {
        atomic_fetch_add_explicit(&errors, 1, memory_order_relaxed);
      } else {
        add((uint64_t)s->batch, (uint64_t)n);
      }
    }
  }
  static struct mmsghdr msgs[BATCH_MAX];
  static struct iovec iov;
  iov.iov_base = payload;
  iov.iov_len = s->size;
  for (;;) {
    for (int i = 0; i < s->batch; i++) {
      memset(&msgs[i], 0, sizeof msgs[i]);
      msgs[i].msg_hdr.msg_name = &s->to;
      msgs[i].msg_hdr.msg_namelen = sizeof s->to;
      msgs[i].msg_hdr.msg_iov = &iov;
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = sendmmsg(s->fd, msgs, (unsigned)s->batch, 0);
    if (n < 0) {
      atomic_fetch_add_explicit(&errors, 1, memory_order_relaxed);
    } else {
      add((uint64_t)n, (uint64_t)n * s->size);
    }
  }
  return NULL;
}

static void mode_send(int batch) {
  static struct sender s;
  int port;
  s.fd = bound_socket(&port);
  s.to = loopback((int)param("port", 0));
  s.size = (size_t)param("size", 64);
  s.batch = batch;
  s.gso = param("gso", 0) != 0;
  if (s.size < 1 || s.size > 65507 || s.batch < 1 || s.batch > BATCH_MAX ||
      (s.gso && (s.batch > 64 || s.size * (size_t)s.batch > 65507))) {
    fail_plain("size, batch or gso out of range");
  }
  line("READY port=%d", port);
  start_worker(send_loop, &s);
  serve();
}

/* ---- echo: each datagram straight back to its sender. */

static void *echo_loop(void *arg) {
  int fd = *(int *)arg;
  static char buf[RECV_BUF];
  for (;;) {
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail("recvfrom");
    }
    if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len) < 0) {
      atomic_fetch_add_explicit(&errors, 1, memory_order_relaxed);
    } else {
      add(1, (uint64_t)n);
    }
  }
  return NULL;
}

static void mode_echo(void) {
  static int fd;
  int port;
  fd = bound_socket(&port);
  start_worker(echo_loop, &fd);
  line("READY port=%d", port);
  serve();
}

/* ---- ping: round trips timed one by one; nearest-rank percentiles. */

static void *exit_on_end_of_input(void *arg) {
  (void)arg;
  char buf[256];
  while (fread(buf, 1, sizeof buf, stdin) > 0) {
    /* ignore */
  }
  _exit(0);
  return NULL;
}

static int compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a;
  uint64_t y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static double percentile_us(const uint64_t *sorted, long n, double p) {
  if (n == 0) {
    return 0;
  }
  long rank = (long)(p * (double)n + 0.999999999) - 1;
  if (rank < 0) {
    rank = 0;
  }
  if (rank > n - 1) {
    rank = n - 1;
  }
  return (double)sorted[rank] / 1000.0;
}

static void mode_ping(void) {
  int port;
  int fd = bound_socket(&port);
  struct sockaddr_in to = loopback((int)param("port", 0));
  size_t size = (size_t)param("size", 64);
  long warmup = param("warmup", 20000);
  long total = warmup + param("count", 100000);
  if (size < 8) {
    size = 8;
  }
  if (size > RECV_BUF || warmup < 0 || total <= warmup) {
    fail_plain("size, warmup or count out of range");
  }
  struct timeval timeout = {.tv_sec = 0, .tv_usec = 200000};
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) {
    fail("setsockopt SO_RCVTIMEO");
  }
  uint64_t *samples = malloc((size_t)(total - warmup) * sizeof *samples);
  char *out = calloc(1, size);
  char *in = malloc(RECV_BUF);
  if (samples == NULL || out == NULL || in == NULL) {
    fail_plain("out of memory");
  }
  start_worker(exit_on_end_of_input, NULL);
  long n = 0;
  long lost = 0;
  for (long seq = 0; seq < total; seq++) {
    uint64_t wire = htobe64((uint64_t)seq);
    memcpy(out, &wire, sizeof wire);
    int resent = 0;
    uint64_t sent_at = now_ns();
    if (sendto(fd, out, size, 0, (struct sockaddr *)&to, sizeof to) < 0) {
      fail("sendto");
    }
    for (;;) {
      ssize_t got = recv(fd, in, RECV_BUF, 0);
      if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          /* Lost on the way: send again, count it, do not measure it. */
          lost++;
          resent = 1;
          sent_at = now_ns();
          if (sendto(fd, out, size, 0, (struct sockaddr *)&to, sizeof to) < 0) {
            fail("sendto");
          }
          continue;
        }
        if (errno == EINTR) {
          continue;
        }
        fail("recv");
      }
      uint64_t echoed;
      if (got >= 8 && (memcpy(&echoed, in, sizeof echoed), be64toh(echoed) == (uint64_t)seq)) {
        break;
      }
    }
    uint64_t rtt = now_ns() - sent_at;
    if (seq >= warmup && !resent) {
      samples[n++] = rtt;
    }
  }
  qsort(samples, (size_t)n, sizeof *samples, compare_u64);
  line("RESULT p50=%.2f p99=%.2f p999=%.2f n=%ld lost=%ld", percentile_us(samples, n, 0.5),
       percentile_us(samples, n, 0.99), percentile_us(samples, n, 0.999), n, lost);
  _exit(0);
}

/* ---- coldstart: the cost of the first socket, from nothing to bound, of a second one, and of the
 * first sendto (to the second socket, or with port=P there, as a one-shot send command does). */

static void mode_coldstart(void) {
  uint64_t t0 = now_ns();
  int port;
  int fd = bound_socket(&port);
  uint64_t t1 = now_ns();
  int second_port;
  int second = bound_socket(&second_port);
  uint64_t t2 = now_ns();
  long to_port = param("port", 0);
  struct sockaddr_in to = loopback(to_port > 0 ? (int)to_port : second_port);
  if (sendto(fd, "hi", 2, 0, (struct sockaddr *)&to, sizeof to) < 0) {
    fail("sendto");
  }
  uint64_t t3 = now_ns();
  line("RESULT listening_ms=%.3f second_ms=%.3f send_ms=%.3f port=%d", (double)(t1 - t0) / 1e6,
       (double)(t2 - t1) / 1e6, (double)(t3 - t2) / 1e6, port);
  close(second);
  close(fd);
  _exit(0);
}

/* ---- run: wall time and peak resident set of another program, whose output passes through;
 * printed after it exits as MEASURED wall_ms=... maxrss_kb=... status=... */

static void mode_run(int argc, char **argv) {
  if (argc < 1) {
    fail_plain("run: no command");
  }
  if (fflush(stdout) != 0) {
    fail("fflush");
  }
  uint64_t t0 = now_ns();
  pid_t pid = fork();
  if (pid < 0) {
    fail("fork");
  }
  if (pid == 0) {
    execvp(argv[0], argv);
    fail("execvp");
  }
  int status;
  struct rusage usage;
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      fail("wait4");
    }
  }
  uint64_t t1 = now_ns();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  line("MEASURED wall_ms=%.3f maxrss_kb=%ld status=%d", (double)(t1 - t0) / 1e6, usage.ru_maxrss,
       code);
  _exit(0);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fail_plain("usage: ceiling MODE [key=value...]");
  }
  const char *mode = argv[1];
  if (strcmp(mode, "run") == 0) {
    mode_run(argc - 2, argv + 2);
  }
  param_count = argc - 2;
  param_values = argv + 2;
  for (int i = 0; i < param_count; i++) {
    if (strchr(param_values[i], '=') == NULL) {
      fail_plain("expected key=value");
    }
  }
  if (strcmp(mode, "recv") == 0) {
    mode_recv();
  } else if (strcmp(mode, "send") == 0) {
    mode_send(1);
  } else if (strcmp(mode, "sendmany") == 0) {
    mode_send((int)param("batch", 64));
  } else if (strcmp(mode, "echo") == 0) {
    mode_echo();
  } else if (strcmp(mode, "ping") == 0) {
    mode_ping();
  } else if (strcmp(mode, "coldstart") == 0) {
    mode_coldstart();
  } else {
    fail_plain("unsupported mode");
  }
  return 0;
}

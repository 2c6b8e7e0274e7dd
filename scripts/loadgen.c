/*
 * A small load generator in C that speaks the calc/1 line protocol, kept
 * only to check that `sockcalc bench` is not slower than a C generator.
 * It is a measuring tool, not part of the product.
 *
 * Build: cc -O2 -o /tmp/loadgen scripts/loadgen.c
 * Usage: loadgen HOST PORT CONNS PIPELINE SECONDS [WARMUP_SECONDS [EXPRS_FILE]]
 *
 * One thread, epoll, non-blocking sockets with TCP_NODELAY. Each connection
 * keeps PIPELINE requests in flight: for every reply read it sends one more,
 * all those of one read in a single write. Latency is measured per reply
 * from the time its request was written, with one clock read per read(2).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1024
#define MAX_PIPELINE 1024
#define HIST_US 100000 /* latencies in whole microseconds, up to 100 ms */

struct conn {
  int fd;
  double sent[MAX_PIPELINE]; /* ring of send times of requests in flight */
  int head, in_flight;
  size_t next; /* next expression to send */
};

static char **exprs;
static size_t *expr_len, n_exprs;
static unsigned long long hist[HIST_US + 1];
static long long counted;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void load_exprs(const char *path) {
  static char *fallback[] = {"1+1\n"};
  static size_t fallback_len[] = {4};
  exprs = fallback, expr_len = fallback_len, n_exprs = 1;
  if (!path) return;
  FILE *f = fopen(path, "r");
  if (!f) { perror(path); exit(2); }
  size_t cap = 0;
  char *line = NULL;
  size_t len = 0;
  ssize_t got;
  n_exprs = 0;
  exprs = NULL, expr_len = NULL;
  while ((got = getline(&line, &len, f)) > 0) {
    if (line[got - 1] != '\n') { line = realloc(line, got + 2); line[got++] = '\n'; }
    if (n_exprs == cap) {
      cap = cap ? cap * 2 : 64;
      exprs = realloc(exprs, cap * sizeof *exprs);
      expr_len = realloc(expr_len, cap * sizeof *expr_len);
    }
    exprs[n_exprs] = strndup(line, got);
    expr_len[n_exprs++] = got;
  }
  fclose(f);
  if (n_exprs == 0) { fprintf(stderr, "%s: no expressions\n", path); exit(2); }
}

/* Sends `count` more requests on `c` in one write, stamping each. */
static void send_requests(struct conn *c, int count, int pipeline) {
  static char buf[1 << 20];
  size_t used = 0;
  double t = now();
  for (int i = 0; i < count; i++) {
    size_t k = c->next;
    c->next = (k + 1) % n_exprs;
    memcpy(buf + used, exprs[k], expr_len[k]);
    used += expr_len[k];
    c->sent[(c->head + c->in_flight) % pipeline] = t;
    c->in_flight++;
  }
  for (size_t off = 0; off < used;) {
    ssize_t w = write(c->fd, buf + off, used - off);
    if (w < 0) { perror("write"); exit(3); }
    off += w;
  }
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s HOST PORT CONNS PIPELINE SECONDS [WARMUP [EXPRS_FILE]]\n", argv[0]);
    return 2;
  }
  int n = atoi(argv[3]), pipeline = atoi(argv[4]);
  double seconds = atof(argv[5]), warmup = argc > 6 ? atof(argv[6]) : 1;
  if (n < 1 || n > MAX_CONNS || pipeline < 1 || pipeline > MAX_PIPELINE) return 2;
  load_exprs(argc > 7 ? argv[7] : NULL);

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
  inet_pton(AF_INET, argv[1], &addr.sin_addr);
  int ep = epoll_create1(0);
  static struct conn conns[MAX_CONNS];
  for (int i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("connect"); return 3; }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conns[i].fd = fd;
    conns[i].next = (size_t)i * 7 % n_exprs;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    send_requests(&conns[i], pipeline, pipeline);
  }

  double start = now(), measure_from = start + warmup, end = measure_from + seconds;
  static char rbuf[65536];
  struct epoll_event events[MAX_CONNS];
  for (double t = start; t < end;) {
    int ready = epoll_wait(ep, events, MAX_CONNS, 100);
    for (int e = 0; e < ready; e++) {
      struct conn *c = events[e].data.ptr;
      ssize_t got = read(c->fd, rbuf, sizeof rbuf);
      if (got <= 0) { fprintf(stderr, "connection lost\n"); return 3; }
      t = now();
      int replies = 0;
      for (char *p = rbuf; (p = memchr(p, '\n', rbuf + got - p)); p++) {
        double sent = c->sent[c->head];
        c->head = (c->head + 1) % pipeline;
        c->in_flight--;
        replies++;
        if (sent >= measure_from && t < end) {
          long us = (long)((t - sent) * 1e6);
          hist[us > HIST_US ? HIST_US : us]++;
          counted++;
        }
      }
      if (replies) send_requests(c, replies, pipeline);
    }
    t = now();
  }

  long long seen = 0;
  long p50 = -1, p99 = -1;
  for (long us = 0; us <= HIST_US; us++) {
    seen += hist[us];
    if (p50 < 0 && seen * 100 >= counted * 50) p50 = us;
    if (p99 < 0 && seen * 100 >= counted * 99) p99 = us;
  }
  printf("conns %d pipeline %d seconds %.1f replies %lld rate %.0f req/s p50 %ld us p99 %ld us\n",
         n, pipeline, seconds, counted, counted / seconds, p50, p99);
  for (int i = 0; i < n; i++) close(conns[i].fd);
  return 0;
}

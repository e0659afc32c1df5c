/**
 * The power-loss shim: an LD_PRELOAD library for redis-server that holds what Redis write()s to
 * its AOF inside the process until Redis fsyncs (fdatasync) that file. A kill -9 then drops
 * exactly what a machine crash would: the writes not yet synced. Without it a kill -9 is only a
 * process crash, and the kernel keeps every write Redis made before it replied.
 *
 * Built with the system's C compiler into the stack dir, only when the stack is started with
 * --power-loss-aof (DEVSTACK_POWER_LOSS_AOF=true). Only the AOF's append files are held (the
 * `*.incr.aof` of Redis 7's multi-part AOF, or a single `appendonly.aof`); a close or a held
 * buffer past 64 MB (as the kernel's writeback would) lets the bytes through.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The library's file name; lib/chaos/power-loss.ts looks for it in a node's memory map. */
export const SHIM_LIBRARY = "power-loss-shim.so";

const SOURCE = String.raw`
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 65536
#define WRITEBACK_LIMIT (64u << 20)

typedef struct { char *data; size_t len, cap; } held_t;

static held_t *held[MAX_FD];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* One flush at a time, so what leaves the process keeps the order Redis wrote it in. */
static pthread_mutex_t flushing = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_close)(int);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);

__attribute__((constructor)) static void init(void) {
  real_write = dlsym(RTLD_NEXT, "write");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  real_close = dlsym(RTLD_NEXT, "close");
  real_open = dlsym(RTLD_NEXT, "open");
  real_open64 = dlsym(RTLD_NEXT, "open64");
  real_openat = dlsym(RTLD_NEXT, "openat");
}

static int is_append_file(const char *p) {
  const char *base = strrchr(p, '/');
  base = base ? base + 1 : p;
  size_t n = strlen(base);
  if (n >= 9 && strcmp(base + n - 9, ".incr.aof") == 0) return 1;
  return strcmp(base, "appendonly.aof") == 0;
}

static void track(int fd, const char *p, int flags) {
  if (fd < 0 || fd >= MAX_FD || !(flags & (O_WRONLY | O_RDWR)) || !is_append_file(p)) return;
  held_t *h = calloc(1, sizeof *h);
  if (!h) return;
  pthread_mutex_lock(&lock);
  held[fd] = h;
  pthread_mutex_unlock(&lock);
}

/* Takes the held bytes out under the lock, then writes them through outside it. */
static int flush_fd(int fd) {
  if (fd < 0 || fd >= MAX_FD) return 0;
  pthread_mutex_lock(&flushing);
  pthread_mutex_lock(&lock);
  held_t *h = held[fd];
  char *data = NULL;
  size_t len = 0;
  if (h && h->len) {
    data = h->data;
    len = h->len;
    h->data = NULL;
    h->len = h->cap = 0;
  }
  pthread_mutex_unlock(&lock);
  int rc = 0;
  size_t off = 0;
  while (off < len) {
    ssize_t w = real_write(fd, data + off, len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      rc = -1;
      break;
    }
    off += (size_t)w;
  }
  free(data);
  pthread_mutex_unlock(&flushing);
  return rc;
}

ssize_t write(int fd, const void *buf, size_t n) {
  if (fd >= 0 && fd < MAX_FD) {
    pthread_mutex_lock(&lock);
    held_t *h = held[fd];
    if (h) {
      if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap : 65536;
        while (cap < h->len + n) cap *= 2;
        char *d = realloc(h->data, cap);
        if (!d) {
          pthread_mutex_unlock(&lock);
          errno = ENOMEM;
          return -1;
        }
        h->data = d;
        h->cap = cap;
      }
      memcpy(h->data + h->len, buf, n);
      h->len += n;
      int over = h->len > WRITEBACK_LIMIT;
      pthread_mutex_unlock(&lock);
      if (over) flush_fd(fd);
      return (ssize_t)n;
    }
    pthread_mutex_unlock(&lock);
  }
  return real_write(fd, buf, n);
}

int fdatasync(int fd) {
  if (flush_fd(fd) < 0) return -1;
  return real_fdatasync(fd);
}

int fsync(int fd) {
  if (flush_fd(fd) < 0) return -1;
  return real_fsync(fd);
}

int close(int fd) {
  if (fd >= 0 && fd < MAX_FD) {
    flush_fd(fd);
    pthread_mutex_lock(&lock);
    held_t *h = held[fd];
    held[fd] = NULL;
    pthread_mutex_unlock(&lock);
    if (h) {
      free(h->data);
      free(h);
    }
  }
  return real_close(fd);
}

static mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *p, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  int fd = real_open(p, flags, mode);
  track(fd, p, flags);
  return fd;
}

int open64(const char *p, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  int fd = (real_open64 ? real_open64 : real_open)(p, flags, mode);
  track(fd, p, flags);
  return fd;
}

int openat(int dirfd, const char *p, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  int fd = real_openat(dirfd, p, flags, mode);
  track(fd, p, flags);
  return fd;
}
`;

/** Compiles the shim into `stackDir` (once per source version) and returns the library's path. */
export function buildPowerLossShim(stackDir: string, compiler = process.env.CC || "cc"): string {
  const hash = crypto.createHash("sha256").update(SOURCE).digest("hex").slice(0, 12);
  const dir = path.join(stackDir, `power-loss-shim-${hash}`);
  const lib = path.join(dir, SHIM_LIBRARY);
  if (fs.existsSync(lib)) return lib;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const src = path.join(dir, "power-loss-shim.c");
  fs.writeFileSync(src, SOURCE);
  try {
    execFileSync(compiler, ["-shared", "-fPIC", "-O2", "-Wall", "-o", `${lib}.tmp`, src, "-ldl", "-lpthread"], {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`--power-loss-aof needs a C compiler (apt-get install gcc): ${e.stderr?.toString().trim() || e.message}`);
  }
  fs.renameSync(`${lib}.tmp`, lib);
  return lib;
}

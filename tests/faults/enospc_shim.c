/* An LD_PRELOAD shim that makes a disk look full for some files (tests/faults/full_disk_test.sh).
 *
 * Files whose path (as given to open/openat/creat/fopen) contains GEOSIM_ENOSPC_MATCH are
 * tracked by file descriptor. Once GEOSIM_ENOSPC_AFTER bytes (default 0) have been written to
 * tracked files in all, every further write, pwrite, writev, pwritev, fwrite, fallocate and
 * posix_fallocate on a tracked descriptor fails with ENOSPC (a write that crosses the limit
 * writes the bytes that fit, as a full disk does). Descriptors are forgotten on close/fclose.
 * Without GEOSIM_ENOSPC_MATCH the shim does nothing.
 *
 * Built by CMake without sanitizers (it is preloaded into python3 too); with an ASan geosim,
 * run with ASAN_OPTIONS=verify_asan_link_order=0. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FD 65536

static atomic_uchar tracked[MAX_FD];
static atomic_llong written;
static long long limit = -1; /* -1: not read yet */
static const char* match;

static void init(void) {
  if (limit != -1) return;
  match = getenv("GEOSIM_ENOSPC_MATCH");
  if (match && !*match) match = NULL;
  const char* after = getenv("GEOSIM_ENOSPC_AFTER");
  limit = after ? atoll(after) : 0;
}

#define REAL(ret, name, ...)                                            \
  static ret (*real_##name)(__VA_ARGS__);                               \
  if (!real_##name) *(void**)(&real_##name) = dlsym(RTLD_NEXT, #name);

static void track(int fd, const char* path) {
  init();
  if (fd >= 0 && fd < MAX_FD) atomic_store(&tracked[fd], match && path && strstr(path, match));
}
static int is_tracked(int fd) { return fd >= 0 && fd < MAX_FD && atomic_load(&tracked[fd]); }

/* How many of `count` bytes may still be written to a tracked file (0: the disk is full). */
static size_t allowance(size_t count) {
  long long before = atomic_fetch_add(&written, (long long)count);
  if (before >= limit) return 0;
  long long left = limit - before;
  return (long long)count <= left ? count : (size_t)left;
}

static int open_mode_needed(int flags) { return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE; }

int open(const char* path, int flags, ...) {
  REAL(int, open, const char*, int, ...)
  mode_t mode = 0;
  if (open_mode_needed(flags)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
  int fd = real_open(path, flags, mode);
  track(fd, path);
  return fd;
}
int open64(const char* path, int flags, ...) {
  REAL(int, open64, const char*, int, ...)
  mode_t mode = 0;
  if (open_mode_needed(flags)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
  int fd = real_open64(path, flags, mode);
  track(fd, path);
  return fd;
}
int openat(int dirfd, const char* path, int flags, ...) {
  REAL(int, openat, int, const char*, int, ...)
  mode_t mode = 0;
  if (open_mode_needed(flags)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
  int fd = real_openat(dirfd, path, flags, mode);
  track(fd, path);
  return fd;
}
int openat64(int dirfd, const char* path, int flags, ...) {
  REAL(int, openat64, int, const char*, int, ...)
  mode_t mode = 0;
  if (open_mode_needed(flags)) { va_list ap; va_start(ap, flags); mode = va_arg(ap, mode_t); va_end(ap); }
  int fd = real_openat64(dirfd, path, flags, mode);
  track(fd, path);
  return fd;
}
/* glibc's fortified entry points (_FORTIFY_SOURCE builds call these for two-argument opens). */
int __open_2(const char* path, int flags) {
  REAL(int, __open_2, const char*, int)
  int fd = real___open_2(path, flags);
  track(fd, path);
  return fd;
}
int __open64_2(const char* path, int flags) {
  REAL(int, __open64_2, const char*, int)
  int fd = real___open64_2(path, flags);
  track(fd, path);
  return fd;
}
int __openat_2(int dirfd, const char* path, int flags) {
  REAL(int, __openat_2, int, const char*, int)
  int fd = real___openat_2(dirfd, path, flags);
  track(fd, path);
  return fd;
}
int __openat64_2(int dirfd, const char* path, int flags) {
  REAL(int, __openat64_2, int, const char*, int)
  int fd = real___openat64_2(dirfd, path, flags);
  track(fd, path);
  return fd;
}
int creat(const char* path, mode_t mode) {
  REAL(int, creat, const char*, mode_t)
  int fd = real_creat(path, mode);
  track(fd, path);
  return fd;
}
int creat64(const char* path, mode_t mode) {
  REAL(int, creat64, const char*, mode_t)
  int fd = real_creat64(path, mode);
  track(fd, path);
  return fd;
}
FILE* fopen(const char* path, const char* how) {
  REAL(FILE*, fopen, const char*, const char*)
  FILE* f = real_fopen(path, how);
  if (f) track(fileno(f), path);
  return f;
}
FILE* fopen64(const char* path, const char* how) {
  REAL(FILE*, fopen64, const char*, const char*)
  FILE* f = real_fopen64(path, how);
  if (f) track(fileno(f), path);
  return f;
}
int close(int fd) {
  REAL(int, close, int)
  if (fd >= 0 && fd < MAX_FD) atomic_store(&tracked[fd], 0);
  return real_close(fd);
}
int fclose(FILE* f) {
  REAL(int, fclose, FILE*)
  if (f) {
    int fd = fileno(f);
    if (fd >= 0 && fd < MAX_FD) atomic_store(&tracked[fd], 0);
  }
  return real_fclose(f);
}

ssize_t write(int fd, const void* buf, size_t count) {
  REAL(ssize_t, write, int, const void*, size_t)
  if (is_tracked(fd) && count > 0) {
    size_t n = allowance(count);
    if (n == 0) { errno = ENOSPC; return -1; }
    count = n;
  }
  return real_write(fd, buf, count);
}
ssize_t pwrite(int fd, const void* buf, size_t count, off_t off) {
  REAL(ssize_t, pwrite, int, const void*, size_t, off_t)
  if (is_tracked(fd) && count > 0) {
    size_t n = allowance(count);
    if (n == 0) { errno = ENOSPC; return -1; }
    count = n;
  }
  return real_pwrite(fd, buf, count, off);
}
ssize_t pwrite64(int fd, const void* buf, size_t count, off_t off) {
  REAL(ssize_t, pwrite64, int, const void*, size_t, off_t)
  if (is_tracked(fd) && count > 0) {
    size_t n = allowance(count);
    if (n == 0) { errno = ENOSPC; return -1; }
    count = n;
  }
  return real_pwrite64(fd, buf, count, off);
}
static ssize_t vec_total(const struct iovec* iov, int n) {
  ssize_t t = 0;
  for (int i = 0; i < n; ++i) t += (ssize_t)iov[i].iov_len;
  return t;
}
ssize_t writev(int fd, const struct iovec* iov, int n) {
  REAL(ssize_t, writev, int, const struct iovec*, int)
  if (is_tracked(fd)) {
    ssize_t total = vec_total(iov, n);
    if (total > 0 && allowance((size_t)total) < (size_t)total) { errno = ENOSPC; return -1; }
  }
  return real_writev(fd, iov, n);
}
ssize_t pwritev(int fd, const struct iovec* iov, int n, off_t off) {
  REAL(ssize_t, pwritev, int, const struct iovec*, int, off_t)
  if (is_tracked(fd)) {
    ssize_t total = vec_total(iov, n);
    if (total > 0 && allowance((size_t)total) < (size_t)total) { errno = ENOSPC; return -1; }
  }
  return real_pwritev(fd, iov, n, off);
}
size_t fwrite(const void* buf, size_t size, size_t n, FILE* f) {
  REAL(size_t, fwrite, const void*, size_t, size_t, FILE*)
  /* fwrite's FILE* is declared nonnull: no NULL check (GCC: -Wnonnull-compare). */
  if (is_tracked(fileno(f)) && size * n > 0) {
    size_t fit = allowance(size * n);
    if (fit < size * n) {
      size_t whole = fit / size;
      size_t done = whole ? real_fwrite(buf, size, whole, f) : 0;
      errno = ENOSPC;
      return done;
    }
  }
  return real_fwrite(buf, size, n, f);
}
int fallocate(int fd, int mode, off_t off, off_t len) {
  REAL(int, fallocate, int, int, off_t, off_t)
  if (is_tracked(fd) && len > 0 && allowance((size_t)len) < (size_t)len) { errno = ENOSPC; return -1; }
  return real_fallocate(fd, mode, off, len);
}
int posix_fallocate(int fd, off_t off, off_t len) {
  REAL(int, posix_fallocate, int, off_t, off_t)
  if (is_tracked(fd) && len > 0 && allowance((size_t)len) < (size_t)len) return ENOSPC;
  return real_posix_fallocate(fd, off, len);
}

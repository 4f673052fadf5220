"""Shared helpers of the fault tests (tests/faults): run a command in a child process with a
time and memory limit, classify how it ended, and compare HDF5 files by their data.

A job is run in a forked child: geosim through exec, the analysis package by calling its
main() in the fork (the parent has imported it already, which saves Python's 1-2 s start per
call: the behaviour is the same as `python3 -m analysis`, since main() is what `-m` calls and an
uncaught exception prints its traceback and exits 1, as in the interpreter)."""

import os
import re
import resource
import select
import signal
import sys
import time
import traceback

WARNING = re.compile(r": warning at ")
SUMMARY = re.compile(r"^geosim: \d+ errors?; nothing was written$")


class Job:
    """One command: argv (a list) run in cwd, or a Python callable `pyfunc(argv)` returning an
    exit status (run in a fork)."""

    def __init__(self, argv, cwd, label, pyfunc=None, env=None, timeout=30.0,
                 mem_bytes=2_000_000_000, meta=None):
        self.argv, self.cwd, self.label, self.pyfunc = argv, cwd, label, pyfunc
        self.env, self.timeout, self.mem_bytes = env, timeout, mem_bytes
        self.meta = meta or {}
        self.pid = None
        self.rc = None          # exit status, or None
        self.signal = None      # the signal that ended it, or None
        self.timed_out = False
        self.seconds = None
        self.stdout = b""
        self.stderr = b""


def _child(job, out_fd, err_fd):
    try:
        os.chdir(job.cwd)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        if job.mem_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (job.mem_bytes, job.mem_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if job.pyfunc is None:
            env = dict(os.environ)
            if job.env:
                env.update(job.env)
            os.execve(job.argv[0], job.argv, env)
        # Python job: behave as the interpreter does for `python3 -m analysis`.
        sys.stdout = os.fdopen(1, "w", closefd=False)
        sys.stderr = os.fdopen(2, "w", closefd=False)
        try:
            code = job.pyfunc(job.argv)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if e.code is not None and not isinstance(e.code, int):
                print(e.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 0)
    except BaseException:
        try:
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(127)


def run_jobs(jobs, parallel=2, on_done=None):
    """Run the jobs, `parallel` at a time, each in a fork; fills rc/signal/timed_out/output."""
    pending = list(jobs)
    running = {}
    while pending or running:
        while pending and len(running) < parallel:
            job = pending.pop(0)
            out_r, out_w = os.pipe()
            err_r, err_w = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                os.close(out_r)
                os.close(err_r)
                _child(job, out_w, err_w)
            os.close(out_w)
            os.close(err_w)
            job.pid = pid
            job.t0 = time.monotonic()
            job.fds = {out_r: "stdout", err_r: "stderr"}
            running[pid] = job
        # Read what is available (so a chatty child never blocks on a full pipe).
        fds = {fd: job for job in running.values() for fd in job.fds}
        if fds:
            ready, _, _ = select.select(list(fds), [], [], 0.02)
            for fd in ready:
                job = fds[fd]
                data = os.read(fd, 65536)
                if not data:
                    os.close(fd)
                    del job.fds[fd]
                    continue
                name = job.fds[fd]
                if len(getattr(job, name)) < 4_000_000:  # a runaway writer is cut
                    setattr(job, name, getattr(job, name) + data)
        for pid, job in list(running.items()):
            if not job.timed_out and time.monotonic() - job.t0 > job.timeout:
                job.timed_out = True
                os.kill(pid, signal.SIGKILL)
            if job.fds:
                continue  # wait for EOF on its pipes first
            wpid, status = os.waitpid(pid, os.WNOHANG if not job.timed_out else 0)
            if wpid == 0:
                continue
            job.seconds = time.monotonic() - job.t0
            if os.WIFSIGNALED(status):
                job.signal = os.WTERMSIG(status)
            else:
                job.rc = os.WEXITSTATUS(status)
            del running[pid]
            if on_done:
                on_done(job)
        # A child that closed its pipes (or a grandchild holding them) past its time.
        for pid, job in list(running.items()):
            if job.timed_out and job.fds:
                for fd in list(job.fds):
                    os.close(fd)
                job.fds = {}
    return jobs


def error_lines(stderr):
    """The lines of stderr that are errors: warnings about the scenario (': warning at ') and
    geosim's summary line ('geosim: N errors; nothing was written') left out."""
    text = stderr.decode("utf-8", "replace")
    return [ln for ln in text.splitlines()
            if ln.strip() and not WARNING.search(ln) and not SUMMARY.match(ln)]


def snapshot(root):
    """{relative path: (size, mtime_ns)} of every file and folder under root."""
    out = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue
            out[os.path.relpath(p, root)] = (st.st_size if not os.path.isdir(p) else -1,
                                             st.st_mtime_ns)
    return out


def tmp_leftovers(root):
    """Paths under root whose name holds '.tmp' (a temp file left behind)."""
    found = []
    for d, dirs, files in os.walk(root):
        found += [os.path.join(d, n) for n in dirs + files if ".tmp" in n]
    return found

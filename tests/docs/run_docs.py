#!/usr/bin/python3
"""Run the command blocks of geosim's documentation (ctest `docs.commands`).

The documents are README.md, docs/*.md, analysis/README.md and scenarios/**/README.md. Each is
run in a copy of the source tree (its git files), from the copy's root, with the build's bin/
first on PATH, as one bash session in document order: state (the files in out/) carries from
block to block within a document. Every document starts without out/, so it creates what it
reads; after it, nothing outside out/ may have been created, changed or removed.

What a fenced block is, by its info string (tests/README.md, "Docs that run"):

  console        the lines starting with `$ ` are commands (a line ending in `\\` continues on
                 the next); the other lines are sample output, not compared. Each command must
                 exit 0.
  sh, bash       run whole, in a subshell with `set -e`: every command must succeed.
  python         run with /usr/bin/python3 from the root; must exit 0.
  yaml, python   whose first line is a comment `# out/PATH`: written to that file, not run.
  yaml           otherwise a fragment: not run.
  text           a usage synopsis, sample output, a formula, a listing: not run.
  (none)         refused: every block says what it is. So is an indented code block.
  other          refused unless marked skip.

Markers, an HTML comment on the line(s) right before a block's opening fence:

  <!-- docs-test: skip REASON -->      not run (REASON is required)
  <!-- docs-test: exit N [N...] -->    the block's commands exit with these statuses, one per
                                       command in order (a console block's `$ ` lines; an sh
                                       or python block is one command)
  <!-- docs-test: needs NAME -->       run only if NAME is there: `mpi` is geosim built with
                                       MPI (--with-mpi), any other NAME a program on PATH;
                                       else skipped with the reason "needs NAME"

Standard library only; run by /usr/bin/python3.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PYTHON = "/usr/bin/python3"
RUN_INFO = {"console", "sh", "bash", "python", "yaml", "text"}
SHELL_INFO = {"sh", "bash"}
MARKER_RE = re.compile(r"^\s*<!--\s*docs-test:\s*(.*?)\s*-->\s*$")
FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
OUT_FILE_RE = re.compile(r"^#\s*(out/\S+)\s*$")
LIST_ITEM_RE = re.compile(r"^\s*([-*+]|\d+[.)])\s")
TAIL_LINES = 40


@dataclass
class Unit:
    """One thing the session does: a command, a script, or a file written."""
    line: int               # 1-based line in the document
    kind: str               # "shell" (a command), "script" (sh), "python" or "file"
    text: str               # the command, script or file content
    path: str = ""          # for "file": where it goes
    expect: int = 0


@dataclass
class Block:
    line: int               # the opening fence's line
    info: str
    body: list
    markers: list = field(default_factory=list)   # (line, text)


@dataclass
class Document:
    path: str
    units: list = field(default_factory=list)
    skipped: list = field(default_factory=list)   # (line, reason)
    errors: list = field(default_factory=list)    # (line, message)
    blocks: int = 0
    seconds: dict = field(default_factory=dict)   # unit index -> seconds it took


def doc_files(root):
    """The documents, in the order they run."""
    files = [root / "README.md"]
    files += sorted((root / "docs").glob("*.md"))
    files.append(root / "analysis" / "README.md")
    files += sorted((root / "scenarios").glob("**/README.md"))
    return [f for f in files if f.is_file()]


def parse_blocks(lines, errors):
    """Fenced blocks with their markers; indented code blocks are reported as errors."""
    blocks = []
    pending = []            # markers waiting for their block
    prev_blank = True
    last_text = ""          # the last non-blank line outside fences
    i = 0
    while i < len(lines):
        line = lines[i]
        m = FENCE_RE.match(line)
        if m:
            indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
            close = re.compile(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
            j = i + 1
            while j < len(lines) and not close.match(lines[j]):
                j += 1
            if j == len(lines):
                errors.append((i + 1, "a fence that is never closed"))
            body = [b[indent:] if b[:indent].strip() == "" else b.lstrip() for b in lines[i + 1:j]]
            blocks.append(Block(i + 1, info, body, pending))
            pending = []
            prev_blank, last_text = False, line
            i = j + 1
            continue
        mk = MARKER_RE.match(line)
        if mk:
            pending.append((i + 1, mk.group(1)))
        else:
            if pending and line.strip():
                for ln, _ in pending:
                    errors.append((ln, "a docs-test marker must come right before a fenced block"))
                pending = []
            indented = len(line) - len(line.lstrip(" ")) >= 4 and line.strip()
            if (indented and prev_blank and last_text and not last_text[0].isspace()
                    and not LIST_ITEM_RE.match(last_text)):
                errors.append((i + 1, "an indented code block: fence it with an info string "
                                      "(console, sh, text, ...)"))
            if line.strip():
                last_text = line
        prev_blank = not line.strip()
        i += 1
    for ln, _ in pending:
        errors.append((ln, "a docs-test marker must come right before a fenced block"))
    return blocks


def console_commands(block, errors):
    """The `$ ` commands of a console block, with their line numbers."""
    commands = []
    k = 0
    while k < len(block.body):
        text = block.body[k]
        if text.startswith("$ ") or text == "$":
            start = k
            cmd = [text[2:]]
            while cmd[-1].endswith("\\") and k + 1 < len(block.body):
                k += 1
                cmd.append(block.body[k])
            commands.append((block.line + 1 + start, "\n".join(cmd)))
        k += 1
    if not commands:
        errors.append((block.line, "a console block without a `$ ` command: use ```text"))
    return commands


def parse_document(root, path, features):
    rel = str(path.relative_to(root))
    doc = Document(rel)
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks = parse_blocks(lines, doc.errors)
    doc.blocks = len(blocks)
    for b in blocks:
        lang = b.info.split()[0] if b.info else ""
        skip, statuses = None, None
        for ln, text in b.markers:
            words = text.split()
            if not words:
                doc.errors.append((ln, "an empty docs-test marker"))
            elif words[0] == "skip":
                reason = text[len("skip"):].strip()
                if not reason:
                    doc.errors.append((ln, "`docs-test: skip` needs a reason"))
                skip = reason or "(no reason)"
            elif words[0] == "exit":
                try:
                    statuses = [int(w) for w in words[1:]]
                except ValueError:
                    statuses = []
                if not statuses or any(s < 0 or s > 255 for s in statuses):
                    doc.errors.append((ln, "`docs-test: exit` takes exit statuses (0..255)"))
                    statuses = None
            elif words[0] == "needs" and len(words) == 2:
                name = words[1]
                have = name in features if name == "mpi" else shutil.which(name) is not None
                if not have and skip is None:
                    skip = f"needs {name}"
            else:
                doc.errors.append((ln, f"unknown docs-test marker '{text}' "
                                       "(skip REASON, exit N..., needs NAME)"))
        if not lang:
            doc.errors.append((b.line, "a fence without an info string: say what the block is "
                                       "(console, sh, python, yaml, text, ...)"))
            continue
        if skip is not None:
            doc.skipped.append((b.line, skip))
            continue
        if lang not in RUN_INFO and lang not in SHELL_INFO:
            doc.errors.append((b.line, f"a ```{lang} block cannot be run: mark it "
                                       "<!-- docs-test: skip REASON --> or use ```text"))
            continue
        out_file = OUT_FILE_RE.match(b.body[0]) if b.body else None
        if lang in ("yaml", "python") and out_file:
            target = os.path.normpath(out_file.group(1))
            if not target.startswith("out/") or ".." in target.split("/"):
                doc.errors.append((b.line + 1, f"'{out_file.group(1)}' is not a path inside out/"))
                continue
            units = [Unit(b.line + 1, "file", "\n".join(b.body) + "\n", path=target)]
        elif lang in ("yaml", "text"):
            continue
        elif lang == "console":
            units = [Unit(ln, "shell", cmd) for ln, cmd in console_commands(b, doc.errors)]
        elif lang in SHELL_INFO:
            units = [Unit(b.line + 1, "script", "\n".join(b.body))]
        else:
            units = [Unit(b.line + 1, "python", "\n".join(b.body) + "\n")]
        if statuses is not None:
            runnable = [u for u in units if u.kind != "file"]
            if len(statuses) != len(runnable):
                doc.errors.append((b.line, f"`docs-test: exit` gives {len(statuses)} statuses for "
                                           f"{len(runnable)} commands"))
                continue
            for u, s in zip(runnable, statuses):
                u.expect = s
        doc.units.extend(units)
    return doc


def copy_tree(src, dest):
    """The source tree's git files (tracked, and new ones git does not ignore) into dest."""
    listing = subprocess.run(["git", "-C", str(src), "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], check=True, capture_output=True).stdout
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in sorted(set(listing.decode().split("\0")) - {""}):
        s = src / name
        if not os.path.lexists(s) or s.is_dir():
            continue            # deleted in the working tree, or a submodule
        d = dest / name
        d.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(s, d, follow_symlinks=False)


def snapshot(tree):
    """Every path outside out/ with its size and mtime (directories too)."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(tree):
        rel_dir = os.path.relpath(dirpath, tree)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d != "out"]
            filenames = [f for f in filenames if f != "out"]
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            state[os.path.normpath(os.path.join(rel_dir, name))] = (
                "d" if name in dirnames else st.st_size, st.st_mtime_ns)
    return state


def compare_snapshots(before, after):
    changes = []
    for p in sorted(set(before) | set(after)):
        if p not in after:
            changes.append(f"removed {p}")
        elif p not in before:
            changes.append(f"created {p}")
        elif before[p] != after[p] and before[p][0] != "d":
            changes.append(f"changed {p}")
    return changes


def session_script(doc, scratch, status_file):
    """One bash script that runs the document's units in order and stops at the first unexpected
    exit status. Each unit's output goes to scratch/N.log; its status to status_file."""
    parts = [
        "__docs_end() {",
        f"  echo \"$1 $2 $__docs_t0 $EPOCHREALTIME\" >> '{status_file}'",
        "  [ \"$2\" = \"$3\" ] || exit 0",
        "  __docs_t0=$EPOCHREALTIME",
        "  return \"$2\"   # $? of the next command is this one's status, as in a terminal",
        "}",
        "__docs_t0=$EPOCHREALTIME",
    ]
    for n, u in enumerate(doc.units):
        log = scratch / f"{n}.log"
        parts.append(f"# {doc.path}:{u.line}")
        if u.kind == "file":
            src = scratch / f"{n}.content"
            src.write_text(u.text, encoding="utf-8")
            code = f"mkdir -p '{os.path.dirname(u.path)}' && cp '{src}' '{u.path}'"
        elif u.kind == "python":
            src = scratch / f"{n}.py"
            src.write_text(u.text, encoding="utf-8")
            code = f"{PYTHON} - < '{src}'"   # from stdin: the root is on sys.path, as typed
        elif u.kind == "script":
            code = "(\nset -e\n" + u.text + "\n)"
        else:
            code = u.text
        stdin = "" if u.kind == "python" else " < /dev/null"
        parts.append("{\n" + code + "\n}" + stdin + " > '" + str(log) + "' 2>&1")
        parts.append(f"__docs_end {n} $? {u.expect}")
    return "\n".join(parts) + "\n"


def tail(path, n=TAIL_LINES):
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "  (no output)"
    shown = lines[-n:]
    head = [f"  ... ({len(lines) - n} lines before)"] if len(lines) > n else []
    return "\n".join(head + ["  | " + x for x in shown]) if shown else "  (no output)"


def first_line(text):
    lines = text.splitlines() or [""]
    return lines[0] + (" ..." if len(lines) > 1 else "")


def run_document(doc, tree, scratch_root, env, timeout):
    """Runs one document; returns (units run, failure messages)."""
    scratch = Path(tempfile.mkdtemp(prefix="doc_", dir=scratch_root))
    status_file = scratch / "status"
    script = scratch / "session.sh"
    script.write_text(session_script(doc, scratch, status_file), encoding="utf-8")
    out_dir = tree / "out"
    if out_dir.exists() or out_dir.is_symlink():
        shutil.rmtree(out_dir)
    before = snapshot(tree)
    failures = []
    with open(scratch / "session.log", "w") as session_log:
        proc = subprocess.Popen(["bash", "--noprofile", "--norc", str(script)], cwd=tree,
                                env=env, stdin=subprocess.DEVNULL, stdout=session_log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)   # a timeout, or what a block left running
            except ProcessLookupError:
                pass
            proc.wait()
    done, seconds = {}, {}
    if status_file.exists():
        for rec in status_file.read_text().split("\n"):
            if rec.strip():
                n, s, t0, t1 = rec.split()
                done[int(n)] = int(s)
                seconds[int(n)] = float(t1) - float(t0)
    ran = len(done)
    for n, u in enumerate(doc.units):
        what = f"{doc.path}:{u.line}: " + (f"(writes {u.path})" if u.kind == "file" else
                                           first_line(u.text))
        if n in done:
            if done[n] != u.expect:
                failures.append(f"{what}\n  exit status {done[n]}, expected {u.expect}\n"
                                + tail(scratch / f"{n}.log"))
                break
            continue
        if timed_out:
            failures.append(f"{what}\n  still running after the document's {timeout} s\n"
                            + tail(scratch / f"{n}.log"))
        else:
            failures.append(f"{what}\n  the session ended here (`exit` in a block?)\n"
                            + tail(scratch / f"{n}.log") + "\n  session:\n"
                            + tail(scratch / "session.log"))
        break
    changes = compare_snapshots(before, snapshot(tree))
    if changes:
        shown = changes[:20] + ([f"... and {len(changes) - 20} more"] if len(changes) > 20 else [])
        failures.append(f"{doc.path}: wrote outside out/:\n" + "\n".join("  " + c for c in shown))
    doc.seconds = seconds
    return ran, failures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, default=Path(__file__).resolve().parents[2],
                    help="the source tree (default: this file's repository)")
    ap.add_argument("--bin", type=Path, help="the build's bin/ folder (put first on PATH)")
    ap.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    ap.add_argument("--with-mpi", action="store_true", help="geosim is built with MPI")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per document")
    ap.add_argument("--list", action="store_true", help="list the blocks and what is done with them")
    ap.add_argument("--times", type=int, default=0, metavar="N",
                    help="print the N slowest commands")
    ap.add_argument("docs", nargs="*", help="only these documents (paths relative to the source)")
    args = ap.parse_args(argv)
    root = args.source.resolve()
    features = {"mpi"} if args.with_mpi else set()
    docs = [parse_document(root, p, features) for p in doc_files(root)]
    if args.docs:
        wanted = {os.path.normpath(d) for d in args.docs}
        docs = [d for d in docs if d.path in wanted]
        if len(docs) != len(wanted):
            print(f"run_docs: no such document among {sorted(wanted)}", file=sys.stderr)
            return 2
    if args.list:
        for d in docs:
            for u in d.units:
                what = f"writes {u.path}" if u.kind == "file" else first_line(u.text)
                print(f"{d.path}:{u.line}: {u.kind} [exit {u.expect}] {what}")
            for ln, reason in d.skipped:
                print(f"{d.path}:{ln}: skipped: {reason}")
            for ln, msg in d.errors:
                print(f"{d.path}:{ln}: error: {msg}")
        return 0

    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="geosim_docs_"))
    tree, scratch_root = work / "tree", work / "scratch"
    if scratch_root.exists():
        shutil.rmtree(scratch_root)
    scratch_root.mkdir(parents=True)
    copy_tree(root, tree)
    env = dict(os.environ)
    if args.bin:
        env["PATH"] = str(args.bin.resolve()) + os.pathsep + env.get("PATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"     # no __pycache__ in the tree
    env.pop("PYTHONPATH", None)
    print(f"run_docs: {len(docs)} documents, in {tree}; geosim is "
          f"{shutil.which('geosim', path=env['PATH']) or '(not on PATH)'}", flush=True)

    total_run = total_failed = 0
    skipped = []
    all_failures = []
    start = time.monotonic()
    for d in docs:
        skipped += [(d.path, ln, reason) for ln, reason in d.skipped]
        if d.errors:
            msgs = [f"{d.path}:{ln}: {msg}" for ln, msg in sorted(d.errors)]
            all_failures += msgs
            total_failed += len(msgs)
            print(f"{d.path}: not run: {len(msgs)} error(s) in its blocks", flush=True)
            continue
        t0 = time.monotonic()
        ran, failures = run_document(d, tree, scratch_root, env, args.timeout)
        runnable = len(d.units)
        total_run += ran
        total_failed += len(failures)
        all_failures += failures
        state = "ok" if not failures else "FAILED"
        print(f"{d.path}: {state}: {ran} of {runnable} commands run, {len(d.skipped)} blocks "
              f"skipped, in {time.monotonic() - t0:.1f} s", flush=True)
    if args.times:
        timed = sorted(((sec, d.path, d.units[n]) for d in docs for n, sec in d.seconds.items()),
                       key=lambda x: -x[0])
        print(f"\nthe {args.times} slowest commands:")
        for sec, path, u in timed[:args.times]:
            what = f"(writes {u.path})" if u.kind == "file" else first_line(u.text)
            print(f"  {sec:6.1f} s  {path}:{u.line}: {what[:100]}")
    for f in all_failures:
        print("\nFAIL " + f)
    if skipped:
        print("\nskipped:")
        for path, ln, reason in skipped:
            print(f"  {path}:{ln}: {reason}")
    print(f"\nrun_docs: {total_run} commands run, {len(skipped)} blocks skipped, "
          f"{total_failed} failed, in {time.monotonic() - start:.0f} s")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())

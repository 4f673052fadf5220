"""What the analysis package's command-line tests share: running `python3 -m analysis` in this
process, and checking a refusal (exit 2, one line on stderr, no traceback)."""

import contextlib
import io

import analysis.__main__


def cli(*args):
    """main() in this process (the command's code path): (exit status, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            rc = analysis.__main__.main([str(a) for a in args])
        except SystemExit as e:
            rc = e.code
    return rc, err.getvalue()


def one_line_exit_2(rc, err, *needles):
    """A refusal: exit status 2 and one line on stderr holding every needle."""
    assert rc == 2, (rc, err)
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    for n in needles:
        assert str(n) in lines[0], (n, lines[0])

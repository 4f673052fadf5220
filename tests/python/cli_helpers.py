"""What the analysis package's command-line tests share: the geosim program they write their
files with, running `python3 -m analysis` in this process, and checking a refusal (exit 2,
one line on stderr, no traceback)."""

import contextlib
import io
import os

import pytest

import analysis.__main__


# The geosim program (GEOSIM_BINARY, made absolute: the tests run it from temp folders), "" if
# unset; GEOSIM_MARKS skips a module without it and silences numpy's binary-ABI warning.
GEOSIM = os.path.abspath(os.environ["GEOSIM_BINARY"]) if os.environ.get("GEOSIM_BINARY") \
    else ""
GEOSIM_MARKS = [
    pytest.mark.skipif(not GEOSIM, reason="GEOSIM_BINARY (the geosim program) is not set"),
    pytest.mark.filterwarnings("ignore:numpy.ndarray size changed"),
]


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

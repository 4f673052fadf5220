# Shared by the CLI test scripts (sourced): counters and assertions.
# expect CODE DESCRIPTION -- COMMAND...: runs it, keeps stdout/stderr in out.txt/err.txt.
# contains FILE TEXT DESCRIPTION: the file holds the text.
# same_data A B: the two HDF5 files hold the same datasets, equal (NaN included).
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect() {
  local code=$1 what=$2
  shift 3
  "$@" >out.txt 2>err.txt
  local rc=$?
  if [ "$rc" -eq "$code" ]; then pass; else fail "$what: exit $rc, expected $code"; sed 's/^/  | /' err.txt | head -5; fi
}
contains() {
  if grep -qF -- "$2" "$1"; then pass; else fail "$3: '$2' not in $1"; sed 's/^/  | /' "$1" | head -5; fi
}
# same_data A B: every dataset equal, NaN included (the provenance attributes differ).
same_data() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
def datasets(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    return out
a, b = datasets(h5py.File(sys.argv[1], "r")), datasets(h5py.File(sys.argv[2], "r"))
assert sorted(a) == sorted(b), "different datasets"
for k in a:
    x, y = a[k][()], b[k][()]
    if x.dtype.kind == "f":
        assert np.array_equal(x, y, equal_nan=True), k
    else:
        assert np.array_equal(x, y), k
PY
}

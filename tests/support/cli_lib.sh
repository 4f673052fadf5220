# Shared by the CLI test scripts (sourced): counters and assertions.
# expect CODE DESCRIPTION -- COMMAND...: runs it, keeps stdout/stderr in out.txt/err.txt.
# contains FILE TEXT DESCRIPTION: the file holds the text.
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

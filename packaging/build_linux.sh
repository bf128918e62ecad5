#!/usr/bin/env bash
# Build the Linux one-folder app with PyInstaller and smoke-test it headless.
#
#   bash packaging/build_linux.sh          (PYTHON=/path/to/python to use another venv)
#
# Result: dist/gobuildgui/ (run dist/gobuildgui/gobuildgui). PyInstaller's caches live in
# build/ (git-ignored), so a second build is faster. The smoke test runs the bundle from an
# empty folder with a minimal environment, so it cannot lean on the source tree or the venv:
#   1. --version prints the package version;
#   2. `lint --format json` of resources/samples/corp-service exits 1 with parseable findings;
#   3. `gui --smoke-test` opens the main window offscreen, closes it and prints OK.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=${PYTHON:-}
if [[ -z $PY ]]; then
    if [[ -x $ROOT/.venv/bin/python ]]; then PY=$ROOT/.venv/bin/python; else PY=python3; fi
fi
DIST=$ROOT/dist
WORK=$ROOT/build/pyinstaller
APP=$DIST/gobuildgui/gobuildgui
export PYINSTALLER_CONFIG_DIR=$ROOT/build/pyinstaller-cache

say() { printf 'build_linux: %s\n' "$*"; }
fail() {
    printf 'build_linux: FAILED: %s\n' "$*" >&2
    exit 1
}

if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
    say "installing PyInstaller into $("$PY" -c 'import sys; print(sys.prefix)')"
    "$PY" -m pip install --quiet 'pyinstaller>=6.6'
fi
VERSION=$(PYTHONPATH=$ROOT "$PY" -c 'import gobuildgui; print(gobuildgui.__version__)')
say "PyInstaller $("$PY" -m PyInstaller --version), gobuildgui $VERSION"

start=$(date +%s.%N)
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/gobuildgui.spec"
seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
[[ -x $APP ]] || fail "$APP was not built"
say "built $APP in ${seconds}s; bundle size $(du -sh "$DIST/gobuildgui" | cut -f1)" \
    "($(find "$DIST/gobuildgui" -type f | wc -l) files)"

# --- smoke test ----------------------------------------------------------------------------
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
run_app() { # a clean environment: no venv, no PYTHONPATH, an empty HOME, offscreen Qt
    (cd "$SCRATCH" && env -i PATH=/usr/bin:/bin HOME="$SCRATCH" LANG=C.UTF-8 \
        QT_QPA_PLATFORM=offscreen timeout 120 "$APP" "$@")
}

out=$(run_app --version) || fail "--version exited $?"
[[ $out == "gobuildgui $VERSION" ]] || fail "--version printed '$out', expected 'gobuildgui $VERSION'"
say "ok: --version -> $out"

status=0
run_app lint --format json "$ROOT/resources/samples/corp-service" >"$SCRATCH/lint.json" || status=$?
((status == 1)) || fail "lint of the sample exited $status, expected 1 (findings)"
count=$("$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d; print(len(d))' \
    "$SCRATCH/lint.json") || fail "lint --format json did not print a non-empty JSON list"
say "ok: lint of resources/samples/corp-service -> exit 1, $count findings in valid JSON"

out=$(run_app gui --smoke-test 2>"$SCRATCH/gui.err") || {
    cat "$SCRATCH/gui.err" >&2
    fail "gui --smoke-test exited non-zero"
}
[[ $out == OK:* ]] || fail "gui --smoke-test printed '$out'"
say "ok: gui --smoke-test -> $out"
say "smoke test passed"

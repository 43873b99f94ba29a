#!/usr/bin/env bash
# The Python package's checks: build the wheel into a fresh virtualenv with
# `pip install ./python`, then run its tests (python/tests), which compare
# every function with the CLI's JSON.
#
#   bash python/ci.sh
#
# Environment:
#   CARGO_TARGET_DIR  where cargo builds, and maturin too (it runs cargo and
#                     honours it): keep it between runs and a rebuild
#                     compiles only kpisim and the extension, not polars.
#                     Default: the repository's target/.
#   KPISIM_BIN        the CLI the tests compare with. Default: built here
#                     by `cargo build --release`. Any build of this commit
#                     will do (e.g. the debug one `cargo test` leaves): the
#                     same code gives the same bytes.
#   PYTHON            the interpreter to make the virtualenv with (python3).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
if [ -z "${KPISIM_BIN:-}" ]; then
  cargo build --release --locked
  export KPISIM_BIN="$CARGO_TARGET_DIR/release/kpisim"
fi

venv_dir=$(mktemp -d)
trap 'rm -rf "$venv_dir"' EXIT
"${PYTHON:-python3}" -m venv "$venv_dir/venv"
# Activated: maturin's build hook runs `maturin` from PATH.
# shellcheck disable=SC1091
. "$venv_dir/venv/bin/activate"
python -m pip install --quiet --disable-pip-version-check maturin pytest polars
# Without build isolation pip uses the maturin just installed instead of
# fetching another into a throwaway environment.
start=$SECONDS
python -m pip install --quiet --disable-pip-version-check --no-build-isolation ./python
echo "pip install ./python: $((SECONDS - start)) s"

# The pytest script, from the repository's root: `python -m pytest` would
# put the working directory first on sys.path, and from python/ `import
# kpisim` would find the source folder, which lacks the extension.
pytest -q python/tests

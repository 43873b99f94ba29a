#!/usr/bin/env bash
# Whole-command timings of kpisim: wall time and peak memory of real runs,
# process start, parsing and output included.
#
#   bash benches/cli.sh            # builds the release binary, then measures
#   KPISIM_BENCH_BUILD=1 bash benches/cli.sh   # first times a clean release
#                                              # build (minutes; 2 GB of disk)
#
# Uses hyperfine (Debian package `hyperfine`) for timings and GNU time
# (package `time`) for peak resident memory; installs them with apt-get when
# missing and possible.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "benches/cli.sh needs $1 (package $2)" >&2; exit 1; }
}
need hyperfine hyperfine
[ -x /usr/bin/time ] || need /usr/bin/time time

# Target: a clean `cargo build --release` in under 3 minutes, in a target
# directory of its own so that the measured build starts from nothing.
if [ "${KPISIM_BENCH_BUILD:-0}" = 1 ]; then
  fresh=$(mktemp -d)
  /usr/bin/time -f "clean cargo build --release: %e s wall, %M KB peak" \
    cargo build --release --quiet --locked --target-dir "$fresh"
  echo "its target directory: $(du -sh "$fresh" | cut -f1)"
  rm -rf "$fresh"
fi

cargo build --release --quiet --bin kpisim --example kernel
bin=target/release/kpisim
kernel=target/release/examples/kernel
scenario=scenarios/shandian-2016.toml
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "kpisim $($bin --version | cut -d' ' -f2), scenario $scenario"
echo

# Target: `kpisim run` on two threads at most the bare kernel on one (the
# draws and the twelve-month recursion, no aggregation), side by side in one
# interleaved series; the kernel command loads the scenario too.
hyperfine --warmup 2 --runs 15 --style basic \
  "$kernel $scenario 1000000" \
  "$bin run $scenario --trials 1000000 --threads 2 --format json --output /dev/null" \
  "$bin run $scenario --trials 1000000 --threads 1 --format json --output /dev/null"
hyperfine --warmup 1 --runs 5 --style basic \
  "$bin run $scenario --trials 10000000 --threads 2 --format json --output /dev/null"

# Target: the model's additions (a drawn spend elasticity, a cost per payer,
# a metalog ARPU) cost at most 1.2 times the default scenario's run.
default_run="$bin run $scenario --trials 1000000 --threads 2 --format json --output /dev/null"
additions_run="$bin run benches/shandian-2016-additions.toml --trials 1000000 --threads 2 --format json --output /dev/null"
hyperfine --warmup 2 --runs 15 --style basic "$default_run" "$additions_run"
# hyperfine runs one command's series, then the other's: on a shared
# machine whose load drifts, their ratio drifts with it. Interleaved pairs,
# each pair's ratio, give the ratio with its standard error.
pairs=41
for _ in $(seq $pairs); do
  a=$(date +%s%N); $default_run >/dev/null; b=$(date +%s%N)
  $additions_run >/dev/null; c=$(date +%s%N)
  echo "$(( (b - a) / 1000 )) $(( (c - b) / 1000 ))"
done | awk -v n=$pairs '{ r = $2 / $1; s += r; ss += r * r; d += $1; x += $2 }
  END { m = s / n; se = sqrt((ss / n - m * m) / (n - 1));
        printf "interleaved, %d pairs: default %.0f ms, additions %.0f ms, ratio %.3f +/- %.3f (s.e.)\n",
          n, d / n / 1000, x / n / 1000, m, se }'

# `stress` with K cases should cost about K + 1 runs of the same scenario:
# the big-R scenario has 7 cases, so about 8 times one run.
bigr=scenarios/shandian-2016-bigr.toml
hyperfine --warmup 1 --runs 5 --style basic \
  "$bin run $bigr --trials 1000000 --threads 2 --format json --output /dev/null" \
  "$bin stress $bigr --trials 1000000 --threads 2 --format json --output /dev/null"

# Target: `explain` at 1,000,000 trials of the big-R scenario in at most 3 s,
# holding no more than the trials' input values beside what a run holds:
# its run with --trials-out beside it for the memory.
hyperfine --warmup 1 --runs 5 --style basic \
  "$bin explain $bigr --trials 1000000 --threads 2 --format json --output /dev/null"
for cmd in "run $bigr --trials-out /tmp/kpisim-bench-trials.parquet" "explain $bigr"; do
  /usr/bin/time -f "peak memory, $cmd: %M KB (%e s wall)" \
    $bin $cmd --trials 1000000 --format json --output /dev/null
done
rm -f /tmp/kpisim-bench-trials.parquet

# Target: --trials-out adds at most the run's own time, Parquet and CSV
# (the previous file removed first: replacing a file makes ext4 flush the
# new one at the rename, a cost of the disk, not of kpisim).
out=/tmp/kpisim-bench-trials
hyperfine --warmup 2 --runs 15 --style basic --prepare "rm -f $out.parquet $out.csv" \
  "$bin run $scenario --trials 1000000 --threads 2 --format json --output /dev/null" \
  "$bin run $scenario --trials 1000000 --threads 2 --format json --output /dev/null --trials-out $out.parquet" \
  "$bin run $scenario --trials 1000000 --threads 2 --format json --output /dev/null --trials-out $out.csv"
rm -f $out.parquet $out.csv

# Target: 10,000,000 trials in <= 200 MB peak memory.
echo
for n in 1000000 10000000; do
  /usr/bin/time -f "peak memory, $n trials: %M KB (%e s wall)" \
    $bin run $scenario --trials $n --format json --output /dev/null
done

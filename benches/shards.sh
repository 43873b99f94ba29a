#!/usr/bin/env bash
# What splitting a run costs: M shards of a run simulated one after another
# on this machine, plus the merge, against the one-machine run of the same
# trials; wall time and peak memory of each command (GNU time), the parts'
# bytes, and a check that the merged report is the run's, byte for byte.
#
#   bash benches/shards.sh [TRIALS [M]]     # default 40000000 trials, 4 shards
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-40000000}
m=${2:-4}
[ -x /usr/bin/time ] || { apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin kpisim
bin=$PWD/target/release/kpisim
scenario=$PWD/scenarios/shandian-2016.toml
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
measure() { /usr/bin/time -f "%e %M" -o t.txt "$@"; read -r secs kb < t.txt; }

echo "machine: $(nproc) cores; kpisim $($bin --version | cut -d' ' -f2); $trials trials, $m shards"
measure "$bin" run "$scenario" -n "$trials" -s 7 -f json -o one.json
one=$secs
printf '%-28s %8.2f s %8d MB\n' "one run" "$secs" "$((kb / 1024))"
total=0
for ((k = 0; k < m; k++)); do
  measure "$bin" run "$scenario" -n "$trials" -s 7 --shard "$k/$m" --state-out "part-$k.kps"
  total=$(echo "$total + $secs" | bc)
  printf '%-28s %8.2f s %8d MB\n' "shard $k/$m" "$secs" "$((kb / 1024))"
done
bytes=$(cat part-*.kps | wc -c)
measure "$bin" merge part-*.kps -f json -o merged.json
merge=$secs
printf '%-28s %8.2f s %8d MB\n' "merge" "$secs" "$((kb / 1024))"
cmp -s one.json merged.json && same="identical" || same="DIFFERENT"
echo "shards one after another: $total s; with the merge: $(echo "$total + $merge" | bc) s; one run: $one s"
echo "parts: $bytes bytes ($(echo "scale=1; $bytes / $trials" | bc) a trial); merged report $same to the run's"
[ "$same" = identical ]

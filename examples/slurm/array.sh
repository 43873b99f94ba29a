#!/usr/bin/env bash
# One kpisim run split over a Slurm job array, then merged.
#
# Submit, from a directory every node sees (the parts go to $PARTS there):
#
#   SCENARIO=plan.toml TRIALS=40000000 SEED=7 M=4 bash examples/slurm/array.sh submit
#
# This submits a job array of M tasks, task K running
#
#   kpisim run $SCENARIO --trials $TRIALS --seed $SEED --shard K/M --state-out $PARTS/part-K.kps
#
# and a merge job that starts only once every task has succeeded
# (--dependency=afterok) and writes $PARTS/report.json, byte for byte what
# `kpisim run $SCENARIO --trials $TRIALS --seed $SEED --format json` prints
# on one machine. A failed task leaves the merge pending: resubmit that task
# (`sbatch --array=K ... array.sh task`); the other parts stay valid.
#
# Without Slurm, `bash examples/slurm/array.sh local` runs the same task and
# merge command lines one after another (kpisim's CI does this).
#
# Settings (environment): SCENARIO, TRIALS, SEED, M (shards), PARTS (the
# parts' directory, default parts), FORMAT (of the report: json, csv or
# table; default json), KPISIM (the binary, default kpisim on PATH), and
# SBATCH_ARGS (extra sbatch options, e.g. "--partition=batch"; they win
# over the lines below).
#
# What a task asks of Slurm, sized for the defaults (TRIALS/M = 10,000,000
# trials a task) by the figures in docs/cluster.md ("Sizing"):
# - CPUs: the task runs one thread a CPU it is given (--threads
#   $SLURM_CPUS_PER_TASK below), and its time falls nearly in proportion;
#   memory hardly grows with threads. 2 fits the smallest node.
# - Memory: a task of n trials peaks near 32 bytes a trial plus 25 MB
#   (what any run keeps, 16 bytes a trial, and its part, 16 more, encoded
#   before it is written): 345 MB for 10,000,000, and 1G holds up to
#   30,000,000 a task. kpisim's own memory check compares the run with the
#   node's free memory, not with --mem: a task over --mem is killed by
#   Slurm instead of refused by kpisim, so raise --mem (or M) with TRIALS/M.
# - Time: 10,000,000 trials take about 2.2 s on 2 CPUs, a scenario with
#   every addition of the model (docs/engine.md) 1.8 times that; 10 minutes
#   leaves a wide margin and still lets the scheduler backfill. A task killed at its limit leaves no
#   part (parts are written whole or not at all): resubmit that task.
# The merge job gets its own --mem from TRIALS (merge_mem below).
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=0:10:00
set -euo pipefail

SCENARIO=${SCENARIO:-scenarios/shandian-2016.toml}
TRIALS=${TRIALS:-40000000}
SEED=${SEED:-7}
M=${M:-${SLURM_ARRAY_TASK_COUNT:-4}}
PARTS=${PARTS:-parts}
FORMAT=${FORMAT:-json}
KPISIM=${KPISIM:-kpisim}

# Shard K of M: one array task.
task() {
    local k=$1
    mkdir -p "$PARTS"
    "$KPISIM" run "$SCENARIO" --trials "$TRIALS" --seed "$SEED" \
        --threads "${SLURM_CPUS_PER_TASK:-$(nproc)}" \
        --shard "$k/$M" --state-out "$PARTS/part-$k.kps"
}

# Memory for the merge, in MiB: it holds every trial (16 bytes) and the
# part it is reading (16 bytes a trial of one shard), plus a quarter for
# margin and 64 MiB for the program (784 MB measured for 40,000,000 trials
# in 4 parts; this gives 1,017 MiB).
merge_mem() {
    echo $(((20 * (TRIALS + TRIALS / M) >> 20) + 64))
}

# Every part into the report: the dependent job.
merge() {
    local parts=()
    for ((k = 0; k < M; k++)); do parts+=("$PARTS/part-$k.kps"); done
    "$KPISIM" merge "${parts[@]}" --format "$FORMAT" --output "$PARTS/report.$FORMAT"
}

case "${1:-}" in
    task)
        task "${SLURM_ARRAY_TASK_ID:?task runs inside a Slurm array task (SLURM_ARRAY_TASK_ID)}"
        ;;
    merge)
        merge
        ;;
    submit)
        export SCENARIO TRIALS SEED M PARTS FORMAT KPISIM
        mkdir -p "$PARTS" # Slurm does not create the logs' directory.
        # Slurm copies a batch script to its spool: submit this file's path.
        script=$(readlink -f "$0")
        # shellcheck disable=SC2086
        array=$(sbatch --parsable ${SBATCH_ARGS:-} --job-name=kpisim-shard \
            --array="0-$((M - 1))" --output="$PARTS/shard-%a.log" --export=ALL \
            "$script" task)
        # shellcheck disable=SC2086
        sbatch --parsable --mem="$(merge_mem)M" ${SBATCH_ARGS:-} --job-name=kpisim-merge \
            --dependency="afterok:${array%%;*}" --output="$PARTS/merge.log" --export=ALL \
            "$script" merge
        ;;
    local)
        for ((k = 0; k < M; k++)); do task "$k"; done
        merge
        ;;
    *)
        echo "usage: $0 submit | task | merge | local (see the comment at the top)" >&2
        exit 2
        ;;
esac

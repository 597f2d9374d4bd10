#!/bin/bash
# Grade a class on a Slurm cluster: one array task per shard, then one job that merges them.
#
#   export NASBOOK_SEED=...            # the instructor's secret seed (never on the command line)
#   jid=$(sbatch --parsable --export=ALL slurm-grade.sh)
#   sbatch --dependency=afterok:$jid --export=ALL slurm-grade.sh merge
#
# Each task grades shard $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT (`nasbook grade --shard
# i/n`: every submission goes to exactly one shard) into $OUT/part-i; the merge checks that the
# parts were graded with the same seed and chapters and writes $OUT/gradebook. A task that fails
# can be re-run alone (`sbatch --array=3 ...`): its part is replaced, the others are kept.
#
# Settings (environment): SUBMISSIONS (default submissions), OUT (default grading),
# NASBOOK_CHAPTERS (e.g. 01,02; default all), NASBOOK (the command; default `npx nasbook`).
#
#SBATCH --job-name=nasbook-grade
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=nasbook-grade-%A_%a.log
set -euo pipefail

SUBMISSIONS=${SUBMISSIONS:-submissions}
OUT=${OUT:-grading}
NASBOOK=${NASBOOK:-npx nasbook}
: "${NASBOOK_SEED:?set NASBOOK_SEED to the secret seed of the instructor}"
chapters=()
if [ -n "${NASBOOK_CHAPTERS:-}" ]; then chapters=(--chapters "$NASBOOK_CHAPTERS"); fi

if [ "${1:-}" = merge ]; then
  parts=("$OUT"/part-*)
  $NASBOOK gradebook merge "${parts[@]}" --out "$OUT/gradebook"
else
  : "${SLURM_ARRAY_TASK_ID:?run this script with sbatch (it is an array job), or pass merge}"
  count=${SLURM_ARRAY_TASK_COUNT:-4}
  $NASBOOK grade "$SUBMISSIONS" --out "$OUT/part-$SLURM_ARRAY_TASK_ID" --shard "$SLURM_ARRAY_TASK_ID/$count" \
    --jobs "${SLURM_CPUS_PER_TASK:-2}" "${chapters[@]}"
fi

#!/usr/bin/env bash
# Seconds per training epoch through the real CLI: generate N article-style rows (10 features,
# 4 classes), train a 10-8-4 network for K epochs in local[C] with C partitions, and print the
# median epoch time from metrics.csv (epochs 1..K: one optimizer step and one full-data pass each;
# epoch 0 is the initial pass and is left out). Run it on a quiet machine.
#   submit/bench-epoch.sh [--rows 1000000] [--epochs 7] [--cores 2] [extra train options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows=1000000; epochs=7; cores=2; extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$root/submit/l1net" generate --out "$work/data" --train-rows "$rows" --test-rows 0 >/dev/null
"$root/submit/l1net" train --train "$work/data/train.csv" --out "$work/run" --master "local[$cores]" \
  --partitions "$cores" --epochs "$epochs" --layers 10,8,4 "${extra[@]}" >/dev/null

printf '%-10s %-8s %-7s %-14s %-14s %-12s\n' rows master epochs "median s/epoch" "min s/epoch" "rows/s"
tail -n +3 "$work/run/metrics.csv" | cut -d, -f9 | sort -g | awk -v rows="$rows" -v cores="$cores" -v epochs="$epochs" '
  { t[NR] = $1 }
  END {
    median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
    printf "%-10d %-8s %-7d %-14.3f %-14.3f %-12.0f\n", rows, "local[" cores "]", epochs, median, t[1], rows / median
  }'

#!/usr/bin/env bash
# The article's experiment through the real CLI: for each seed, generate 200 training rows and a
# large test set from a random teacher network, train the 10-8-4 tanh network without and with L1,
# and print mean train/test accuracy and the fraction of weights that are exactly zero.
#   submit/article-experiment.sh [--seeds 5] [--test-rows 2000] [--l1 0.01] [extra train options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds=5; test_rows=2000; lambda=0.01; extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --test-rows) test_rows="$2"; shift 2 ;;
    --l1) lambda="$2"; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

field() { sed -n "s/^ *\"$2\" *: *\([^,]*\),\{0,1\}$/\1/p" "$1"; }

printf '%-6s %-8s %-8s %-8s %-8s\n' seed l1 train test zero
for seed in $(seq 1 "$seeds"); do
  "$root/submit/l1net" generate --out "$work/data-$seed" --seed "$seed" --train-rows 200 --test-rows "$test_rows" >/dev/null 2>&1
  for l1 in 0 "$lambda"; do
    run="$work/run-$seed-$l1"
    "$root/submit/l1net" train --train "$work/data-$seed/train.csv" --test "$work/data-$seed/test.csv" \
      --out "$run" --seed "$seed" --l1 "$l1" --eval-every 100 "${extra[@]}" >/dev/null 2>"$work/err" \
      || { cat "$work/err" >&2; exit 1; }
    train=$(field "$run/summary.json" train_accuracy)
    test=$(field "$run/summary.json" test_accuracy)
    nz=$(field "$run/summary.json" nonzero_weights)
    total=$(field "$run/summary.json" total_weights)
    zero=$(awk -v n="$nz" -v t="$total" 'BEGIN { printf "%.3f", 1 - n / t }')
    printf '%-6s %-8s %-8.4f %-8.4f %-8s\n' "$seed" "$l1" "$train" "$test" "$zero"
    echo "$l1 $train $test $zero" >> "$work/all"
  done
done
echo
echo "mean over $seeds seeds:"
printf '%-10s %-10s %-10s %-10s\n' l1 train test zero
awk '{ n[$1]++; tr[$1]+=$2; te[$1]+=$3; z[$1]+=$4 }
     END { for (k in n) printf "%-10s %-10.4f %-10.4f %-10.3f\n", k, tr[k]/n[k], te[k]/n[k], z[k]/n[k] }' "$work/all" | sort -g

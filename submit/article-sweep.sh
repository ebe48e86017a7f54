#!/usr/bin/env bash
# The article's experiment as a sweep: for each seed, 200 training rows from the article's kind of teacher
# network, a validation set and a test set of the same teacher; `sweep` chooses lambda on the validation set,
# the chosen models are scored on the test set, and the same network is trained without L1 for comparison.
#   submit/article-sweep.sh [--seeds 3] [--rows 2000] [--steps 8] [extra sweep options...]
# Validation and test come from one generate call: its test split with 2 x --rows rows, the first half the
# test set (the very rows `generate --test-rows <rows>` writes, as article-experiment.sh uses) and the second
# half the validation set. A second generate call with another --seed would draw another teacher.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds=3; rows=2000; steps=8; extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --rows) rows="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
work="${L1NET_WORK:-$(mktemp -d)}"
[[ -n "${L1NET_WORK:-}" ]] || trap 'rm -rf "$work"' EXIT

json() { sed -n "/\"$2\"/,/}/p" "$1" | sed -n "s/^ *\"$3\" *: *\([^,]*\),\{0,1\}$/\1/p" | head -1; }
field() { sed -n "s/^ *\"$2\" *: *\([^,]*\),\{0,1\}$/\1/p" "$1"; }

printf '%-5s %-10s %-9s %-9s %-9s %-10s %-9s %-9s %-9s\n' seed lambda valid test nonzero lambda-1se test-1se nz-1se test-noL1
for seed in $(seq 1 "$seeds"); do
  data="$work/data-$seed"
  "$root/submit/l1net" generate --out "$data" --seed "$seed" --train-rows 200 --test-rows $((2 * rows)) >/dev/null 2>&1
  head -n $((rows + 1)) "$data/test.csv" > "$data/test-half.csv"
  { head -n 1 "$data/test.csv"; tail -n "$rows" "$data/test.csv"; } > "$data/validation.csv"
  "$root/submit/l1net" sweep --train "$data/train.csv" --validation "$data/validation.csv" --test "$data/test-half.csv" \
    --out "$work/sweep-$seed" --seed "$seed" --steps "$steps" "${extra[@]}" >"$work/sweep-$seed.log" 2>"$work/err" \
    || { cat "$work/err" >&2; exit 1; }
  "$root/submit/l1net" train --train "$data/train.csv" --test "$data/test-half.csv" --out "$work/nol1-$seed" \
    --seed "$seed" --l1 0 --eval-every 1000 >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  s="$work/sweep-$seed/sweep.json"
  printf '%-5s %-10.4g %-9.4f %-9.4f %-9s %-10.4g %-9.4f %-9s %-9.4f\n' "$seed" \
    "$(json "$s" best lambda)" "$(json "$s" best validation_accuracy)" "$(json "$s" best test_accuracy)" \
    "$(json "$s" best nonzero_weights)" "$(json "$s" one_se lambda)" "$(json "$s" one_se test_accuracy)" \
    "$(json "$s" one_se nonzero_weights)" "$(field "$work/nol1-$seed/summary.json" test_accuracy)"
done

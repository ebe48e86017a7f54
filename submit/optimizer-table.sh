#!/usr/bin/env bash
# Passes over the data and wall time for each optimizer to reach target test accuracies, with and without
# L1, through the real CLI. Prints one markdown table row per run:
#   optimizer, lambda, training passes and seconds to reach each --target (a comma list; "-" when never reached),
#   final test accuracy, best test accuracy, weights exactly zero, training passes in all, stop reason.
# Training passes = all passes minus the test evaluations (one per epoch here), so the measurement of test
# accuracy is not charged to the optimizer; the seconds include it.
#   submit/optimizer-table.sh --train F --test F --target 0.70,0.74 [--epochs 500] [--lbfgs-epochs 200]
#       [--l1 0.01] [--sgd-lr 0.1] [--adam-lr 0.01] [--master local[2]] [--partitions 2] [extra train options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
train=""; test=""; target=""; epochs=500; lbfgs_epochs=200; lambda=0.01; sgd_lr=0.1; adam_lr=0.01
master="local[2]"; partitions=2; extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --train) train="$2"; shift 2 ;;
    --test) test="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --lbfgs-epochs) lbfgs_epochs="$2"; shift 2 ;;
    --l1) lambda="$2"; shift 2 ;;
    --sgd-lr) sgd_lr="$2"; shift 2 ;;
    --adam-lr) adam_lr="$2"; shift 2 ;;
    --master) master="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done
if [[ -z "$train" || -z "$test" || -z "$target" ]]; then
  echo "optimizer-table.sh: --train, --test and --target are required (--help)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

header="| optimizer | lambda"; rule="|---|---"
for t in ${target//,/ }; do header+=" | passes, seconds to $t"; rule+="|---"; done
echo "$header | final test | best test | zero weights | passes in all | stopped by |"
echo "$rule|---|---|---|---|---|"
for optimizer in sgd adam lbfgs; do
  for l1 in 0 "$lambda"; do
    run="$work/$optimizer-$l1"
    case "$optimizer" in
      sgd) opts=(--optimizer sgd --lr "$sgd_lr" --epochs "$epochs") ;;
      adam) opts=(--optimizer adam --lr "$adam_lr" --epochs "$epochs") ;;
      lbfgs) opts=(--optimizer lbfgs --epochs "$lbfgs_epochs") ;;
    esac
    "$root/submit/l1net" train --train "$train" --test "$test" --out "$run" --l1 "$l1" --master "$master" \
      --partitions "$partitions" --eval-every 1 "${opts[@]}" "${extra[@]}" > "$work/out" 2>&1 \
      || { cat "$work/out" >&2; exit 1; }
    stop=$(sed -n 's/^ *"stop_reason" *: *"\([^"]*\)".*/\1/p' "$run/summary.json")
    awk -F, -v targets="$target" -v opt="$optimizer" -v l1="$l1" -v stop="$stop" '
      BEGIN { n = split(targets, t, ",") }
      NR == 1 { for (c = 1; c <= NF; c++) col[$c] = c; next }
      {
        tested++
        train_passes = $col["passes"] - tested
        seconds += $col["seconds"]
        acc = $col["test_accuracy"]
        if (acc > best) best = acc
        for (i = 1; i <= n; i++) {
          if (reached[i] == "" && acc >= t[i]) reached[i] = sprintf("%d, %.1f s", train_passes, seconds)
        }
        final = acc; zero = 1 - $col["nonzero_weights"] / $col["total_weights"]; all = train_passes
      }
      END {
        printf "| %s | %s", opt, l1
        for (i = 1; i <= n; i++) printf " | %s", (reached[i] == "" ? "-" : reached[i])
        printf " | %.4f | %.4f | %.1f%% | %d | %s |\n", final, best, 100 * zero, all, stop
      }' "$run/metrics.csv"
  done
done

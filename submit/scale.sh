#!/usr/bin/env bash
# Large data end to end: generate N article-style rows (10 features, 4 classes) as Parquet on the
# executors, train a 10-8-4 network for K epochs in local[C] with C partitions, and print rows per
# second, seconds per epoch (median of epochs 1..K), Spark's storage figures for the cached blocks
# against the rows' raw float32 bytes, and the JVM's peak resident memory (/usr/bin/time's maximum
# RSS, which is the JVM's VmHWM: submit/l1net execs java).
#
# --spill trains a second time with a heap of --spill-heap and spark.memory.fraction set so that
# Spark's unified memory is about 3/4 of the raw bytes: the blocks cannot all stay in memory, part
# of them is cached on disk (MEMORY_AND_DISK), and the weights of both models must be identical.
#   submit/scale.sh [--rows 1000000] [--epochs 10] [--cores 2] [--memory 4g] [--spill] [--spill-heap 1g] [--keep DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows=1000000; epochs=10; cores=2; memory=4g; spill=0; spill_heap=1g; keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --cores) cores="$2"; shift 2 ;;
    --memory) memory="$2"; shift 2 ;;
    --spill) spill=1; shift ;;
    --spill-heap) spill_heap="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "scale.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -n "$keep" ]]; then work="$keep"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
features=10

"$root/submit/l1net" --version >/dev/null 2>&1 || true   # builds the launcher's classpath once, outside the timings
start=$(date +%s.%N)
L1NET_DRIVER_MEMORY="$memory" "$root/submit/l1net" generate --format parquet --out "$work/data" --train-rows "$rows" \
  --test-rows 0 --features "$features" --classes 4 --partitions "$cores" --master "local[$cores]" >/dev/null
gen_s=$(echo "$(date +%s.%N) - $start" | bc)
parquet_mb=$(du -sm "$work/data/train.parquet" | cut -f1)

# train RUN HEAP [JAVA_OPTS]: one training run; prints its summary line's fields.
train() {
  local run="$1" heap="$2" opts="${3:-}"
  local start end
  start=$(date +%s.%N)
  JAVA_OPTS="$opts" L1NET_DRIVER_MEMORY="$heap" /usr/bin/time -v -o "$work/$run.time" \
    "$root/submit/l1net" train --train "$work/data/train.parquet" --out "$work/$run" --master "local[$cores]" \
    --partitions "$cores" --epochs "$epochs" --layers 10,8,4 > "$work/$run.out"
  end=$(date +%s.%N)
  local cached median peak
  cached=$(grep '^cached training blocks: ' "$work/$run.out" | sed 's/^[^:]*: //')
  median=$(tail -n +3 "$work/$run/metrics.csv" | cut -d, -f9 | sort -g | awk '
    { t[NR] = $1 } END { printf "%.3f", (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
  peak=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$run.time")
  printf '%-8s heap %-4s  train %6.1f s  median %s s/epoch  %.0f rows/s  peak RSS %s MB\n' "$run" "$heap" \
    "$(echo "$end - $start" | bc)" "$median" "$(echo "$rows / $median" | bc -l)" "$peak"
  printf '         cached at the start: %s\n' "$cached"
  printf '         cached at the end:   %s\n' "$(grep '^cached training blocks at the end: ' "$work/$run.out" | sed 's/^[^:]*: //')"
}

echo "scale: $rows rows x $features features, 10-8-4, $epochs epochs, local[$cores], $cores partitions; load: $(uptime | sed 's/.*load average: //')"
printf 'generate: %.1f s (%.0f rows/s), train.parquet %s MB\n' "$gen_s" "$(echo "$rows / $gen_s" | bc -l)" "$parquet_mb"
train run "$memory"

if [[ "$spill" == 1 ]]; then
  # Unified memory = (heap - 300 MB) * fraction (Spark's reserved 300 MB); aim it at 3/4 of the raw bytes.
  heap_mb=$(( $(numfmt --from=iec "${spill_heap^^}") / 1048576 ))
  raw_mb=$(( rows * (4 * features + 4) / 1048576 ))
  fraction=$(echo "scale=4; f = 0.75 * $raw_mb / ($heap_mb - 300); if (f > 0.9) f = 0.9; if (f < 0.01) f = 0.01; f" | bc)
  train spill "$spill_heap" "-Dspark.memory.fraction=$fraction"
  echo "spill run: -Xmx$spill_heap -Dspark.memory.fraction=$fraction"
  # Everything but the provenance (paths, times, Spark settings) must be the same, bit for bit.
  if cmp -s <(jq -S 'del(.provenance)' "$work/run/model.json") <(jq -S 'del(.provenance)' "$work/spill/model.json"); then
    echo "model.json: weights identical with and without spilling ($(jq -S 'del(.provenance)' "$work/run/model.json" | jq -c '[.. | numbers] | length') numbers compared, provenance aside)"
  else
    echo "model.json: weights DIFFER with and without spilling"
    diff <(jq -S 'del(.provenance)' "$work/run/model.json") <(jq -S 'del(.provenance)' "$work/spill/model.json") | head -20
    exit 1
  fi
fi

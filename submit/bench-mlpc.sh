#!/usr/bin/env bash
# One full-data gradient pass of l1net against Spark MLlib's MultilayerPerceptronClassifier on the same
# generated rows, layer sizes (sigmoid hidden layers), partitions and Spark application, alternating;
# plus l1net's kernel on plain threads over the same blocks. Prints seconds per pass (median), rows/s
# per core, GFLOP/s, GC share and the ratios.
#   submit/bench-mlpc.sh [--layers 10,8,4] [--rows 1000000] [--passes 7] [--warmup 20]
#                        [--master local[2]] [--partitions 2] [--seed 1] [--mlpc-block 128]
#   submit/bench-mlpc.sh --layers 784,256,10 --rows 60000
# Environment: L1NET_BENCH_MEMORY (JVM -Xmx, default 8g). Run it on a quiet machine; see docs/PERFORMANCE.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-build.sh"
exec java -Xmx"${L1NET_BENCH_MEMORY:-8g}" "${bench_jvm[@]}" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$bench_cp" org.l1net.bench.MlpcBench "$@"

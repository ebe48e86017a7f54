#!/usr/bin/env bash
# Where Spark's share of a gradient pass goes: scheduling before the tasks, the tasks, the results;
# next to an empty job (RDD API and direct runJob), a broadcast, and the kernel on plain threads.
#   submit/bench-overhead.sh [--layers 10,8,4] [--rows 1000000] [--passes 21] [--warmup 20] [--master local[2]] [--partitions 2] [--depth 2]
# Run it on a quiet machine; see docs/PERFORMANCE.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-build.sh"
exec java -Xmx"${L1NET_BENCH_MEMORY:-8g}" "${bench_jvm[@]}" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$bench_cp" org.l1net.bench.SparkOverheadBench "$@"

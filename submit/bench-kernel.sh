#!/usr/bin/env bash
# JMH: one block forward and backward through l1net's kernel (10-8-4, 784-100-10, 784-256-10; vector
# and scalar paths; one thread), printed as blocks/s, rows/s and GFLOP/s. JMH options pass through:
#   submit/bench-kernel.sh                                # all cases, 4 x 1 s warm-up, 5 x 1 s measured
#   submit/bench-kernel.sh -p layers=784-256-10 -p path=VECTOR -p activation=tanh -wi 2 -i 3
# Run it on a quiet machine; see docs/PERFORMANCE.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bench-build.sh"
exec java -Xmx1g "${bench_jvm[@]}" -cp "$bench_cp" org.l1net.bench.KernelBench "$@"

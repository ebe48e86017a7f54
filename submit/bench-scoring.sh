#!/usr/bin/env bash
# Scoring speed, dense against pruned, on one thread (src/test/java/org/l1net/bench/ScoringBench.java):
# random networks with the structure L1 leaves (inputs without weights, dead units, scattered zeros), from
# 10-8-4 to 784-256-128-10, each scored both ways on 1024-row blocks. Run it on a quiet machine.
#   submit/bench-scoring.sh [seconds per measurement, default 1.0]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
classpath_file=target/bench/classpath.txt
mkdir -p target/bench
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" -DincludeScope=test >&2
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat "$classpath_file")" org.l1net.bench.ScoringBench "$@"

#!/usr/bin/env bash
# Sourced by the bench-*.sh scripts: compiles the benchmarks with the Maven profile "bench" (JMH and
# spark-mllib at test scope, never in the job jar) into target/bench/, apart from the normal build, and
# sets bench_cp (class path) and bench_jvm (Spark's module options, the same list submit/l1net uses).
# L1NET_MVN_OPTS passes more options to Maven (e.g. -o to stay offline).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/bench"
(cd "$root" && mvn -B -q ${L1NET_MVN_OPTS:-} -Pbench test-compile dependency:build-classpath \
    -Dmdep.outputFile="$out/classpath.txt" -DincludeScope=test) >&2
bench_cp="$out/test-classes:$out/classes:$(cat "$out/classpath.txt")"
read -r -a bench_jvm < "$out/launcher/jvm-options.txt"
export SPARK_LOCAL_IP=127.0.0.1

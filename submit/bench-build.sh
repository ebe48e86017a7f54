#!/usr/bin/env bash
# Sourced by the bench-*.sh scripts: compiles the benchmarks (Maven profile "bench": JMH and spark-mllib
# at test scope, never in the job jar) and sets bench_cp (class path) and bench_jvm (Spark's module options).
# L1NET_MVN_OPTS passes more options to Maven (e.g. -o to stay offline).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -B -q ${L1NET_MVN_OPTS:-} -Pbench test-compile dependency:build-classpath \
    -Dmdep.outputFile="$root/target/bench/classpath.txt" -Dmdep.includeScope=test) >&2
bench_cp="$root/target/test-classes:$root/target/classes:$(cat "$root/target/bench/classpath.txt")"
read -r -a bench_jvm < "$root/target/launcher/jvm-options.txt"
export SPARK_LOCAL_IP=127.0.0.1

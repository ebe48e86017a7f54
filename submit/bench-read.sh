#!/usr/bin/env bash
# Reading one generated table into cached blocks from CSV, LIBSVM, Parquet, JSON and ORC
# (src/test/java/org/l1net/bench/ReadBench.java): seconds, rows per second, Spark's cached size, and a
# checksum of the blocks that must be the same for every format.
#   submit/bench-read.sh [rows, default 1000000] [features, default 10] [master, default local[2]] [partitions, default 2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
classpath_file=target/bench/classpath.txt
mkdir -p target/bench
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" -DincludeScope=test >&2
read -r -a jvm_options < target/launcher/jvm-options.txt
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java -Xmx"${L1NET_DRIVER_MEMORY:-4g}" "${jvm_options[@]}" -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" org.l1net.bench.ReadBench "$@"

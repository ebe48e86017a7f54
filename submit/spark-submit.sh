#!/usr/bin/env bash
# l1net on a cluster: $SPARK_HOME/bin/spark-submit with the job's jar (target/l1net-<version>.jar), its main
# class and conf/spark-defaults.conf. Options before the l1net command go to spark-submit; the command
# (train, generate, evaluate, predict, help) and everything after it go to l1net. A `--` may separate them.
#
#   submit/spark-submit.sh --master spark://host:7077 --executor-memory 8g \
#       train --train hdfs:///data/train --test hdfs:///data/test --out /runs/big --partitions 64
#
# Environment:
#   SPARK_HOME        the Spark 4.2 (Scala 2.13) installation whose bin/spark-submit runs the job; when unset,
#                     the Maven-jar installation of submit/local-cluster.sh (target/spark-home) if it exists.
#   L1NET_SPARK_CONF  Spark properties file (default conf/spark-defaults.conf); the cluster's own
#                     $SPARK_HOME/conf/spark-defaults.conf still loads beneath it (--load-spark-defaults),
#                     and --conf on the command line wins over both.
#   L1NET_DEFAULTS    l1net job defaults (default conf/l1net-defaults.properties). In client mode the driver
#                     reads it here; in cluster mode it is used only when set, and must name a path that
#                     exists where the driver runs (e.g. a file shipped with --files on YARN).
#   L1NET_JAR         the application jar, a path or a URI (default target/l1net-<version>.jar, built with
#                     Maven when missing or older than the sources).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() {
  echo "spark-submit.sh: $*" >&2
  exit 2
}

# Split the arguments: spark-submit options first, then the l1net command. spark-submit's options take a
# value except these flags; --opt=value is one word.
spark_args=()
deploy_mode=client
while [[ $# -gt 0 ]]; do
  case "$1" in
    --) shift; break ;;
    --verbose|-v|--supervise|--load-spark-defaults) spark_args+=("$1"); shift ;;
    --help|-h|--version|--usage-error)
      exec "${SPARK_HOME:?set SPARK_HOME to a Spark installation}/bin/spark-submit" "$1" ;;
    --class|--class=*) fail "the main class is l1net's (org.l1net.cli.Main); do not pass --class" ;;
    --deploy-mode=*) deploy_mode="${1#*=}"; spark_args+=("$1"); shift ;;
    --*=*) spark_args+=("$1"); shift ;;
    -*)
      [[ $# -ge 2 ]] || fail "spark-submit option $1 needs a value"
      [[ "$1" == "--deploy-mode" ]] && deploy_mode="$2"
      [[ "$1" == "--conf" || "$1" == "-c" ]] && [[ "$2" == spark.submit.deployMode=* ]] && deploy_mode="${2#*=}"
      spark_args+=("$1" "$2"); shift 2 ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || fail "no l1net command; usage: submit/spark-submit.sh [spark-submit options] train|generate|evaluate|predict|inspect [options]"

if [[ -z "${SPARK_HOME:-}" ]]; then
  if [[ -x "$root/target/spark-home/bin/spark-submit" ]]; then
    export SPARK_HOME="$root/target/spark-home"
  else
    fail "set SPARK_HOME to a Spark 4.2 installation (Scala 2.13), or run submit/local-cluster.sh start to build one from Maven jars"
  fi
fi
[[ -x "$SPARK_HOME/bin/spark-submit" ]] || fail "SPARK_HOME=$SPARK_HOME has no bin/spark-submit"

jar="${L1NET_JAR:-}"
if [[ -z "$jar" ]]; then
  jar="$(ls "$root"/target/l1net-[0-9]*.jar 2>/dev/null | head -1 || true)"
  if [[ -z "$jar" ]] || [[ -n "$(find "$root/pom.xml" "$root/src/main" -newer "$jar" -print -quit)" ]]; then
    echo "spark-submit.sh: building the job jar with Maven..." >&2
    (cd "$root" && mvn -B -q -Dmaven.test.skip=true package) >&2
    jar="$(ls "$root"/target/l1net-[0-9]*.jar | head -1)"
  fi
fi
# A URI (local:///opt/l1net/l1net.jar in a container image, hdfs://...) is spark-submit's to resolve.
[[ "$jar" == *://* || -f "$jar" ]] || fail "no job jar at $jar"

spark_conf="${L1NET_SPARK_CONF:-$root/conf/spark-defaults.conf}"
[[ -f "$spark_conf" ]] || fail "Spark properties file $spark_conf does not exist"

# The job defaults file reaches the driver as a Spark property: spark-submit turns every spark.* setting
# into a system property of the driver, where org.l1net.cli.JobDefaults looks for it.
defaults_conf=()
if [[ "$deploy_mode" == client ]]; then
  defaults_file="${L1NET_DEFAULTS:-$root/conf/l1net-defaults.properties}"
  [[ -f "$defaults_file" ]] || fail "job defaults file $defaults_file does not exist"
  defaults_conf=(--conf "spark.l1net.defaults=$(cd "$(dirname "$defaults_file")" && pwd)/$(basename "$defaults_file")")
elif [[ -n "${L1NET_DEFAULTS:-}" ]]; then
  defaults_conf=(--conf "spark.l1net.defaults=$L1NET_DEFAULTS")
fi

exec "$SPARK_HOME/bin/spark-submit" \
  --properties-file "$spark_conf" --load-spark-defaults \
  --name "l1net $1" \
  "${defaults_conf[@]}" \
  "${spark_args[@]}" \
  --class org.l1net.cli.Main \
  "$jar" "$@"

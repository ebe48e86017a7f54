#!/usr/bin/env bash
# A real Spark standalone cluster on this machine: one Master and N Workers, each its own JVM, all bound
# to 127.0.0.1 on free ports chosen at start. Executors run in JVMs the Workers start, as on any cluster.
#
#   submit/local-cluster.sh start  [--workers 2] [--cores 1] [--memory 1g] [--dir DIR]
#   submit/local-cluster.sh status [--dir DIR]
#   submit/local-cluster.sh stop   [--dir DIR]
#   submit/local-cluster.sh spark-home         prints the Spark installation it uses (building it if needed)
#
# Spark comes from $SPARK_HOME when that is set (a Spark 4.2 distribution), else from the Maven-resolved
# jars: `mvn -Pcluster dependency:copy-dependencies@spark-home` puts them in target/spark-home/jars and this
# script adds bin/spark-class and bin/spark-submit (submit/spark-home/bin). Nothing is downloaded but
# Maven artifacts.
# The run folder (default runs/local-cluster, or $L1NET_CLUSTER_DIR) holds the PIDs, the daemons' logs,
# the Workers' work dirs (executor logs: worker-*/work/app-*/<id>/stderr) and cluster.env
# (MASTER_URL, MASTER_UI, WORKER_UIS, SPARK_HOME). `stop` ends exactly the JVMs this script started, and
# the executors their Workers started, by PID.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
action="${1:-}"
[[ $# -gt 0 ]] && shift
workers=2
cores=1
memory=1g
default_dir="${L1NET_CLUSTER_DIR:-$root/runs/local-cluster}"
dir="$default_dir"
start_timeout=120

usage() {
  sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
  exit "${1:-2}"
}
fail() {
  echo "local-cluster: $*" >&2
  exit 1
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --workers) workers="${2:?--workers needs a number}"; shift 2 ;;
    --cores) cores="${2:?--cores needs a number}"; shift 2 ;;
    --memory) memory="${2:?--memory needs a size such as 1g}"; shift 2 ;;
    --dir) dir="${2:?--dir needs a folder}"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "local-cluster: unknown option '$1'" >&2; usage ;;
  esac
done
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || fail "--workers must be a positive whole number, got '$workers'"
[[ "$cores" =~ ^[1-9][0-9]*$ ]] || fail "--cores must be a positive whole number, got '$cores'"
[[ "$memory" =~ ^[1-9][0-9]*[mMgG]$ ]] || fail "--memory must look like 512m or 1g, got '$memory'"
case "$action" in
  start|stop|status|spark-home) ;;
  -h|--help|help) usage 0 ;;
  *) usage ;;
esac
if [[ "$action" == start ]]; then
  mkdir -p "$dir"
elif [[ ! -d "$dir" ]]; then
  echo "no cluster recorded in $dir"
  [[ "$action" == status ]] && exit 3
  [[ "$action" == stop ]] && exit 0
fi
[[ ! -d "$dir" ]] || dir="$(cd "$dir" && pwd)"
[[ "$dir" != *[[:space:]]* ]] || fail "the run folder must not contain spaces: '$dir'"

# Everything binds to loopback: the daemons' RPC and web UIs, the executors, and a driver started with
# these variables. SPARK_LOCAL_HOSTNAME makes every advertised address 127.0.0.1 too.
export SPARK_LOCAL_IP=127.0.0.1
export SPARK_LOCAL_HOSTNAME=127.0.0.1
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"

# The Spark installation: $SPARK_HOME, or target/spark-home built from Maven Central jars.
resolve_spark_home() {
  if [[ -n "${SPARK_HOME:-}" ]]; then
    [[ -x "$SPARK_HOME/bin/spark-class" ]] || fail "SPARK_HOME=$SPARK_HOME has no bin/spark-class"
    return
  fi
  local home="$root/target/spark-home" version
  version="$(sed -n 's#.*<spark.version>\(.*\)</spark.version>.*#\1#p' "$root/pom.xml" | head -1)"
  # `mvn -Pcluster verify` copies the jars too; copy them here only when this Spark version is missing.
  if ! compgen -G "$home/jars/spark-core_2.13-$version.jar" > /dev/null; then
    echo "local-cluster: assembling Spark $version from Maven jars in $home ..." >&2
    rm -rf "$home/jars"
    (cd "$root" && mvn -B -q -Pcluster dependency:copy-dependencies@spark-home) >&2 \
      || fail "Maven could not copy Spark's jars (see above)"
  fi
  mkdir -p "$home/bin" "$home/conf"
  cp -p "$root"/submit/spark-home/bin/* "$home/bin/"
  export SPARK_HOME="$home"
}

# Ports that nothing listens on now (from /proc/net/tcp*, no tools needed), none handed out twice.
declare -A taken=()
listening_ports() {
  local file sl local_address remote state rest
  for file in /proc/net/tcp /proc/net/tcp6; do
    [[ -r "$file" ]] || continue
    # Columns: sl local_address rem_address st ...; st 0A is LISTEN; the port is hex after the last colon.
    while read -r sl local_address remote state rest; do
      [[ "$state" == 0A ]] && echo $(( 16#${local_address##*:} ))
    done < <(tail -n +2 "$file")
  done
}
# Sets $port to a port that is neither listening nor handed out before (no subshell: $taken must persist).
pick_port() {
  while true; do
    port=$(( 20000 + RANDOM % 40000 ))
    [[ -z "${taken[$port]:-}" ]] && break
  done
  taken[$port]=1
}

accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# GET a page from a web UI on 127.0.0.1 over bash's /dev/tcp (curl may not be installed).
http_get() {
  local port="$1" path="$2"
  timeout 10 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" "$1" >&3
    cat <&3' "$port" "$path" 2>/dev/null
}

alive_workers() {
  http_get "$1" /json/ | sed -n 's/.*"aliveworkers" *: *\([0-9]*\).*/\1/p' | head -1
}

# True when PID is alive and is one of this run folder's JVMs (a PID can be reused after a crash).
ours() {
  local pid="$1"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -F -- "-Dl1net.cluster.dir=$dir "
}

children_of() {
  local parent="$1" stat line rest
  for stat in /proc/[0-9]*/stat; do
    line="$(cat "$stat" 2>/dev/null)" || continue
    rest="${line##*) }"   # after "pid (comm) ": state ppid ...
    set -- $rest
    if [[ "${2:-}" == "$parent" ]]; then
      stat="${stat#/proc/}"
      echo "${stat%/stat}"
    fi
  done
}

# TERM, then KILL after a grace period; only for PIDs that are still what we think they are.
end_process() {
  local pid="$1" name="$2" waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && (( waited < 150 )); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "local-cluster: $name (pid $pid) ignored TERM for 15 s; sending KILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

read_pid() { [[ -f "$dir/$1.pid" ]] && cat "$dir/$1.pid" || true; }

stop_cluster() {
  local found=0 pidfile name pid executor
  local executors=()
  for pidfile in "$dir"/worker-*.pid; do
    [[ -f "$pidfile" ]] || continue
    found=1
    name="$(basename "$pidfile" .pid)"
    pid="$(cat "$pidfile")"
    if ours "$pid"; then
      # A Worker ends its executors when it is stopped; remember them in case one outlives it.
      for executor in $(children_of "$pid"); do executors+=("$executor"); done
      end_process "$pid" "$name"
      echo "stopped $name (pid $pid)"
    fi
    rm -f "$pidfile"
  done
  for executor in "${executors[@]}"; do
    # An executor runs in its Worker's work dir: that is how we know it is still the same process.
    if [[ "$(readlink "/proc/$executor/cwd" 2>/dev/null)" == "$dir"/worker-* ]]; then
      end_process "$executor" "executor"
      echo "stopped executor (pid $executor)"
    fi
  done
  pid="$(read_pid master)"
  if [[ -n "$pid" ]]; then
    found=1
    if ours "$pid"; then
      end_process "$pid" master
      echo "stopped master (pid $pid)"
    fi
    rm -f "$dir/master.pid"
  fi
  [[ $found -eq 1 ]] || echo "local-cluster: no cluster recorded in $dir"
}

# Starts one daemon through bin/spark-class (which execs the JVM, so $! is the JVM's PID).
start_daemon() {
  local name="$1"
  shift
  SPARK_DAEMON_MEMORY=256m \
  SPARK_DAEMON_JAVA_OPTS="-Dl1net.cluster.dir=$dir -XX:TieredStopAtLevel=1 -Dspark.master.rest.enabled=false" \
    nohup "$SPARK_HOME/bin/spark-class" "$@" > "$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}

startup_failed() {
  echo "local-cluster: $1; last lines of $dir/$2.log:" >&2
  tail -n 20 "$dir/$2.log" >&2 || true
  stop_cluster >&2
  exit 1
}

start_cluster() {
  local pid
  pid="$(read_pid master)"
  if ours "$pid"; then
    fail "a cluster is already running from $dir (master pid $pid); run: $0 stop --dir $dir"
  fi
  stop_cluster > /dev/null   # leftovers of a cluster that died: clear its PID files
  resolve_spark_home
  local core_jar
  core_jar="$(ls "$SPARK_HOME"/jars/spark-core_2.13-*.jar 2>/dev/null | head -1)"
  [[ -n "$core_jar" ]] || fail "$SPARK_HOME/jars has no spark-core_2.13 jar (this job needs Spark 4 for Scala 2.13)"
  mkdir -p "$dir/local"
  export SPARK_LOCAL_DIRS="$dir/local"
  local started=$SECONDS

  local port master_port master_ui
  for port in $(listening_ports); do taken[$port]=1; done
  pick_port; master_port=$port
  pick_port; master_ui=$port
  start_daemon master org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui"
  # Workers that find no Master back off for 5-15 s: start them once the Master accepts connections.
  until accepts "$master_port"; do
    kill -0 "$(read_pid master)" 2>/dev/null || startup_failed "the master exited" master
    (( SECONDS - started < start_timeout )) || startup_failed "the master did not open port $master_port" master
    sleep 0.2
  done

  local i worker_uis=()
  for i in $(seq 1 "$workers"); do
    local worker_port worker_ui
    pick_port; worker_port=$port
    pick_port; worker_ui=$port
    mkdir -p "$dir/worker-$i/work"
    start_daemon "worker-$i" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --port "$worker_port" --webui-port "$worker_ui" \
      --cores "$cores" --memory "$memory" --work-dir "$dir/worker-$i/work" \
      "spark://127.0.0.1:$master_port"
    worker_uis+=("http://127.0.0.1:$worker_ui")
  done

  until [[ "$(alive_workers "$master_ui")" == "$workers" ]]; do
    for i in $(seq 1 "$workers"); do
      kill -0 "$(read_pid "worker-$i")" 2>/dev/null || startup_failed "worker-$i exited" "worker-$i"
    done
    kill -0 "$(read_pid master)" 2>/dev/null || startup_failed "the master exited" master
    (( SECONDS - started < start_timeout )) \
      || startup_failed "only $(alive_workers "$master_ui") of $workers workers registered in ${start_timeout}s" master
    sleep 0.3
  done

  {
    echo "MASTER_URL=spark://127.0.0.1:$master_port"
    echo "MASTER_UI=http://127.0.0.1:$master_ui"
    echo "WORKER_UIS=${worker_uis[*]}"
    echo "SPARK_HOME=$SPARK_HOME"
    echo "RUN_DIR=$dir"
  } > "$dir/cluster.env"
  echo "local cluster up in $((SECONDS - started))s: master spark://127.0.0.1:$master_port" \
    "(UI http://127.0.0.1:$master_ui), $workers workers x $cores core(s), $memory each"
  echo "Spark: $SPARK_HOME"
  echo "run folder: $dir (PIDs, logs, work dirs, cluster.env)"
  echo "submit: SPARK_HOME=$SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 submit/spark-submit.sh" \
    "--master spark://127.0.0.1:$master_port --executor-memory 512m --executor-cores $cores" \
    "train --train file://$root/sample-data/train.csv --out runs/cluster-demo"
  echo "stop: $0 stop$([[ "$dir" == "$default_dir" ]] || echo " --dir $dir")"
}

status_cluster() {
  local pidfile name pid up=0 down=0
  for pidfile in "$dir"/master.pid "$dir"/worker-*.pid; do
    [[ -f "$pidfile" ]] || continue
    name="$(basename "$pidfile" .pid)"
    pid="$(cat "$pidfile")"
    if ours "$pid"; then
      local executors
      executors="$(children_of "$pid" | tr '\n' ' ')"
      echo "$name: running (pid $pid)${executors:+, executor pids $executors}"
      up=$((up + 1))
    else
      echo "$name: not running (pid $pid recorded)"
      down=$((down + 1))
    fi
  done
  if (( up + down == 0 )); then
    echo "no cluster recorded in $dir"
    exit 3
  fi
  if [[ -f "$dir/cluster.env" ]]; then
    grep -E '^(MASTER_URL|MASTER_UI)=' "$dir/cluster.env"
    local ui
    ui="$(sed -n 's#^MASTER_UI=http://127.0.0.1:##p' "$dir/cluster.env")"
    if [[ -n "$ui" ]] && (( up > 0 )); then
      echo "alive workers (master's view): $(alive_workers "$ui")"
    fi
  fi
  (( down == 0 )) || exit 1
}

case "$action" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  status) status_cluster ;;
  spark-home) resolve_spark_home; echo "$SPARK_HOME" ;;
  *) usage ;;
esac

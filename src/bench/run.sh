#!/usr/bin/env bash
# make bench: redis-benchmark against redis-server and Basalt in the same run, printed as ratios.
# Environment: BENCH_N (requests per test, default 100000), BENCH_C (clients, default 50),
# BENCH_TESTS (redis-benchmark -t list), JAVA (java >= 21).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${BENCH_N:-100000}
C=${BENCH_C:-50}
TESTS=${BENCH_TESTS:-set,get,incr,lpush,lpop,sadd,hset,zadd,lrange_100}
JAVA=${JAVA:-java}
REDIS_PORT=${REDIS_PORT:-16379}
BASALT_PORT=${BASALT_PORT:-16666}
command -v redis-benchmark >/dev/null || { echo "redis-benchmark not found: apt-get install redis-tools redis-server" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server not found: apt-get install redis-server" >&2; exit 1; }

work=$(mktemp -d)
cleanup() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  redis-cli -p "$BASALT_PORT" shutdown >/dev/null 2>&1 || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes --dir "$work" >/dev/null
"$JAVA" -jar target/basalt.jar --port "$BASALT_PORT" --dir "$work/basalt" --log-level warning >"$work/basalt.log" 2>&1 &
for _ in $(seq 1 100); do
  redis-cli -p "$BASALT_PORT" ping >/dev/null 2>&1 && redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.2
done

run() { # port -> "test,rps" lines
  redis-benchmark -p "$1" -t "$TESTS" -n "$N" -c "$C" -q --csv 2>/dev/null \
    | tail -n +2 | awk -F'","' '{gsub(/"/,""); split($0,f,","); print f[1] "," f[2]}'
}

echo "redis-benchmark -t $TESTS -n $N -c $C (requests per second)"
redis_out=$(run "$REDIS_PORT")
basalt_out=$(run "$BASALT_PORT")
printf '%-38s %10s %10s %8s\n' test redis basalt ratio
join -t, <(sort <<<"$redis_out") <(sort <<<"$basalt_out") | while IFS=, read -r name r b; do
  awk -v n="$name" -v r="$r" -v b="$b" 'BEGIN { printf "%-38s %10.0f %10.0f %7.2fx\n", n, r, b, (r > 0 ? b / r : 0) }'
done

if [ -d target/test-classes ]; then
  echo
  echo "MULTI + 10 SETs + EXEC vs the same 10 SETs pipelined (transactions per second, Basalt):"
  "$JAVA" -cp target/test-classes dev.basalt.bench.TxnThroughput 127.0.0.1 "$BASALT_PORT" "$C" 20000
  echo "same against redis-server:"
  "$JAVA" -cp target/test-classes dev.basalt.bench.TxnThroughput 127.0.0.1 "$REDIS_PORT" "$C" 20000
fi

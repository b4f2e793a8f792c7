#!/usr/bin/env bash
# make bench: redis-benchmark against redis-server and Basalt in the same run, printed as ratios, plus
# the engine's in-process ceiling, a redis-cli --pipe load, memory per idle connection, and MULTI/EXEC.
# Environment: BENCH_N (requests per row, default 100000), BENCH_C (clients, default 50),
# BENCH_REPEAT (runs of the noisy one-client rows, median printed; default 3), BENCH_IDLE (idle
# connections for the memory row, default 5000), BENCH_SUBS (subscribers of the largest PUBLISH row, default 10000), BENCH_ROWS (a grep pattern to run only some rows),
# JAVA (java >= 21), BASALT_OPTS (extra JVM flags for Basalt, e.g. -Djdk.virtualThreadScheduler.parallelism=2),
# BASALT_JAR (another build to measure; default target/basalt.jar).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${BENCH_N:-100000}
C=${BENCH_C:-50}
REPEAT=${BENCH_REPEAT:-3}
IDLE=${BENCH_IDLE:-5000}
ROWS=${BENCH_ROWS:-.}
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
ulimit -n 65536 2>/dev/null || true

redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes --dir "$work" \
  --pidfile "$work/redis.pid" --maxclients 20000 >/dev/null
"$JAVA" ${BASALT_OPTS:-} -jar ${BASALT_JAR:-target/basalt.jar} --port "$BASALT_PORT" --dir "$work/basalt" --log-level warning --maxclients 20000 >"$work/basalt.log" 2>&1 &
basalt_pid=$!
for _ in $(seq 1 100); do
  redis-cli -p "$BASALT_PORT" ping >/dev/null 2>&1 && redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.2
done
redis_pid=$(cat "$work/redis.pid")

rps() { # port, redis-benchmark arguments... -> requests per second of the (last) test
  local port=$1; shift
  redis-benchmark -p "$port" -q --csv "$@" 2>/dev/null | tail -n 1 | awk -F'","' '{gsub(/"/,""); split($0,f,","); print f[2]}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
row() { # name, repeats, redis-benchmark arguments...
  local name=$1 times=$2; shift 2
  grep -qE "$ROWS" <<<"$name" || return 0
  local r b
  r=$(for _ in $(seq 1 "$times"); do rps "$REDIS_PORT" "$@"; done | median)
  b=$(for _ in $(seq 1 "$times"); do rps "$BASALT_PORT" "$@"; done | median)
  awk -v n="$name" -v r="$r" -v b="$b" 'BEGIN { printf "%-34s %10.0f %10.0f %7.2fx\n", n, r, b, (r > 0 ? b / r : 0) }'
}

# Both servers get the same short warm-up on a thousand keys, then are emptied: Basalt's rows measure
# compiled code rather than the JIT at work, on a keyspace as small as a new server's.
for port in "$REDIS_PORT" "$BASALT_PORT"; do
  redis-benchmark -p "$port" -q -t set,get,incr,lpush,hset,mset,lrange_100 -n 30000 -c "$C" -r 1000 >/dev/null 2>&1
  redis-cli -p "$port" flushall >/dev/null
done

echo "requests per second, $N requests per row, $C clients unless said (median of $REPEAT runs for -c 1),"
echo "after the same short warm-up on both servers (then FLUSHALL)"
printf '%-34s %10s %10s %8s\n' row redis basalt ratio
row "GET one key"              1 -t get -n "$N" -c "$C"
row "GET random"               1 -t get -n "$N" -c "$C" -r 1000000
row "SET one key"              1 -t set -n "$N" -c "$C"
row "INCR one key"             1 -t incr -n "$N" -c "$C"
row "LPUSH one key"            1 -t lpush -n "$N" -c "$C"
row "HSET one key"             1 -t hset -n "$N" -c "$C"
row "SET random"               1 -t set -n "$N" -c "$C" -r 1000000
row "SET -P 16 one key"        1 -t set -n "$N" -c "$C" -P 16
row "SET -P 16 random"         1 -t set -n "$N" -c "$C" -P 16 -r 1000000
row "GET -P 16 random"         1 -t get -n "$N" -c "$C" -P 16 -r 1000000
row "SET -c 1"                 "$REPEAT" -t set -n "$((N / 5))" -c 1
row "GET -c 1"                 "$REPEAT" -t get -n "$((N / 5))" -c 1
row "MSET 10 keys random"      1 -t mset -n "$N" -c "$C" -r 1000000
row "SET 4 KiB random"         1 -t set -n "$N" -c "$C" -r 1000000 -d 4096
row "LRANGE_100"               1 -t lrange_100 -n "$N" -c "$C"
row "XADD one stream"          1 -n "$N" -c "$C" XADD bench:stream '*' f v
# A script of three calls (INCR, GET, EXPIRE) on a random key, loaded into both servers.
script="redis.call('incr', KEYS[1]) redis.call('get', KEYS[1]) return redis.call('expire', KEYS[1], 100)"
sha=""
if grep -qE "$ROWS" <<<"EVALSHA 3 calls random"; then
  for port in "$REDIS_PORT" "$BASALT_PORT"; do sha=$(redis-cli -p "$port" SCRIPT LOAD "$script"); done
fi
row "EVALSHA 3 calls random"   1 -n "$N" -c "$C" -r 1000000 EVALSHA "$sha" 1 bench:__rand_int__
if grep -qE "$ROWS" <<<"XREADGROUP COUNT 1"; then # each server gets N entries to read and a group on them
  for port in "$REDIS_PORT" "$BASALT_PORT"; do
    redis-benchmark -p "$port" -q -n "$N" -c "$C" XADD bench:queue '*' f v >/dev/null 2>&1
    redis-cli -p "$port" XGROUP CREATE bench:queue g 0 >/dev/null
  done
fi
row "XREADGROUP COUNT 1"       1 -n "$N" -c "$C" XREADGROUP GROUP g c COUNT 1 STREAMS bench:queue '>'

# Bitmaps, HyperLogLog and geo. Random offsets and coordinates come from CommandRate (a Java client doing what
# redis-benchmark does), since Redis refuses __rand_int__'s zero-padded numbers as offsets; the data a row reads
# is loaded into both servers first.
jrow() { # name, CommandRate arguments after the port: clients requests command...
  local name=$1; shift
  grep -qE "$ROWS" <<<"$name" && [ -d target/test-classes ] || return 0
  local r b
  r=$("$JAVA" -cp target/test-classes dev.basalt.bench.CommandRate "$REDIS_PORT" "$@")
  b=$("$JAVA" -cp target/test-classes dev.basalt.bench.CommandRate "$BASALT_PORT" "$@")
  awk -v n="$name" -v r="$r" -v b="$b" 'BEGIN { printf "%-34s %10.0f %10.0f %7.2fx\n", n, r, b, (r > 0 ? b / r : 0) }'
}
if grep -qE "$ROWS" <<<"SETBIT random offset (1 MB), BITCOUNT of a 1 MB bitmap"; then # both 1 MB long
  for port in "$REDIS_PORT" "$BASALT_PORT"; do redis-cli -p "$port" SETBIT bench:bits 8388607 1 >/dev/null; done
fi
jrow "SETBIT random offset (1 MB)"    "$C" "$N" SETBIT bench:bits "{rand:8388608}" 1
row "BITCOUNT of a 1 MB bitmap"       1 -n "$((N / 10))" -c "$C" BITCOUNT bench:bits
row "PFADD random"                    1 -n "$N" -c "$C" -r 1000000 PFADD bench:hll __rand_int__
if grep -qE "$ROWS" <<<"PFCOUNT"; then
  for k in hll hll2 hll3; do
    for port in "$REDIS_PORT" "$BASALT_PORT"; do
      redis-benchmark -p "$port" -q -n 20000 -c "$C" -r 1000000 PFADD "bench:$k" __rand_int__ >/dev/null 2>&1
    done
  done
fi
row "PFCOUNT of 3 keys"               1 -n "$N" -c "$C" PFCOUNT bench:hll bench:hll2 bench:hll3
jrow "GEOADD random"                  "$C" "$N" GEOADD bench:geo "{real:10:20}" "{real:40:50}" "{rand:1000000}"
if grep -qE "$ROWS" <<<"GEOSEARCH"; then
  awk 'BEGIN { srand(12); for (i = 0; i < 100000; i++) printf "GEOADD bench:geo100k %.6f %.6f m%d\r\n", 10 + rand() * 10, 40 + rand() * 10, i }' >"$work/geo.txt"
  for port in "$REDIS_PORT" "$BASALT_PORT"; do redis-cli -p "$port" --pipe <"$work/geo.txt" >/dev/null; done
fi
jrow "GEOSEARCH BYRADIUS 10 km, 100k"  "$C" "$((N / 10))" GEOSEARCH bench:geo100k FROMLONLAT "{real:11:19}" "{real:41:49}" BYRADIUS 10 km ASC

if grep -qE "$ROWS" <<<"pipe"; then
  echo
  echo "redis-cli --pipe, 100000 SETs (seconds):"
  for i in $(seq 1 100000); do printf 'SET pipe:%s v\r\n' "$i"; done >"$work/pipe.txt"
  for port in "$REDIS_PORT" "$BASALT_PORT"; do
    start=$(date +%s.%N)
    redis-cli -p "$port" --pipe <"$work/pipe.txt" >/dev/null
    end=$(date +%s.%N)
    awk -v p="$port" -v r="$REDIS_PORT" -v s="$start" -v e="$end" 'BEGIN { printf "  %-8s %6.2f s\n", (p == r ? "redis" : "basalt"), e - s }'
  done
fi

if [ -d target/test-classes ]; then
  CP="target/test-classes:target/classes:$(ls ~/.m2/repository/org/rocksdb/rocksdbjni/*/rocksdbjni-*.jar | head -n 1)"
  if grep -qE "$ROWS" <<<"idle"; then
    echo
    echo "resident memory per idle connection, $IDLE connections (KB):"
    printf '  redis  %s\n' "$("$JAVA" -cp target/test-classes dev.basalt.bench.IdleConnections "$REDIS_PORT" "$redis_pid" "$IDLE")"
    printf '  basalt %s\n' "$("$JAVA" -cp target/test-classes dev.basalt.bench.IdleConnections "$BASALT_PORT" "$basalt_pid" "$IDLE")"
  fi
  if grep -qE "$ROWS" <<<"publish"; then
    echo
    echo "PUBLISH fan-out, one pipelining publisher (publishes/s, deliveries/s; server resident KB per"
    echo "subscriber once subscribed and after the deliveries, shown from 100 subscribers up):"
    for spec in "1 200000" "100 20000" "${BENCH_SUBS:-10000} 300"; do
      set -- $spec
      for p in "$REDIS_PORT:redis:$redis_pid" "$BASALT_PORT:basalt:$basalt_pid"; do
        IFS=: read -r port name pid <<<"$p"
        printf '  %6s subscribers %-7s %s\n' "$1" "$name" \
          "$("$JAVA" -cp target/test-classes dev.basalt.bench.PublishFanout "$port" "$1" "$2" "$pid" \
            | awk -v subs="$1" '{ printf "%10.0f %10.0f", $1, $2; if (subs >= 100) printf " %6.1f %6.1f", $3, $4 }')"
      done
    done
  fi
  if grep -qE "$ROWS" <<<"ceiling"; then
    echo
    echo "engine ceiling: Basalt's storage path in-process, one thread per core, random keys (ops per second):"
    ceiling=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" dev.basalt.bench.EngineCeiling "$work/ceiling" 2000000)
    set_ceiling=$(awk -F, '$1=="SET"{print $2}' <<<"$ceiling")
    get_ceiling=$(awk -F, '$1=="GET"{print $2}' <<<"$ceiling")
    set_b=$(rps "$BASALT_PORT" -t set -n "$N" -c "$C" -r 1000000)
    get_b=$(rps "$BASALT_PORT" -t get -n "$N" -c "$C" -r 1000000)
    awk -v sc="$set_ceiling" -v gc="$get_ceiling" -v sb="$set_b" -v gb="$get_b" 'BEGIN {
      printf "  %-22s %10.0f   Basalt SET random over the network: %8.0f (%.2f of the ceiling)\n", "RocksDB put loop", sc, sb, sb / sc
      printf "  %-22s %10.0f   Basalt GET random over the network: %8.0f (%.2f of the ceiling)\n", "RocksDB get loop", gc, gb, gb / gc }'
  fi
  if grep -qE "$ROWS" <<<"multi"; then
    echo
    echo "MULTI + 10 SETs + EXEC vs the same 10 SETs pipelined (transactions per second, Basalt):"
    "$JAVA" -cp target/test-classes dev.basalt.bench.TxnThroughput 127.0.0.1 "$BASALT_PORT" "$C" 20000
    echo "same against redis-server:"
    "$JAVA" -cp target/test-classes dev.basalt.bench.TxnThroughput 127.0.0.1 "$REDIS_PORT" "$C" 20000
  fi
fi

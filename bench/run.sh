#!/usr/bin/env bash
# Benchmark cartd's hot paths with wrk against the release binary on loopback.
#
#   bench/run.sh                 # GET cart (3-line cart) and durable add-item at 8 and 32 connections
#   DURATION=30 bench/run.sh     # longer runs
#
# Prints requests/s, p50 and p99 for each case. Also runs add-item with a no-op Lua filter
# on cocart_cart_contents to show the hook overhead. Needs wrk (installed with apt-get if
# missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
PORT=${PORT:-18181}
THREADS=${THREADS:-2}
# Demo catalog products: three simple products for the cart, one for add-item.
CART_PRODUCTS=${CART_PRODUCTS:-"101 105 107"}
ADD_PRODUCT=${ADD_PRODUCT:-101}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is needed (apt-get install wrk)" >&2; exit 1
  fi
fi

cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

start() { # start [extra env...]
  env "$@" CARTD_LOG__LEVEL=warn ./target/release/cartd serve --listen "127.0.0.1:$PORT" --data "$work/bench-$RANDOM.redb" &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/wp-json/cartd/v1/health" >/dev/null && return; sleep 0.1; done
  echo "cartd did not start" >&2; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

base="http://127.0.0.1:$PORT/wp-json/cocart/v2"

report() { # report NAME  (reads wrk --latency output on stdin)
  awk -v name="$1" '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2}
    /^ +99%/ {p99=$2}
    END {printf "%-44s %10s req/s   p50 %8s   p99 %8s\n", name, rps, p50, p99}'
}

cat > "$work/add-item.lua" <<LUA
-- Each request adds one unit to one of 256 carts per thread, so requests on different
-- carts run in parallel while every add is a durable write.
local counter = 0
request = function()
  counter = counter + 1
  local key = string.format("bench%d-%d", math.random(1, 1000000), counter % 256)
  return wrk.format("POST", "/wp-json/cocart/v2/cart/add-item?cart_key=" .. key,
    {["Content-Type"] = "application/json"}, '{"id":"$ADD_PRODUCT","quantity":"1"}')
end
LUA

run_cases() { # run_cases LABEL
  key=bench-cart
  for id in $CART_PRODUCTS; do
    curl -sf -o /dev/null -X POST "$base/cart/add-item?cart_key=$key" -H 'Content-Type: application/json' -d "{\"id\":\"$id\",\"quantity\":\"1\"}"
  done
  for c in 8 32; do
    wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency -H "Cart-Key: $key" "$base/cart" | report "GET cart (3 lines) c=$c $1"
  done
  for c in 8 32; do
    wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency -s "$work/add-item.lua" "$base/cart/add-item" | report "POST add-item (durable) c=$c $1"
  done
}

echo "cartd $(./target/release/cartd --version | cut -d' ' -f2-), wrk ${THREADS} threads, ${DURATION}s per case, $(nproc) cores"
start
run_cases ""
stop

mkdir -p "$work/hooks"
cat > "$work/hooks/noop.lua" <<'LUA'
cocart.add_filter("cocart_cart_contents", function(contents) return contents end)
LUA
start CARTD_HOOKS__DIR="$work/hooks" CARTD_HOOKS__SCRIPTS='["noop.lua"]'
key=bench-cart
wrk -t"$THREADS" -c32 -d"${DURATION}s" --latency -s "$work/add-item.lua" "$base/cart/add-item" | report "POST add-item c=32 with a no-op Lua filter"
stop

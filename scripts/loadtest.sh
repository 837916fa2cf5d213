#!/usr/bin/env bash
# HTTP load test of the single-organisation graph routes with wrk, on loopback only.
#
#   scripts/loadtest.sh [SCALE]        # SCALE defaults to $KP_BENCH_SCALE, else 1
#
# Uses (or generates) the data set of the benches, target/bench-data/scale-<S>.db, serves
# a copy of it with the release binary on 127.0.0.1 at a free port, and runs wrk against
# each route in turn. Settings: DURATION (10s), CONNECTIONS (2), THREADS (1), SAMPLE
# (how many organisations the requests rotate over, 200, at most 500).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${1:-${KP_BENCH_SCALE:-1}}
# Name the file as the bench does (Rust's float formatting: 1.0 -> 1, 0.250 -> 0.25).
scale=$(printf '%s' "$scale" | sed -E 's/(\.[0-9]*[1-9])0+$/\1/; s/\.0*$//')
duration=${DURATION:-10s}
connections=${CONNECTIONS:-2}
threads=${THREADS:-1}
sample=${SAMPLE:-200}
bin=target/release/knotenpunkt
db=target/bench-data/scale-$scale.db

if ! command -v wrk >/dev/null; then
    echo "wrk is missing; installing it (apt-get install -y wrk)" >&2
    apt-get install -y wrk >/dev/null
fi
for tool in curl jq python3; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done

cargo build --release --bin knotenpunkt
if [[ ! -f $db ]]; then
    echo "generating the data set at scale $scale into $db (once)" >&2
    mkdir -p "$(dirname "$db")"
    partial=target/bench-data/scale-$scale.partial.db
    rm -f "$partial" "$partial-wal" "$partial-shm"
    DATABASE_URL=$partial "$bin" generate --scale "$scale"
    mv "$partial" "$db"
fi

work=$(mktemp -d)
server=
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
cp "$db" "$work/kp.db"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

ROCKET_ADDRESS=127.0.0.1 ROCKET_PORT=$port ROCKET_LOG_LEVEL=critical \
    ROCKET_DATA_DIR=$work ROCKET_SEED_ON_EMPTY=false DATABASE_URL=$work/kp.db \
    "$bin" serve >"$work/server.log" 2>&1 &
server=$!
started=$(date +%s.%N)
until curl -sf "$base/api/v1/organisations?limit=1" >/dev/null; do
    if ! kill -0 "$server" 2>/dev/null; then
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 0.2
done
echo "server ready on $base after $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $started}") s (the snapshot is built at start)"

# Request paths, one a line: the routes rotate over $sample self-organisations.
curl -sf "$base/api/v1/organisations?kind=migrant_organisation&limit=$sample" |
    jq -r '.items[].id' >"$work/ids"
echo "$(wc -l <"$work/ids") organisations in the rotation"
sed 's|^|/api/v1/overlaps/staff?organisation=|' "$work/ids" >"$work/staff"
sed 's|^|/api/v1/overlaps/funding?organisation=|' "$work/ids" >"$work/funding"
sed 's|^|/api/v1/dependencies/|' "$work/ids" >"$work/dependencies"
echo '/api/v1/tandem?city=Stadt%20000' >"$work/tandem_largest_city"
cities=$(curl -sf "$base/api/v1/organisations?kind=municipality&limit=500" | jq -r '.items[].city')
printf '%s\n' "$cities" | sed 's| |%20|g; s|^|/api/v1/tandem?city=|' >"$work/tandem_any_city"

cat >"$work/rotate.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("KP_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
LUA

printf '\nwrk -t%s -c%s -d%s --latency, %s\n' "$threads" "$connections" "$duration" "$(nproc) cores shared by server and wrk"
printf '%-28s %10s %10s %10s %10s %8s\n' route requests/s p50 p90 p99 errors
for name in staff funding dependencies tandem_largest_city tandem_any_city; do
    first=$(head -1 "$work/$name")
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base$first")
    [[ $code == 200 ]] || { echo "$first answered $code" >&2; exit 1; }
    KP_PATHS=$work/$name wrk -t"$threads" -c"$connections" -d"$duration" --latency \
        -s "$work/rotate.lua" "$base" >"$work/$name.out"
    out=$work/$name.out
    errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {n += 1} END {print n + 0}' "$out")
    printf '%-28s %10s %10s %10s %10s %8s\n' "$name" \
        "$(awk '/Requests\/sec/ {print $2}' "$out")" \
        "$(awk '$1 == "50%" {print $2}' "$out")" \
        "$(awk '$1 == "90%" {print $2}' "$out")" \
        "$(awk '$1 == "99%" {print $2}' "$out")" "$errors"
done

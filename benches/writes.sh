#!/usr/bin/env bash
# Writes made visible (benches/README.md, "Writes as deltas"): on a copy of the generated
# scale-S registry (target/bench-data/scale-S.db, written as benches/first_picture.sh
# does), the release server takes N writes (an organisation, then a relation from it to
# the one before), and each is looked for at once in the graph (`/api/v1/graph?focus=`):
#   - on the writing instance: the write's answer time, and whether the read right after
#     it saw the write (read-your-writes);
#   - on a second instance on the same file: the time from the write's answer until it
#     shows the write (it follows the change log);
#   - RSS of both after start and after the N writes.
# With OLD_BIN=path, the same is measured for an older binary in the same run, on its
# own copy of the data. Not in CI.
#   benches/writes.sh [scale=1] [writes=100]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scale="${1:-1}"
writes="${2:-100}"
bin="${KNOTENPUNKT_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/knotenpunkt-release}/release/knotenpunkt}"
[ -x "$bin" ] || { echo "build first: cargo build --release (or set KNOTENPUNKT_BIN)"; exit 1; }
data="$root/target/bench-data"
db="$data/scale-$scale.db"
if [ ! -f "$db" ]; then
  mkdir -p "$data"
  partial="$data/scale-$scale.partial.db"
  rm -f "$partial" "$partial-wal" "$partial-shm"
  DATABASE_URL="$partial" ROCKET_DATA_DIR="$(mktemp -d)" "$bin" generate --scale "$scale"
  mv "$partial" "$db"
  rm -f "$partial-wal" "$partial-shm"
fi
work="$(mktemp -d /dev/shm/kp-writes.XXXXXX)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run() { # run LABEL BINARY
  local label="$1" b="$2" copy="$work/$1.db"
  cp "$db" "$copy"
  DATABASE_URL="$copy" "$b" migrate >/dev/null
  local token
  token=$(DATABASE_URL="$copy" "$b" user add "bench-$label-$RANDOM" --role editor | grep -o 'kp_[A-Za-z0-9_-]*' | head -1)
  local pids=()
  for port in 18801 18802; do
    DATABASE_URL="$copy" ROCKET_PORT=$port ROCKET_ADDRESS=127.0.0.1 ROCKET_SEED_ON_EMPTY=false \
      ROCKET_LOG_LEVEL=critical ROCKET_DATA_DIR="$work" "$b" >"$work/$label-$port.log" 2>&1 &
    pids+=($!)
  done
  python3 "$root/benches/writes.py" "$label" "$token" "$writes" "${pids[0]}" "${pids[1]}"
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
}

echo "scale $scale, $writes writes; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
run new "$bin"
if [ -n "${OLD_BIN:-}" ]; then run old "$OLD_BIN"; fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

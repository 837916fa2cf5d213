#!/usr/bin/env bash
# Page to first picture in headless Chromium (benches/README.md, "Page to first picture"):
# builds the release server, uses (or writes) the generated data set
# target/bench-data/scale-<S>.db, and runs benches/first_picture.mjs (Node, no npm
# packages), which starts the server afresh for each cold run and reads the page's
# `network-drawn` mark. Needs /usr/bin/chromium and /usr/bin/chromedriver. Not in CI.
#   benches/first_picture.sh [query] [cold runs=5] [warm loads per run=3]
#   KP_BENCH_SCALE=1 (default)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scale="${KP_BENCH_SCALE:-1}"
# ≈ 10,000 nodes at scale 1 (see benches/README.md).
query="${1:-kind=migrant_organisation&as_of=2015}"
runs="${2:-5}"
warm="${3:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/knotenpunkt-target}"
cd "$root"
cargo build --release --locked --bin knotenpunkt
bin="$CARGO_TARGET_DIR/release/knotenpunkt"
data="$root/target/bench-data"
db="$data/scale-$scale.db"
if [ ! -f "$db" ]; then
  # As benches/common/mod.rs writes it: through a temporary name.
  mkdir -p "$data"
  partial="$data/scale-$scale.partial.db"
  rm -f "$partial" "$partial-wal" "$partial-shm"
  DATABASE_URL="$partial" ROCKET_DATA_DIR="$(mktemp -d)" "$bin" generate --scale "$scale"
  mv "$partial" "$db"
  rm -f "$partial-wal" "$partial-shm"
fi
echo "load before: $(uptime)"
node "$root/benches/first_picture.mjs" "$bin" "$db" "$query" "$runs" "$warm"
echo "load after:  $(uptime)"

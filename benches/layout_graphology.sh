#!/usr/bin/env bash
# graphology's ForceAtlas2 on the views written by `cargo bench --bench layout`
# (target/bench-views/*.json): installs graphology and graphology-layout-forceatlas2 with
# npm into a temporary folder (removed afterwards; nothing is written to the repository)
# and runs benches/layout_graphology.mjs there.
#   benches/layout_graphology.sh [iterations=50] [runs=5]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
views="$root/target/bench-views"
if ! ls "$views"/*.json >/dev/null 2>&1; then
  echo "no views in $views: run 'cargo bench --bench layout' first" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --no-save --silent graphology graphology-layout-forceatlas2
version() { node -p "JSON.parse(require('fs').readFileSync('node_modules/$1/package.json')).version"; }
echo "graphology $(version graphology), graphology-layout-forceatlas2 $(version graphology-layout-forceatlas2)"
cp "$root/benches/layout_graphology.mjs" .
node layout_graphology.mjs "$views" "${1:-50}" "${2:-5}"

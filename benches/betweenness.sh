#!/usr/bin/env bash
# Exact betweenness of the whole graph: the background job's algorithm
# (`knotenpunkt betweenness compute`, the code behind `?measure=betweenness&exact=true`)
# beside igraph and rustworkx on the same extracted graph, at 5k and 50k nodes and the
# whole graph, with the values compared (max relative difference, top-20 order).
#
#   benches/betweenness.sh [SCALE]     # default 1; a benchmark, not a test
#
# The graph is written as the centrality routes see it (`knotenpunkt betweenness edges`:
# every node, links undirected, without loops or parallel links). The 5k and 50k graphs
# are the first nodes of a breadth-first walk from the node of highest degree, with the
# links among them. igraph and rustworkx run the whole graph only with PEERS_WHOLE=1 (at
# scale 1 igraph needs about half an hour): otherwise their whole-graph time is
# extrapolated from 50k by n·m (Brandes' running time), and the output says so.
#
# The machine is shared: each of our runs also prints its CPU time, which other
# processes inflate far less than the wall time. KP_BIN_BEFORE=path/to/older/knotenpunkt
# times an older build of ours on the same graphs (and compares its values), for a
# before/after figure from one sitting.
#
# Environment: KP_BIN (default target/release/knotenpunkt, built if missing), KP_BIN_BEFORE,
# KP_BENCH_DIR (default /dev/shm/kp-betweenness), VENV (default /tmp/bench; igraph and
# rustworkx are installed into it from PyPI if missing), PEERS_WHOLE=1, SIZES (default
# "5k 50k whole"), PEERS (default "igraph rustworkx").
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${1:-1}
BIN=${KP_BIN:-target/release/knotenpunkt}
DIR=${KP_BENCH_DIR:-/dev/shm/kp-betweenness}
VENV=${VENV:-/tmp/bench}
mkdir -p "$DIR"

[ -x "$BIN" ] || cargo build --release --locked
DB="$DIR/scale-$SCALE.db"
if [ ! -f "$DB" ]; then
  DATABASE_URL="$DB.partial" "$BIN" migrate
  DATABASE_URL="$DB.partial" "$BIN" generate --scale "$SCALE"
  mv "$DB.partial" "$DB"
fi
if ! "$VENV/bin/python" -c 'import igraph, rustworkx' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q igraph rustworkx
fi

echo "# $(date -u +%FT%TZ), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
DATABASE_URL="$DB" "$BIN" betweenness edges --out "$DIR/whole.txt"

# The 5k and 50k graphs.
"$VENV/bin/python" - "$DIR" <<'PY'
import sys
from collections import deque
d = sys.argv[1]
with open(f"{d}/whole.txt") as f:
    n = int(f.readline())
    edges = [tuple(map(int, line.split())) for line in f if line.strip()]
adj = [[] for _ in range(n)]
for a, b in edges:
    adj[a].append(b)
    adj[b].append(a)
start = max(range(n), key=lambda v: len(adj[v]))
order, seen, queue = [], {start}, deque([start])
while queue:
    v = queue.popleft()
    order.append(v)
    for w in adj[v]:
        if w not in seen:
            seen.add(w)
            queue.append(w)
for size, name in [(5000, "5k"), (50000, "50k")]:
    local = {v: i for i, v in enumerate(order[:size])}
    kept = [(local[a], local[b]) for a, b in edges if a in local and b in local]
    with open(f"{d}/{name}.txt", "w") as out:
        out.write(f"{len(local)}\n")
        out.writelines(f"{min(a, b)} {max(a, b)}\n" for a, b in kept)
PY

# One peer on one graph: its unnormalised betweenness (each pair once) to a file.
peer() { # tool graph-file scores-file
  "$VENV/bin/python" - "$@" <<'PY'
import sys, time
tool, path, out = sys.argv[1:4]
with open(path) as f:
    n = int(f.readline())
    edges = [tuple(map(int, line.split())) for line in f if line.strip()]
if tool == "igraph":
    import igraph
    g = igraph.Graph(n=n, edges=edges)
    t = time.perf_counter()
    scores = g.betweenness(directed=False)
else:
    import rustworkx
    g = rustworkx.PyGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from_no_data(edges)
    t = time.perf_counter()
    found = rustworkx.betweenness_centrality(g, normalized=False)
    scores = [found[i] for i in range(n)]
seconds = time.perf_counter() - t
with open(out, "w") as f:
    f.writelines(f"{x!r}\n" for x in scores)
print(f"{tool}: {seconds:.2f} s")
PY
}

# Max relative difference and top-20 order of two score files.
compare() { # ours peer
  "$VENV/bin/python" - "$@" <<'PY'
import sys
a = [float(x) for x in open(sys.argv[1])]
b = [float(x) for x in open(sys.argv[2])]
assert len(a) == len(b), (len(a), len(b))
rel = max((abs(x - y) / max(abs(x), abs(y)) for x, y in zip(a, b) if max(abs(x), abs(y)) > 0), default=0.0)
top = lambda s: sorted(range(len(s)), key=lambda i: (-round(s[i], 6), i))[:20]
same = sum(1 for i, j in zip(top(a), top(b)) if i == j)
print(f"  values: max relative difference {rel:.2e}; top-20 order: {same}/20 positions equal")
PY
}

links() { awk 'NR > 1' "$1" | wc -l; }
# One run of ours: its own line (the algorithm's wall time), then the process's CPU time.
ours() { # binary graph-file scores-file
  local TIMEFORMAT="  (process: %U s CPU, %R s wall including reading the list)"
  time "$1" betweenness compute "$2" --out "$3"
}
for size in ${SIZES:-5k 50k whole}; do
  f="$DIR/$size.txt"
  echo "## $size: $(head -1 "$f") nodes, $(links "$f") links; load $(cut -d' ' -f1-3 /proc/loadavg)"
  ours "$BIN" "$f" "$DIR/ours-$size.txt"
  if [ -n "${KP_BIN_BEFORE:-}" ]; then
    echo "before ($KP_BIN_BEFORE), load $(cut -d' ' -f1-3 /proc/loadavg):"
    ours "$KP_BIN_BEFORE" "$f" "$DIR/before-$size.txt"
    compare "$DIR/ours-$size.txt" "$DIR/before-$size.txt"
  fi
  for tool in ${PEERS:-igraph rustworkx}; do
    if [ "$size" = whole ] && [ "${PEERS_WHOLE:-0}" != 1 ]; then
      t50=$(grep -h "^$tool:" "$DIR/time-$tool-50k.txt" | awk '{print $2}')
      awk -v t="$t50" -v n1="$(head -1 "$DIR/50k.txt")" -v m1="$(links "$DIR/50k.txt")" \
        -v n2="$(head -1 "$f")" -v m2="$(links "$f")" -v tool="$tool" \
        'BEGIN { printf "%s: ~%.0f s extrapolated from 50k by n·m (%.1f min; not run)\n", tool, t * n2 * m2 / (n1 * m1), t * n2 * m2 / (n1 * m1) / 60 }'
      continue
    fi
    peer "$tool" "$f" "$DIR/$tool-$size.txt" | tee "$DIR/time-$tool-$size.txt"
    compare "$DIR/ours-$size.txt" "$DIR/$tool-$size.txt"
  done
done
echo "# done, load: $(cut -d' ' -f1-3 /proc/loadavg)"

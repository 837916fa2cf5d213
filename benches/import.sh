#!/usr/bin/env bash
# Import speed (benches/README.md, "Import"): N organisation rows (default 100,000) from
# one CSV into an empty SQLite registry — the dry run, then the import — beside what a
# user would do without Knotenpunkt: Python's csv + sqlite3 putting the same rows into a
# plain table of the same file (no checks, no matching, no change log). Medians of RUNS
# runs on /dev/shm; the load average is printed before and after.
#
#   cargo build --release && benches/import.sh 100000 3
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
RUNS="${2:-3}"
BIN="${KNOTENPUNKT_BIN:-${CARGO_TARGET_DIR:-target}/release/knotenpunkt}"
[ -x "$BIN" ] || { echo "build first: cargo build --release (or set KNOTENPUNKT_BIN)"; exit 1; }
WORK="$(mktemp -d /dev/shm/kp-import.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
CSV="$WORK/organisations.csv"

python3 - "$N" "$CSV" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
kinds = ["migrant_organisation", "roma_self_organisation", "religious_community",
         "welfare_organisation", "informal_network"]
purposes = ["culture", "education", "youth", "self_help", "women", "sport"]
with open(path, "w", encoding="utf-8") as f:
    f.write("\ufeffname;kind;city;founded;purposes;member_count_min;website\n")
    for i in range(n):
        f.write(f"Verein {i} für Kultur und Bildung;{kinds[i % 5]};Stadt {i % 400:03d};"
                f"{1960 + i % 60};{purposes[i % 6]},{purposes[(i + 2) % 6]};{i % 200};"
                f"https://verein{i}.example.org\n")
PY

seconds() { # seconds COMMAND…: wall time of the command, its output to $WORK/out
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$WORK/out" 2>&1 || { cat "$WORK/out"; exit 1; }
  t1=$(date +%s.%N)
  awk "BEGIN {print $t1 - $t0}"
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

echo "rows: $N, runs: $RUNS, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$WORK/dry"; : >"$WORK/import"; : >"$WORK/plain"
for _ in $(seq "$RUNS"); do
  rm -f "$WORK"/kp.db*
  export DATABASE_URL="$WORK/kp.db"
  "$BIN" migrate >/dev/null
  seconds "$BIN" import "$CSV" --dry-run >>"$WORK/dry"
  grep -q "$N created" "$WORK/out" || { cat "$WORK/out"; exit 1; }
  seconds "$BIN" import "$CSV" >>"$WORK/import"
  grep -q "$N created" "$WORK/out" || { cat "$WORK/out"; exit 1; }
  rm -f "$WORK"/plain.db*
  seconds python3 - "$CSV" "$WORK/plain.db" >>"$WORK/plain" <<'PY'
import csv, sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[2])
db.execute("create table organisations (id text primary key, name text, kind text, city text,"
           " founded text, purposes text, member_count_min integer, website text)")
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = csv.reader(f, delimiter=";")
    next(rows)
    db.executemany("insert into organisations values (?,?,?,?,?,?,?,?)",
                   ((str(uuid.uuid4()), *r) for r in rows))
db.commit()
PY
done
dry=$(median <"$WORK/dry"); import=$(median <"$WORK/import"); plain=$(median <"$WORK/plain")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v n="$N" -v d="$dry" -v i="$import" -v p="$plain" 'BEGIN {
  printf "dry run %8.2f s  (%d rows/s)\n", d, n / d
  printf "import  %8.2f s  (%d rows/s)\n", i, n / i
  printf "python csv+sqlite3 into a plain table %.2f s; import/plain = %.1f\n", p, i / p
}'

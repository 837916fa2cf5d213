"""Driver of benches/writes.sh: writes through the instance on port 18801, reads on both.
Python's standard library only. Arguments: LABEL TOKEN WRITES PID_WRITER PID_FOLLOWER."""
import json
import statistics
import sys
import time
import urllib.error
import urllib.request

label, token, writes = sys.argv[1], sys.argv[2], int(sys.argv[3])
pids = sys.argv[4:6]
WRITER, FOLLOWER = "http://127.0.0.1:18801", "http://127.0.0.1:18802"


def call(base, path, body=None):
    req = urllib.request.Request(base + path, method="POST" if body else "GET")
    req.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        req.data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def org_shown(base, org_id):
    status, body = call(base, f"/api/v1/graph?focus={org_id}")
    return status == 200 and org_id.encode() in body


def path_shown(base, a, b):
    return call(base, f"/api/v1/graph/path?from={a}&to={b}")[0] == 200


for base in (WRITER, FOLLOWER):
    deadline = time.time() + 300
    while True:
        try:
            if call(base, "/api/v1/organisations?limit=1")[0] == 200:
                break
        except OSError:
            pass
        if time.time() > deadline:
            sys.exit(f"{base} did not start")
        time.sleep(0.2)
time.sleep(2)
rss_start = [rss_mib(p) for p in pids]

answer, follow, seen_at_once = [], [], 0
previous = None
for i in range(writes):
    # Even writes: a new organisation; odd ones: a relation from it to the one before.
    t0 = time.perf_counter()
    if i % 2 == 0 or previous is None:
        status, body = call(WRITER, "/api/v1/organisations",
                            {"name": f"Bench {label} {i} {time.time()}",
                             "kind": "migrant_organisation", "city": "Benchstadt"})
        assert status == 201, (status, body)
        org = json.loads(body)["id"]
        shown = lambda base, org=org: org_shown(base, org)
    else:
        status, body = call(WRITER, "/api/v1/relations",
                            {"source_id": org, "target_id": previous,
                             "kind": "cooperates_with"})
        assert status == 201, (status, body)
        shown = lambda base, a=org, b=previous: path_shown(base, a, b)
    t1 = time.perf_counter()
    answer.append((t1 - t0) * 1000)
    if shown(WRITER):
        seen_at_once += 1
    else:
        while not shown(WRITER):
            time.sleep(0.005)
    while not shown(FOLLOWER):
        time.sleep(0.005)
    follow.append((time.perf_counter() - t1) * 1000)
    if i % 2 == 1:
        previous = org
time.sleep(1)
rss_end = [rss_mib(p) for p in pids]


def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


print(f"[{label}] write answered: p50 {statistics.median(answer):.1f} ms, "
      f"p99 {q(answer, 0.99):.1f} ms; read right after the answer saw it: "
      f"{seen_at_once}/{writes}")
print(f"[{label}] second instance shows it after: p50 {statistics.median(follow):.1f} ms, "
      f"p99 {q(follow, 0.99):.1f} ms, max {max(follow):.1f} ms")
print(f"[{label}] RSS writer {rss_start[0]:.0f} -> {rss_end[0]:.0f} MiB "
      f"({rss_end[0] / rss_start[0]:.2f}x), follower {rss_start[1]:.0f} -> "
      f"{rss_end[1]:.0f} MiB ({rss_end[1] / rss_start[1]:.2f}x)")

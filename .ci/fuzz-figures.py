#!/usr/bin/env python3
"""Prints the figures of a schemathesis run per backend from its JSON report:
operations tested, cases run, server errors, nonconformances, other failures, time."""
import json
import pathlib
import sys


def figures(directory: pathlib.Path) -> str:
    report = directory / "report.json"
    if not report.exists():
        return f"fuzz figures {directory.name}: no report (the run did not finish)"
    doc = json.loads(report.read_text(encoding="utf-8"))
    failures = doc.get("failures") or []

    def count(predicate) -> int:
        return sum(f.get("count", 0) for f in failures if predicate(f))

    def is_server_error(f) -> bool:
        return "server_error" in (f.get("type") or "") or "server error" in (f.get("title") or "").lower()

    def is_conformance(f) -> bool:
        return "conformance" in (f.get("type") or "")

    cases = (doc.get("test_cases") or {}).get("generated", 0)
    operations = (doc.get("operations") or {}).get("tested", 0)
    errors = sum(e.get("count", 0) for e in doc.get("errors") or [])
    return (
        f"fuzz figures {directory.name}: operations={operations} cases={cases} "
        f"server_errors={count(is_server_error)} nonconformances={count(is_conformance)} "
        f"other_failures={count(lambda f: not is_server_error(f) and not is_conformance(f))} "
        f"errors={errors} seconds={doc.get('running_time', 0):.0f}"
    )


for arg in sys.argv[1:]:
    print(figures(pathlib.Path(arg)))

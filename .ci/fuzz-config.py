#!/usr/bin/env python3
"""Writes a schemathesis.toml that lets the fuzzer reach past "not found": it reads the
ids and names of the seeded records from the running API and offers them (half of the
time) for ids in paths, organisation and person parameters and the links in bodies.

Usage: fuzz-config.py BASE_URL TOKEN OUT.toml"""
import json
import sys
import urllib.request

base, token, out = sys.argv[1:4]


def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def items(resource):
    return get(f"/api/v1/{resource}?limit=500")["items"]


organisations = items("organisations")
persons = items("persons")
org_ids = [o["id"] for o in organisations]
org_names = [o["name"] for o in organisations]
person_ids = [p["id"] for p in persons]
source_ids = [s["id"] for s in items("sources")]
all_ids = org_ids + person_ids + source_ids
for resource in ("affiliations", "fundings", "relations"):
    all_ids += [r["id"] for r in items(resource)]
funding_ids = [r["id"] for r in items("fundings")]

dictionaries = {
    "ids": all_ids,
    "organisations": org_ids + org_names,
    "organisation_ids": org_ids,
    "persons": person_ids,
    "nodes": org_ids + org_names + person_ids,
    "sources": source_ids,
    "fundings": funding_ids,
}
bindings = {
    "path.id": "ids",
    "query.record_id": "ids",
    "query.organisation": "organisations",
    "query.funder": "organisations",
    "query.applicant": "organisations",
    "query.umbrella": "organisations",
    "query.stops": "organisations",
    "query.path_from": "organisations",
    "query.path_to": "organisations",
    "query.focus": "nodes",
    "query.person": "persons",
    "body.organisation_id": "organisation_ids",
    "body.person_id": "persons",
    "body.funder_id": "organisation_ids",
    "body.recipient_id": "organisation_ids",
    "body.target_id": "organisation_ids",
    "body.parent_id": "organisation_ids",
    "body.funding_id": "fundings",
}


def toml_list(values):
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


lines = []
for name, values in dictionaries.items():
    lines += [f"[dictionaries.{name}]", f"values = {toml_list(values)}", ""]
lines.append("[parameters]")
for key, name in bindings.items():
    lines.append(f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}')
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
print(f"fuzz config: {len(all_ids)} ids, {len(org_ids)} organisations, {len(person_ids)} persons")

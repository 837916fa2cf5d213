"""Strict check of FollowTheMoney JSON lines (`knotenpunkt export ftm`) with the
`followthemoney` library: usage `check-ftm.py [--expect SCHEMA,…] FILE…`.

For every line: one JSON object with exactly `id`, `schema` and `properties`; the id
matches FtM's pattern and is unique in its file; the schema is known and not abstract;
every property is known to the schema (and not a reverse-only stub), its values a
non-empty list of strings, each valid for the property's type — and already in FtM's
normal form for dates, countries, numbers and entity references; the schema's required
properties are present; every entity-valued property names an entity of the same file
(not itself, and no link from an entity to itself) whose schema is the property's range or a descendant of it. Any problem
fails the check (the first ones are printed); the counts per schema are printed.
`--expect` names schemas each file must hold at least one entity of.
"""

import json
import sys
from collections import Counter

from followthemoney import model, registry

STRICT_TYPES = {registry.date, registry.country, registry.number, registry.entity}
SHOWN = 25


def check(path, expect):
    problems = []
    entities = {}
    schemas = Counter()

    def problem(line_no, text):
        problems.append(f"{path}:{line_no}: {text}")

    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.endswith("\n"):
                problem(line_no, "the line does not end with a line feed")
            try:
                data = json.loads(line)
            except ValueError as e:
                problem(line_no, f"not JSON: {e}")
                continue
            if not isinstance(data, dict) or set(data) != {"id", "schema", "properties"}:
                problem(line_no, f"not an entity object: {line[:120]}")
                continue
            eid, name, props = data["id"], data["schema"], data["properties"]
            if not isinstance(eid, str) or not registry.entity.REGEX.match(eid):
                problem(line_no, f"id {eid!r} does not match FtM's id pattern")
                continue
            if eid in entities:
                problem(line_no, f"id {eid} twice")
                continue
            schema = model.get(name) if isinstance(name, str) else None
            if schema is None:
                problem(line_no, f"{eid}: unknown schema {name!r}")
                continue
            if schema.abstract:
                problem(line_no, f"{eid}: abstract schema {name}")
            schemas[schema.name] += 1
            if not isinstance(props, dict):
                problem(line_no, f"{eid}: properties is not an object")
                continue
            entities[eid] = (line_no, schema, props)
            for pname, values in props.items():
                prop = schema.get(pname)
                if prop is None:
                    problem(line_no, f"{eid}: {name} has no property {pname!r}")
                    continue
                if prop.stub:
                    problem(line_no, f"{eid}: {name}.{pname} is a reverse (stub) property")
                if not isinstance(values, list) or not values:
                    problem(line_no, f"{eid}: {pname} is not a non-empty list")
                    continue
                for value in values:
                    if not isinstance(value, str):
                        problem(line_no, f"{eid}: {pname} value {value!r} is not a string")
                    elif not prop.type.validate(value):
                        problem(line_no, f"{eid}: {pname} {value!r} is not a valid {prop.type.name}")
                    elif prop.type in STRICT_TYPES and prop.type.clean(value) != value:
                        problem(
                            line_no,
                            f"{eid}: {pname} {value!r} is not in FtM's form "
                            f"({prop.type.clean(value)!r})",
                        )
            for required in schema.required:
                if not props.get(required):
                    problem(line_no, f"{eid}: {name} lacks the required {required}")
            if schema.edge and schema.edge_source and schema.edge_target:
                ends = set(props.get(schema.edge_source) or []) & set(
                    props.get(schema.edge_target) or []
                )
                if ends:
                    problem(line_no, f"{eid}: a {name} from {sorted(ends)} to itself")

    references = 0
    for eid, (line_no, schema, props) in entities.items():
        for pname, values in props.items():
            prop = schema.get(pname)
            if prop is None or prop.type != registry.entity or not isinstance(values, list):
                continue
            for target in values:
                references += 1
                if target == eid:
                    problem(line_no, f"{eid}: {pname} names the entity itself")
                    continue
                if target not in entities:
                    problem(line_no, f"{eid}: {pname} names {target}, which is not in the file")
                    continue
                target_schema = entities[target][1]
                if prop.range is not None and not target_schema.is_a(prop.range):
                    problem(
                        line_no,
                        f"{eid}: {pname} names a {target_schema.name}, "
                        f"not a {prop.range.name}",
                    )
    for name in expect:
        if schemas[name] == 0:
            problems.append(f"{path}: no {name} entity")
    counts = ", ".join(f"{n} {s}" for s, n in sorted(schemas.items()))
    print(f"{path}: {len(entities)} entities, {references} references ({counts})")
    return problems


def main(args):
    expect = []
    if args[:1] == ["--expect"]:
        expect = [s for s in args[1].split(",") if s]
        args = args[2:]
    for name in expect:
        if model.get(name) is None:
            sys.exit(f"--expect: unknown schema {name}")
    if not args:
        sys.exit(__doc__)
    problems = []
    for path in args:
        problems.extend(check(path, expect))
    if problems:
        for p in problems[:SHOWN]:
            print(p, file=sys.stderr)
        if len(problems) > SHOWN:
            print(f"… and {len(problems) - SHOWN} more", file=sys.stderr)
        sys.exit(f"followthemoney: {len(problems)} problems")
    print(f"followthemoney: {len(args)} files valid")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Writes web/openapi_responses.json, the response schemas of the OpenAPI document.

The schemas are inferred from what the server really answers: the HTTP tests, run with
XIEHUI_RECORD_RESPONSES=DIR, append every answer to DIR/responses-PID.jsonl (see
tests/support/openapi_check.cpp); this script reads those lines and, per operation and status,
infers a strict JSON Schema from the bodies seen (every field seen always is required, a field
seen null is nullable, objects are closed with additionalProperties: false). Objects with the
same set of fields seen in two places or more become one component under
components/schemas, referred to by $ref. Without XIEHUI_RECORD_RESPONSES the tests check every
answer against the document, so a writer whose JSON changes fails the tests until this file is
regenerated (and the change reviewed in its diff).

    XIEHUI_RECORD_RESPONSES=/tmp/rec build/tests/xiehui_http_tests   # SQLite and MariaDB
    python3 scripts/openapi_responses.py /tmp/rec

Operations the run did not see keep their entry from the existing file (hand-written entries
for answers the tests do not reach stay); --replace drops them.
"""

import argparse
import glob
import http
import json
import os
import re
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "web", "openapi_responses.json")
IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
MIN_COMPONENT_FIELDS = 3
# The envelope of paged lists (docs/API.md, Conventions): {"items": [...], "total", "page",
# "page_size"}; each list's items are described where it is used.
PAGING = {"total", "page", "page_size"}
# Answers whose shape is not inferred: the OpenAPI document itself (its shape is the
# specification's).
OPAQUE = {"GET /api/openapi.json": {"type": "object", "description": "An OpenAPI 3.0 document"}}
PAGE = {
    "type": "object",
    "description": "The paging fields of a list: ?page=&page_size= (at most 200)",
    "required": ["total", "page", "page_size"],
    "properties": {
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        # At most 200 when the client asks (?page_size=); a list of one's own may be longer.
        "page_size": {"type": "integer", "minimum": 1},
    },
}


# Operations no HTTP test reaches with a successful answer yet, answered by the same writer as
# an operation that is reached: its schema is reused (marked x-same-writer-as) until a test
# reaches them. operation → (status, sibling operation, its status, JSON pointer in its schema).
SAME_WRITER = {
    "GET /api/applications/{id}": ("200", "POST /api/applications/{id}/withdraw", "200", ""),
    "POST /api/applications/{id}/reject": ("200", "POST /api/applications/{id}/withdraw", "200", ""),
    "PATCH /api/members/{id}": ("200", "GET /api/members/{id}", "200", ""),
    "PATCH /api/members/{id}/contacts/{cid}": ("200", "POST /api/members/{id}/contacts", "201", ""),
    "POST /api/dues/reductions": ("201", "GET /api/dues/reductions", "200", "/properties/items/items"),
    "PATCH /api/fees/{id}": ("200", "GET /api/fees", "200", "/properties/items/items"),
    "POST /api/fees/{id}/fapiao-request": ("200", "GET /api/fees", "200", "/properties/items/items"),
    "GET /api/courses/{id}": ("200", "POST /api/courses", "201", ""),
    "PATCH /api/courses/{id}": ("200", "POST /api/courses", "201", ""),
    "PATCH /api/classes/{id}": ("200", "GET /api/classes/{id}", "200", ""),
    "GET /api/enrollments/{id}": ("200", "GET /api/classes/{id}/check-in/{token}", "200", ""),
    "GET /api/visit-applications/{id}": ("200", "POST /api/visit-applications/{id}/approve", "200", ""),
    "POST /api/visit-applications/{id}/reject":
        ("200", "POST /api/visit-applications/{id}/approve", "200", ""),
    "PATCH /api/topics/{id}": ("200", "POST /api/topics", "201", ""),
    "PATCH /api/host-offers/{id}": ("200", "POST /api/host-offers", "201", ""),
    "PATCH /api/visit-interests/{id}": ("200", "POST /api/visit-interests", "201", ""),
    "POST /api/outbox/{id}/retry": ("200", "GET /api/outbox", "200", "/properties/items/items"),
    "POST /api/outbox/{id}/cancel": ("200", "GET /api/outbox", "200", "/properties/items/items"),
    "GET /api/notification-templates/{kind}":
        ("200", "PUT /api/notification-templates/{kind}", "200", ""),
}
# Operations no test reaches whose handler answers 204 (ctx.no_content()).
NO_CONTENT = {
    "POST /api/users/{id}/password",
    "DELETE /api/members/{id}/contacts/{cid}",
    "DELETE /api/dues/reductions/{id}",
    "DELETE /api/visits/{id}/report/files/{fid}",
    "DELETE /api/visit-interests/{id}",
}


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def is_map(objects):
    """Objects keyed by data (ids, dates, names) rather than by field names."""
    keys = set()
    for o in objects:
        keys.update(o)
    return bool(keys) and all(not IDENT.match(k) for k in keys)


def walk(value, place, visit):
    """Calls visit(place, obj) for every object; array items share their array's place."""
    if isinstance(value, dict):
        visit(place, value)
        if is_map([value]):
            for v in value.values():
                walk(v, place + "/*", visit)
        else:
            for k, v in value.items():
                walk(v, place + "/" + k, visit)
    elif isinstance(value, list):
        for v in value:
            walk(v, place + "/[]", visit)


class Inferrer:
    def __init__(self, bodies):
        # Objects by their set of fields, and the places each set was seen at.
        self.by_keys = defaultdict(list)
        places = defaultdict(set)

        def visit(place, obj):
            if is_map([obj]):
                return
            k = frozenset(obj)
            self.by_keys[k].append(obj)
            places[k].add(place)

        for place, body in bodies:
            walk(body, place, visit)
        self.components = {}  # keyset → name
        taken = {"Page", "Error"}
        for k, where in sorted(places.items(), key=lambda kv: sorted(kv[1])[0]):
            # List envelopes hold different items: never one component (see PAGE).
            if len(k) < MIN_COMPONENT_FIELDS or len(where) < 2 or "items" in k:
                continue
            name = component_name(sorted(where)[0], taken)
            taken.add(name)
            self.components[k] = name
        self.schemas = {"Page": PAGE}
        for k, name in self.components.items():
            self.schemas[name] = self.infer(self.by_keys[k], top=k)

    def infer(self, values, top=None):
        kinds = {kind(v) for v in values}
        nullable = "null" in kinds
        kinds.discard("null")
        if {"integer", "number"} <= kinds:
            kinds.discard("integer")
        if not kinds:
            # Only ever null in the tests: the type is unknown.
            return {"nullable": True, "description": "null in every answer the tests saw"}
        if len(kinds) > 1:
            options = [self.infer([v for v in values if kind(v) == t]) for t in sorted(kinds)]
            schema = {"oneOf": options}
            if nullable:
                schema["nullable"] = True
            return schema
        (t,) = kinds
        present = [v for v in values if v is not None]
        if t == "object":
            keysets = {frozenset(o) for o in present}
            if top is None and len(keysets) == 1 and next(iter(keysets)) in self.components:
                ref = {"$ref": "#/components/schemas/" + self.components[next(iter(keysets))]}
                # $ref siblings are ignored in OpenAPI 3.0: nullable goes through allOf.
                return {"allOf": [ref], "nullable": True} if nullable else ref
            if is_map(present):
                inner = [v for o in present for v in o.values()]
                schema = {"type": "object",
                          "additionalProperties": self.infer(inner) if inner else {}}
            else:
                keys = []
                for o in present:
                    keys.extend(k for k in o if k not in keys)
                props = {k: self.infer([o[k] for o in present if k in o]) for k in keys}
                schema = {"type": "object", "properties": props, "additionalProperties": False}
                required = [k for k in keys if all(k in o for o in present)]
                if required:
                    schema["required"] = required
                if PAGING <= set(required):
                    # A paged list: the envelope's paging fields are described once, in Page.
                    schema["allOf"] = [{"$ref": "#/components/schemas/Page"}]
                    for k in PAGING:
                        props[k] = {}
        elif t == "array":
            inner = [v for a in present for v in a]
            schema = {"type": "array", "items": self.infer(inner) if inner else {}}
        else:
            schema = {"type": t}
        if nullable:
            schema["nullable"] = True
        return schema


def singular(word):
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def camel(word):
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", word))


def component_name(place, taken):
    op, _, pointer = place.partition("#")
    tokens = [t for t in pointer.split("/") if t and t not in ("[]", "*") and not t.isdigit()]
    if tokens and tokens[-1] != "items":
        base = singular(tokens[-1])
    else:
        segments = [s for s in op.split(" ", 1)[1].split("/") if s and not s.startswith("{")]
        base = singular(segments[-1]) if segments else "Root"
    name = camel(base) or "Object"
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}{n}", n + 1
    return candidate


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="+", help="directories of responses-*.jsonl")
    ap.add_argument("--replace", action="store_true", help="drop operations not seen")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()

    seen = defaultdict(lambda: defaultdict(list))  # op → status → [(type, body)]
    request_json = set()
    for d in args.dirs:
        for path in sorted(glob.glob(os.path.join(d, "responses-*.jsonl"))):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    if r["status"] >= 400:
                        continue  # errors share components/schemas/Error
                    # (media type, body, whether a JSON body was read: it may be null)
                    seen[r["op"]][str(r["status"])].append((r["type"], r.get("body"), "body" in r))
                    if r["request_json"]:
                        request_json.add(r["op"])
    if not seen:
        sys.exit("no responses-*.jsonl lines found")

    bodies = []
    for op, statuses in seen.items():
        for status, replies in statuses.items():
            for t, body, has_body in replies:
                if t == "application/json" and has_body and op not in OPAQUE:
                    bodies.append((f"{op}#", body))
    inf = Inferrer(bodies)

    operations = {}
    if not args.replace and os.path.exists(args.out):
        with open(args.out, encoding="utf-8") as f:
            operations = json.load(f).get("operations", {})
    for op, statuses in seen.items():
        responses = {}
        for status, replies in sorted(statuses.items()):
            code = int(status)
            response = {"description": http.HTTPStatus(code).phrase}
            types = sorted({t for t, _, _ in replies})
            if code != 204 and not 300 <= code < 400:
                content = {}
                for t in types:
                    if t == "application/json":
                        values = [b for tt, b, has in replies if tt == t and has]
                        schema = OPAQUE.get(op) or inf.infer(values)
                        content[t] = {"schema": schema}
                    elif t:
                        binary = not t.startswith("text/")
                        schema = {"type": "string"}
                        if binary:
                            schema["format"] = "binary"
                        content[t] = {"schema": schema}
                if content:
                    response["content"] = content
            responses[status] = response
        entry = {"responses": responses}
        if op in request_json:
            entry["request_json"] = True
        operations[op] = entry

    for op in sorted(NO_CONTENT - set(seen)):
        operations[op] = {"responses": {"204": {"description": "No Content"}},
                          "x-not-reached-by-tests": True}
    for op, (status, sibling, sibling_status, pointer) in sorted(SAME_WRITER.items()):
        if op in seen:
            continue
        try:
            media = operations[sibling]["responses"][sibling_status]["content"]["application/json"]
            schema = media["schema"]
            for token in filter(None, pointer.split("/")):
                schema = schema[token]
        except KeyError:
            print(f"{op}: {sibling} {sibling_status} has no schema at {pointer!r}", file=sys.stderr)
            continue
        if not schema:
            print(f"{op}: {sibling}'s schema at {pointer!r} is empty", file=sys.stderr)
            continue
        operations[op] = {
            "responses": {status: {
                "description": http.HTTPStatus(int(status)).phrase,
                "x-same-writer-as": f"{sibling} {sibling_status}",
                "content": {"application/json": {"schema": schema}}}},
            "x-not-reached-by-tests": True}

    out = {
        "//": "Generated by scripts/openapi_responses.py from the HTTP tests' answers; "
              "see docs/API.md (OpenAPI). Regenerate, do not edit by hand, except for "
              "operations the tests do not reach.",
        "operations": dict(sorted(operations.items(), key=lambda kv: kv[0].split(" ", 1)[::-1])),
        "components": dict(sorted(inf.schemas.items())),
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{args.out}: {len(operations)} operations, {len(inf.schemas)} components")


if __name__ == "__main__":
    main()

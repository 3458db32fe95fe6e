#!/usr/bin/env python3
"""Minimal reproductions of what Schemathesis flags on the sandbox that is not the sandbox's doing.

`bench/schemathesis_sandbox.py` turns a check off for a few operations (`EXCEPTIONS` there), each
for one of the cases below. This script shows each case on its own, against a few lines of Python
that record what Schemathesis sends and answer as HTTP says (no intark-docs involved), so anyone
can see the cause and check whether a new Schemathesis still has it:

- `header-repr`: a header whose object schema sits under `oneOf` (no `type` beside it) is sent as
  Python's repr of a dict (`{'a': 'x'}`); with `type: object` it is sent in OpenAPI's `simple` style
  (`a,x`). Schemathesis's `_serialize_openapi3` (specs/openapi/serialization.py) picks the style from
  the schema's top-level `type` only and falls back to `to_string`, which is `str(value)`. No server
  can read that value, so a server that checks the header answers 400; an operation that documents
  no 400 (Dialogporten's `GET /api/v1/metadata/serviceresources`) then fails `status_code_conformance`.
- `link-merge`: in the stateful phase, values a link takes from an earlier answer are merged into a
  generated body after generation (`_merge_link_body`, specs/openapi/stateful/__init__.py) and the
  result is not checked against the schema again. A body `oneOf` [required `a`] / [required `b`]
  generated as `{"b": ""}` gets `a` from the link and matches both options: an invalid request in
  positive mode, which a server that checks its bodies answers 400 (FS Gemini's
  `POST .../personer/{personId}/eksternresultater` documents no 400).
- `body-on-204`: not a Schemathesis bug but the spec's: a `204` documented with `content`. HTTP gives a
  204 no body (RFC 9110, 15.3.5), so a correct server answers without one and without a
  `Content-Type`, and Schemathesis reports ST104 (missing Content-Type) and ST109 (empty body is not
  JSON). Its own `st explain ST104` says to remove `content` from such a response in the schema.
  intark-docs reports the spec's mistake as a `spec-lenient` warning at the media type's line
  (KRR's `PATCH /v1/person`).

Usage: python3 bench/schemathesis_defects.py [--st schemathesis]. Prints one line per case,
"reproduced" or "not reproduced"; exit status 1 when a case no longer reproduces (then its exception
in schemathesis_sandbox.py can go).
"""

import argparse
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HEADER_REPR = {
    "openapi": "3.0.3",
    "info": {"title": "header-repr", "version": "1"},
    "paths": {
        "/typed": {"get": {
            "parameters": [{"name": "X-Obj", "in": "header", "required": True, "schema": {
                "type": "object", "required": ["a"], "additionalProperties": False,
                "properties": {"a": {"type": "string", "enum": ["x"]}}}}],
            "responses": {"200": {"description": "ok"}}}},
        "/oneof": {"get": {
            "parameters": [{"name": "X-Obj", "in": "header", "required": True, "schema": {"oneOf": [{
                "type": "object", "required": ["a"], "additionalProperties": False,
                "properties": {"a": {"type": "string", "enum": ["x"]}}}]}}],
            "responses": {"200": {"description": "ok"}}}},
    },
}

ONE_OF_BODY = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
               "oneOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}]}

LINK_MERGE = {
    "openapi": "3.0.3",
    "info": {"title": "link-merge", "version": "1"},
    "paths": {
        "/parents": {"post": {
            "operationId": "createParent",
            "responses": {"201": {
                "description": "created",
                "content": {"application/json": {"schema": {
                    "type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}}},
                "links": {"AddChild": {"operationId": "addChild",
                                       "requestBody": {"a": "$response.body#/a"}}}}}}},
        "/children": {"post": {
            "operationId": "addChild",
            "requestBody": {"required": True, "content": {"application/json": {"schema": ONE_OF_BODY}}},
            "responses": {"201": {"description": "created"}}}},
    },
}

BODY_ON_204 = {
    "openapi": "3.0.3",
    "info": {"title": "body-on-204", "version": "1"},
    "paths": {"/person": {"patch": {"responses": {"204": {
        "description": "updated", "content": {"*/*": {"schema": {"type": "object"}}}}}}}},
}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records each request and answers as HTTP says: 201 with a JSON body for a create, a bare
    204 for PATCH, 200 otherwise."""

    seen: list = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Recorder.seen.append((self.command, self.path, dict(self.headers), body))
        if self.command == "PATCH":
            self.send_response(204)
            self.end_headers()
            return
        if self.path.startswith("/parents"):
            payload = json.dumps({"a": "parent-1"}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PATCH = _answer

    def log_message(self, *args):
        pass


def run_st(st, spec, url, *extra):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spec, f)
    try:
        return subprocess.run(
            [st, "run", f.name, "--url", url, "--mode", "positive", *extra],
            capture_output=True, text=True,
        )
    finally:
        Path(f.name).unlink()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--st", default="schemathesis")
    args = ap.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}

    Recorder.seen.clear()
    run_st(args.st, HEADER_REPR, url, "--phases", "examples,fuzzing", "--max-examples", "3",
           "--checks", "not_a_server_error")
    typed = {h.get("X-Obj") for m, p, h, _ in Recorder.seen if p == "/typed"}
    oneof = {h.get("X-Obj") for m, p, h, _ in Recorder.seen if p == "/oneof"}
    results["header-repr"] = (
        "a,x" in typed and "{'a': 'x'}" in oneof,
        f"type: object sent as {sorted(typed)}; under oneOf sent as {sorted(oneof)}",
    )

    Recorder.seen.clear()
    run_st(args.st, LINK_MERGE, url, "--phases", "stateful", "--max-examples", "50",
           "--checks", "not_a_server_error", "--seed", "1")
    bodies = [json.loads(b or b"null") for m, p, _, b in Recorder.seen if p == "/children"]
    both = [b for b in bodies if isinstance(b, dict) and "a" in b and "b" in b]
    results["link-merge"] = (
        bool(both),
        f"{len(both)} of {len(bodies)} bodies match both oneOf options, e.g. {both[:1]}",
    )

    Recorder.seen.clear()
    st = run_st(args.st, BODY_ON_204, url, "--phases", "examples,fuzzing", "--max-examples", "1",
                "--checks", "content_type_conformance,response_schema_conformance")
    codes = [c for c in ("ST104", "ST109") if c in st.stdout]
    results["body-on-204"] = (
        codes == ["ST104", "ST109"],
        f"a bare 204 to a spec that documents a body gives {codes or 'nothing'}",
    )

    server.shutdown()
    missing = 0
    for name, (reproduced, detail) in results.items():
        print(f"{name}: {'reproduced' if reproduced else 'not reproduced'} ({detail})")
        missing += not reproduced
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

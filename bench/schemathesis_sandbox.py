#!/usr/bin/env python3
"""Run Schemathesis (PyPI `schemathesis`) against `intark-docs sandbox` for every spec of a folder.

The sandbox must conform to its own specs: no server errors, and status codes, content types and
response bodies as each spec documents them. For each spec (a bare OpenAPI/Swagger file, or each
SWAGGER page embedded in a Gravitee export) the script starts the sandbox on a free loopback port,
works out the base URL the sandbox serves it at, and runs `schemathesis run` with the checks
`not_a_server_error`, `status_code_conformance`, `content_type_conformance` and
`response_schema_conformance`. Bounded: `--max-examples` per operation (default 10) in the
fuzzing phase; the coverage phase is not bounded by it (`--phases` leaves it out). A few checks are
off for single operations whose failures are not the sandbox's (`EXCEPTIONS`, each with its reason;
`bench/schemathesis_defects.py` reproduces each cause without intark-docs).

Usage:
    python3 bench/schemathesis_sandbox.py --openapi openapi
    python3 bench/schemathesis_sandbox.py --openapi ../shared/specs
    python3 bench/schemathesis_sandbox.py --openapi \
        ../shared/corpora/sikt-datadeling/docs/datadeling/teknisk-plattform/api

Needs `schemathesis` on PATH (or `--st PATH`) and a built `target/debug/intark-docs` (or `--bin`).
Only 127.0.0.1 is contacted. Exit status 1 when any spec has failures.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

KEY = "intark-sandbox-key"
GATEWAY_SUFFIX = ".intark.uh-it.no"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"

# Checks turned off for one operation of one spec, each for a cause that is not the sandbox's:
# (spec file, operation name as Schemathesis prints it (a regex), phase or None for all phases,
# checks, why). `bench/schemathesis_defects.py` reproduces each cause without intark-docs.
EXCEPTIONS = [
    (
        "dialogporten-serviceowner.json",
        r"^GET /api/v1/metadata/serviceresources$",
        None,
        ["status_code_conformance"],
        "header-repr: Schemathesis sends the object header `accept-Language` (its schema under "
        "oneOf) as a Python dict repr, which no server can read; the sandbox's 400 is not "
        "documented by this operation",
    ),
    (
        "digdir-krr-api-template.json",
        r"^PATCH /.*/v1/person$",
        None,
        ["content_type_conformance", "response_schema_conformance"],
        "body-on-204: the spec documents a body on a 204, which HTTP forbids; the sandbox answers "
        "204 without one (and intark-docs reports the spec as a spec-lenient warning at its line)",
    ),
    *(
        (
            name,
            r"^POST /.*/personer/\{personId\}/eksternresultater$",
            "stateful",
            ["status_code_conformance"],
            "link-merge: the stateful phase merges `organisasjonsenhetId` from a link into a body "
            "generated with `institusjonId`, which then matches both oneOf options of "
            "Eksternresultat; the sandbox's 400 is right, and not documented by this operation",
        )
        for name in ("fs-gemini-prod.json", "fs-gemini-preview.json")
    ),
]

# The checks, in the config file rather than on the command line: a check named by `--checks` wins
# over an operation's `enabled = false` (Schemathesis 4.32, config/_checks.py `from_hierarchy`).
CHECKS_CONFIG = "[checks]\nenabled = false\n" + "".join(
    f"{check}.enabled = true\n" for check in CHECKS.split(",")
)

# Schemathesis's coverage and fuzzing phases draw values from earlier answers
# (`extra-data-sources`); on a spec the size of eInnsyn's (205 operations) that search through every
# recorded answer, for every case, kept one operation busy for over ten minutes in either phase (the
# whole run was stopped at 1000 s). Without it, on 2 loaded cores, eInnsyn's coverage phase is about
# 27,000 cases in 5 minutes, and fuzzing (5 per operation) and stateful 1,053 cases in 2.5 minutes.
PHASES = """
[phases.coverage.extra-data-sources]
responses = false
[phases.fuzzing.extra-data-sources]
responses = false
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(path: Path):
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # schemathesis depends on PyYAML

    return yaml.safe_load(text)


def first_server(spec) -> str:
    if "servers" in spec and spec["servers"]:
        server = spec["servers"][0]
        url = server.get("url", "")
        for name, var in (server.get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(var.get("default", "")))
        return url
    if "host" in spec:
        return "https://" + spec["host"] + spec.get("basePath", "")
    return ""


def base_path(spec, context, stem) -> str:
    """The path the sandbox serves the spec's paths under, as the catalog derives it."""
    server = first_server(spec)
    parsed = urlparse(server)
    if parsed.netloc.endswith(GATEWAY_SUFFIX):
        return parsed.path.rstrip("/")
    if context:
        # Behind the gateway: the context path, plus the server's path when it is not a target.
        return context.rstrip("/")
    ctx = spec.get("x-intark-context-path")
    if ctx:
        return "/" + ctx.strip("/")
    if "://" not in server:
        name = stem.split(".")[0]
        return "/" + name + (server.rstrip("/") if server.startswith("/") else "")
    # An API at its own server: the sandbox serves it under that server's path.
    return parsed.path.rstrip("/")


def own_server_headers(spec):
    """Schemathesis arguments that name the host of an API at its own server (the sandbox serves
    it under that host), or give the gateway key to an API behind the gateway."""
    server = first_server(spec)
    host = urlparse(server).netloc
    if "://" not in server or host.endswith(GATEWAY_SUFFIX) or spec.get("x-intark-context-path"):
        return ["-H", f"X-Gravitee-Api-Key: {KEY}"]
    return ["-H", f"X-Forwarded-Host: {host.lower()}"]


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string


def auth_config(spec) -> str:
    """A `schemathesis.toml` that authenticates as each of the spec's own security schemes with the
    sandbox key, the sandbox's documented credential: API keys (header, query or cookie) as the
    key, HTTP basic as a user with the key as password, and bearer, OAuth 2 and OpenID Connect as
    the key as token. Schemathesis then sends, for each operation, the scheme its `security` asks
    for. Empty for an API behind the gateway (the gateway key is a header)."""
    server = first_server(spec)
    host = urlparse(server).netloc
    if "://" not in server or host.endswith(GATEWAY_SUFFIX) or spec.get("x-intark-context-path"):
        return ""
    schemes = (spec.get("components") or {}).get("securitySchemes") or spec.get("securityDefinitions") or {}
    lines = []
    for name, scheme in schemes.items():
        kind = scheme.get("type")
        table = f"[auth.openapi.{toml_string(name)}]"
        if kind == "apiKey":
            lines += [table, f"api_key = {toml_string(KEY)}"]
        elif kind == "basic" or (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
            lines += [table, 'username = "sandbox"', f"password = {toml_string(KEY)}"]
        elif kind in ("oauth2", "openIdConnect") or (
            kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer"
        ):
            lines += [table, f"bearer = {toml_string(KEY)}"]
    return "\n".join(lines) + "\n" if lines else ""


def exceptions_config(file_name: str) -> str:
    """`[[operations]]` tables that turn off the checks of `EXCEPTIONS` for this spec file."""
    lines = []
    for name, operation, phase, checks, why in EXCEPTIONS:
        if name != file_name:
            continue
        lines += ["", f"# {why}", "[[operations]]", f"include-name-regex = {toml_string(operation)}"]
        prefix = f"phases.{phase}.checks" if phase else "checks"
        lines += [f"{prefix}.{check}.enabled = false" for check in checks]
    return "\n".join(lines) + "\n"


def behind_gateway(spec, context, targets):
    """The spec with its paths as the gateway publishes them under `context`, the way the catalog
    maps them (openapi::gravitee::map_gateway_paths): a server on the gateway keeps its full path; a
    server equal to a target keeps the spec's paths; a target's path is cut from the full path;
    else the context path plus the spec's path."""
    context = "/" + context.strip("/")
    server = first_server(spec)
    parsed = urlparse(server)
    server_path = parsed.path.rstrip("/")
    on_gateway = parsed.netloc.endswith(GATEWAY_SUFFIX)
    paths = {}
    for path, item in spec.get("paths", {}).items():
        full = server_path + path
        new = None
        if on_gateway and (full == context or full.startswith(context + "/")):
            new = full
        else:
            for target in targets:
                t_path = urlparse(target).path.rstrip("/")
                if server and server.rstrip("/") == target.rstrip("/"):
                    new = context + path
                elif t_path and (full == t_path or full.startswith(t_path + "/")):
                    new = context + full[len(t_path):]
                if new:
                    break
            if new is None:
                empty_target = any(urlparse(t).path.rstrip("/") == "" for t in targets)
                new = context + (full if empty_target and not on_gateway else path)
        paths[new] = item
    spec = dict(spec)
    spec["paths"] = paths
    spec.pop("servers", None)
    spec.pop("basePath", None)
    return spec


def specs_in(folder: Path):
    """(file name, label, spec value, base path) of every spec in the folder."""
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml"):
            continue
        value = load(path)
        if not isinstance(value, dict):
            continue
        if isinstance(value.get("proxy"), dict):
            proxy = value["proxy"]
            hosts = proxy.get("virtual_hosts") or []
            context = next((h.get("path") for h in hosts if h.get("path")), None) or proxy.get(
                "context_path"
            )
            targets = [e.get("target") for g in proxy.get("groups") or [] for e in g.get("endpoints") or []]
            targets += [e.get("target") for e in proxy.get("endpoints") or []]
            targets = [t for t in targets if t]
            for page in value.get("pages", []):
                if page.get("type") != "SWAGGER":
                    continue
                content = page.get("content", "")
                try:
                    spec = json.loads(content)
                except ValueError:
                    import yaml

                    spec = yaml.safe_load(content)
                yield path.name, f"{path.name} «{page.get('name')}»", behind_gateway(spec, context, targets), ""
        elif "openapi" in value or "swagger" in value:
            yield path.name, path.name, value, base_path(value, None, path.stem)


def main() -> int:
    # A SIGTERM (e.g. from `timeout`) ends the run through `finally`, so the sandbox is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    ap = argparse.ArgumentParser()
    ap.add_argument("--openapi", required=True, type=Path)
    ap.add_argument("--bin", default="target/debug/intark-docs")
    ap.add_argument("--st", default="schemathesis")
    ap.add_argument("--max-examples", default="10")
    ap.add_argument("--phases", default="examples,coverage,fuzzing,stateful",
                    help="Schemathesis phases (coverage is most of a large spec's time)")
    args = ap.parse_args()
    port = free_port()
    site = tempfile.mkdtemp(prefix="intark-st-")
    (Path(site) / "content").mkdir()
    (Path(site) / "content" / "index.md").write_text("# Sandbox\n")
    sandbox = subprocess.Popen(
        [args.bin, "sandbox", "--root", site, "--openapi", str(args.openapi.resolve()),
         "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    failures = 0
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for file_name, label, spec, base in specs_in(args.openapi):
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                json.dump(spec, f, default=str)
            with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as c:
                c.write(auth_config(spec) + CHECKS_CONFIG + PHASES + exceptions_config(file_name))
            started = time.time()
            run = subprocess.run(
                [args.st, "--config-file", c.name, "run", f.name, "--url",
                 f"http://127.0.0.1:{port}{base}", "--max-examples",
                 args.max_examples, "--mode", "positive", "--phases", args.phases,
                 *own_server_headers(spec)],
                capture_output=True, text=True,
            )
            os.unlink(f.name)
            os.unlink(c.name)
            lines = run.stdout.strip().splitlines()
            tail = "\n".join(l for l in lines if l.startswith(("_", "- ", "  [", "[", "Test cases", "  ")) and "curl" not in l)[-3000:]
            status = "ok" if run.returncode == 0 else "FAILURES"
            failures += run.returncode != 0
            print(f"== {label} at {base or '/'}: {status} ({time.time() - started:.1f} s)\n{tail}\n")
    finally:
        sandbox.terminate()
        sandbox.wait()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

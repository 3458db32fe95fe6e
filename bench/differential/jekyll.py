#!/usr/bin/env python3
"""Differential check of intark-docs against Jekyll itself on a real Jekyll site.

Builds a temporary copy of SITE (the folder with `_config.yml`, or its `docs/` folder as GitHub
Pages finds it) with Debian's `jekyll` (and the `ruby-jekyll-*` plugins the site names), with a
small plugin in the copy's `_plugins/` that records which source file each page came from. Then it
checks every internal link of Jekyll's output the way lychee does with `--offline
--include-fragments` (the file exists, `index.html` for folders, `.html` added as GitHub Pages and
`jekyll serve` do, the fragment is an `id`/`name` on the target page; lychee itself when it is
installed), and compares page URLs, heading ids and those broken links with `intark-docs`' own
build and `check --format json` of SITE. Output shape and JSON: `common.py`.

The copy renders each page's content alone, as `hugo.py` does with its minimal theme: layouts,
theme and stylesheets are left out (so the layout's navigation and CSS links are not compared; we
render our own), plugins Debian does not package are left out (a tag one of them defines renders
nothing), and an include a stripped copy lacks is created empty; each adjustment is printed.

Usage: bench/differential/jekyll.py SITE [--jekyll PATH] [--intark PATH] [--json FILE]
Exit status: 0 when both agree, 1 when they differ.
"""

import argparse
import html.parser
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:
    import common  # noqa: E402  (the shared harness: bench/differential/common.py)
except ImportError:
    sys.exit("jekyll.py needs bench/differential/common.py (the differential harness)")

import yaml  # noqa: E402

SOURCES_PLUGIN = """
require "json"
Jekyll::Hooks.register :site, :post_write do |site|
  map = {}
  (site.pages + site.documents).each do |d|
    next if d.respond_to?(:write?) && !d.write?
    redirect = defined?(JekyllRedirectFrom::RedirectPage) && d.is_a?(JekyllRedirectFrom::RedirectPage)
    map[d.url] = redirect ? "" : d.relative_path.to_s
  end
  File.write(ENV.fetch("INTARK_SOURCES"), JSON.dump(map))
end
"""


def site_root(site: Path) -> Path:
    if (site / "_config.yml").is_file():
        return site
    if (site / "docs" / "_config.yml").is_file():
        return site / "docs"
    sys.exit(f"{site}: no _config.yml (nor docs/_config.yml)")


# Plugins GitHub Pages turns on for every site built with the `github-pages` gem (its Gemfile), of
# those Debian packages: optional front matter, README as index, links to `.md` files, titles.
GITHUB_PAGES_PLUGINS = ["jekyll-optional-front-matter", "jekyll-readme-index", "jekyll-relative-links",
                        "jekyll-titles-from-headings", "jekyll-default-layout"]


def installed(plugin: str) -> bool:
    """Whether Ruby can load a plugin (Debian's `ruby-jekyll-*` packages; rubygems.org is not used)."""
    return subprocess.run(["ruby", "-e", "require \"jekyll\"; require ARGV[0]", plugin], capture_output=True).returncode == 0


def content_only(copy: Path, cfg: dict, adjustments: list):
    """Make the copy render each page's content alone, as the other flavours' scripts do: no
    layouts and no theme (their navigation, scripts and stylesheets are not the page's text and
    intark-docs renders its own), no stylesheets; plugins Debian lacks are left out (a tag one of
    them defines is stubbed later, when Jekyll names it). Returns the extra config file."""
    shutil.rmtree(copy / "_layouts", ignore_errors=True)
    shutil.rmtree(copy / "_sass", ignore_errors=True)
    for sheet in [*copy.rglob("*.scss"), *copy.rglob("*.sass")]:
        sheet.unlink()
    adjustments.append("layouts, theme and stylesheets left out: page content alone is compared")
    gemfile = copy / "Gemfile"
    plugins = list(cfg.get("plugins") or cfg.get("gems") or [])
    if gemfile.is_file() and "github-pages" in gemfile.read_text(errors="replace"):
        plugins += [p for p in GITHUB_PAGES_PLUGINS if p not in plugins]
        adjustments.append("the Gemfile names github-pages: its default plugins added")
    for name in ("Gemfile", "Gemfile.lock"):
        (copy / name).unlink(missing_ok=True)
    kept = []
    for plugin in plugins:
        if installed(plugin):
            kept.append(plugin)
        else:
            adjustments.append(f"plugin {plugin} left out (no Debian package)")
    extra = copy / "_config.intark.yml"
    extra.write_text(json.dumps({"theme": None, "remote_theme": None, "plugins": kept}))
    return extra


def stub_tag(copy: Path, name: str):
    """A Liquid tag a left-out plugin defined, rendering nothing."""
    with open(copy / "_plugins" / "intark_stubs.rb", "a") as f:
        f.write(f"Liquid::Template.register_tag({name!r}, Class.new(Liquid::Tag) {{ def render(_) = '' }})\n")


def jekyll_build(root: Path, jekyll: str, work: Path, cfg: dict):
    """Build a copy; returns (output folder, {url: source}, seconds, peak KiB, adjustments)."""
    copy = work / "site"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("_site", ".git", ".jekyll-cache"))
    (copy / "_plugins").mkdir(exist_ok=True)
    (copy / "_plugins" / "intark_sources.rb").write_text(SOURCES_PLUGIN)
    out, sources = work / "jekyll", work / "sources.json"
    adjustments = []
    extra = content_only(copy, cfg, adjustments)
    config = f"{copy / '_config.yml'},{extra}"
    for _ in range(20):
        shutil.rmtree(out, ignore_errors=True)
        start = time.monotonic()
        run = subprocess.run(["/usr/bin/time", "-v", jekyll, "build", "--quiet", "-s", str(copy), "-d", str(out),
                              "--config", config],
                             capture_output=True, text=True,
                             env={"INTARK_SOURCES": str(sources), "PATH": "/usr/bin:/bin", "HOME": str(work),
                                  "LANG": "C.UTF-8", "JEKYLL_NO_BUNDLER_REQUIRE": "true"})
        elapsed = time.monotonic() - start
        log = run.stdout + run.stderr
        if run.returncode == 0:
            peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
            return out, json.loads(sources.read_text()), elapsed, int(peak.group(1)) if peak else None, adjustments
        missing = re.search(r"Could not locate the included file '([^']+)'", log)
        tag = re.search(r"Unknown tag '([\w-]+)'", log)
        sass = re.search(r"(?:File to import not found|Error).*? in (assets/\S+?\.(?:s?css))", log)
        if missing:
            (copy / "_includes" / missing.group(1)).parent.mkdir(parents=True, exist_ok=True)
            (copy / "_includes" / missing.group(1)).write_text("")
            adjustments.append(f"created empty _includes/{missing.group(1)}")
        elif tag:
            stub_tag(copy, tag.group(1))
            adjustments.append(f"tag {tag.group(1)} of a left-out plugin renders nothing")
        elif sass and (copy / sass.group(1)).exists():
            (copy / sass.group(1)).unlink()
            adjustments.append(f"removed {sass.group(1)} (a stylesheet through Sass)")
        else:
            sys.exit("jekyll failed: " + log[:1500])
    sys.exit("jekyll failed after 20 adjustments: " + "; ".join(adjustments))


def file_of(out: Path, url: str) -> Path:
    path = out / urllib.parse.unquote(url).lstrip("/")
    if url.endswith("/"):
        return path / "index.html"
    return path if path.suffix else path.with_name(path.name + ".html")


def jekyll_broken(out: Path, sources: dict, base: str):
    """(source, href, kind) of every internal link broken in Jekyll's output."""
    pages = {}
    for url, source in sources.items():
        f = file_of(out, url)
        if f.is_file() and f.suffix == ".html":
            p = common_page(f)
            pages[f] = (url, source, p)
    found = common.lychee(out, out)
    broken = []
    for f, (url, source, p) in pages.items():
        if not source:
            continue  # a redirect page
        if found is not None:
            for bad in found.get(str(f), []):
                path, fragment = common.file_url_to_path(bad, out)
                target = path + ("#" + fragment if fragment else "")
                broken.append((source, written_as(p.links, url, base, target),
                               "anchor" if fragment else "missing"))
            continue
        for href in p.links:
            parts = urllib.parse.urlsplit(href)
            if parts.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target = f
            if parts.path:
                path = urllib.parse.unquote(urllib.parse.urljoin(base + url, parts.path))
                if base and not (path + "/").startswith(base + "/"):
                    broken.append((source, href, "missing"))
                    continue
                target = out / path[len(base):].lstrip("/")
                if target.is_dir() or path.endswith("/"):
                    target = target / "index.html"
                elif not target.exists() and target.with_name(target.name + ".html").is_file():
                    target = target.with_name(target.name + ".html")
            if not target.is_file():
                broken.append((source, href, "missing"))
                continue
            fragment = urllib.parse.unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment != "top":
                ids = pages[target][2].ids if target in pages else common_page(target).ids
                if fragment not in ids:
                    broken.append((source, href, "anchor"))
    return sorted(set(broken)), pages


def written_as(links, url: str, base: str, target: str) -> str:
    """The href as the page writes it (`docs/x.md`) for a target lychee reports resolved
    (`/docs/page/docs/x.md`), so that it can be found on the source line; the target itself when
    no link of the page resolves to it."""
    for href in links:
        parts = urllib.parse.urlsplit(href)
        if parts.scheme or href.startswith("//") or not parts.path or parts.path.startswith("/"):
            continue
        resolved = urllib.parse.unquote(urllib.parse.urljoin(url, parts.path))
        resolved += "#" + urllib.parse.unquote(parts.fragment) if parts.fragment else ""
        if resolved == target or base + resolved == target:
            return href
    return target


class Links(html.parser.HTMLParser):
    """Every id/name of a page, its links, and its heading ids inside `<main>` (the whole page
    without one)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.main_headings, self.headings, self.in_main = set(), [], set(), set(), 0
        self.main_links, self.has_main = [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main += 1
            self.has_main = True
        if a.get("id"):
            self.ids.add(a["id"])
            if re.fullmatch(r"h[1-6]", tag):
                self.headings.add(a["id"])
                if self.in_main:
                    self.main_headings.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        link = a.get("href") if tag == "a" else a.get("src") if tag in ("img", "source") else None
        if link is not None:
            self.links.append(link)
            if self.in_main:
                self.main_links.append(link)

    def handle_endtag(self, tag):
        if tag == "main" and self.in_main:
            self.in_main -= 1


def common_page(path: Path):
    p = Links()
    p.feed(path.read_text(errors="replace"))
    p.heading = p.main_headings or p.headings
    # The page's own links: those in `<main>` when the layout has one (not the theme's scripts).
    if p.has_main:
        p.links = p.main_links
    return p


def ours(site: Path, intark: str, work: Path, base: str):
    """Our page files (relative to the base), heading ids by file, findings, time and memory."""
    out = work / "ours"
    start = time.monotonic()
    run = subprocess.run(["/usr/bin/time", "-v", intark, "build", "--root", str(site), "--out", str(out),
                          "--no-search", "--no-check"], capture_output=True, text=True)
    elapsed = time.monotonic() - start
    if run.returncode != 0:
        sys.exit("intark-docs build failed: " + run.stderr[-1500:])
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    top = out / base.lstrip("/") if base else out
    files = {"/" + str(f.relative_to(top)) for f in top.rglob("*.html")
             if not str(f.relative_to(top)).startswith(("_theme", "intark-search"))}
    files.discard("/404.html")
    ids = {f: common.heading_ids(top / f.lstrip("/"), ("article", "doc")) for f in files}
    check = subprocess.run([intark, "check", "--format", "json", "--root", str(site)], capture_output=True, text=True)
    findings = json.loads(check.stdout)["findings"]
    return files, ids, findings, elapsed, int(peak.group(1)) if peak else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--jekyll", default=shutil.which("jekyll") or "jekyll")
    ap.add_argument("--intark", default=str(HERE.parents[1] / "target" / "release" / "intark-docs"))
    ap.add_argument("--json")
    args = ap.parse_args()
    site = args.site.resolve()
    root = site_root(site)
    cfg = yaml.safe_load((root / "_config.yml").read_text()) or {}
    base = "/" + str(cfg.get("baseurl") or "").strip("/")
    base = "" if base == "/" else base
    with tempfile.TemporaryDirectory(prefix="intark-jekyll-") as tmp:
        work = Path(tmp)
        out, sources, t_jekyll, m_jekyll, adjustments = jekyll_build(root, args.jekyll, work, cfg)
        for a in adjustments:
            print(f"adjusted the copy for Jekyll: {a}")
        theirs, pages = jekyll_broken(out, sources, base)
        files_theirs = {"/" + str(f.relative_to(out)) for f in pages}
        files_theirs.discard("/404.html")
        ids_theirs = {"/" + str(f.relative_to(out)): p.heading for f, (_, source, p) in pages.items() if source}
        files_ours, ids_ours, findings, t_ours, m_ours = ours(site, args.intark, work, base)
        # Sources are relative to the Jekyll root; our findings to the site given.
        prefix = "" if root == site else str(root.relative_to(site)) + "/"
        theirs = [(prefix + s, h, k) for s, h, k in theirs]
        result = common.Result(tool="Jekyll", checker=common.lychee_version() or
                               "built-in (lychee not installed): file exists (.html added), fragment is an id/name")
        result.pages_original = len(files_theirs)
        result.pages_ours = len(files_ours)
        result.timings = {"jekyll_s": round(t_jekyll, 2), "jekyll_peak_kib": m_jekyll,
                          "intark_s": round(t_ours, 2), "intark_peak_kib": m_ours}
        common.classify(result, findings, theirs, site, files_theirs, files_ours,
                        {k: v for k, v in ids_theirs.items() if k in files_ours},
                        {k: v for k, v in ids_ours.items() if k in ids_theirs})
        sys.exit(common.report(result, args.json))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Differential check of intark-docs against Docusaurus itself on a Docusaurus 3 site.

Copies SITE to a temporary folder, builds it with the real Docusaurus (`npm install` in the copy,
or the packages of --node-modules), with `onBrokenLinks` and `onBrokenAnchors` set to `warn`
through a wrapper config (the site's own config is loaded unchanged and only those two keys are
overridden), and collects Docusaurus's broken-link and broken-anchor report. Then it builds the
same copy with `intark-docs build` and runs `intark-docs check --format json`, and compares:

- routes: the docs pages each tool wrote (under the docs route base);
- heading ids per page (`h2`-`h6` with an `id` inside the page's Markdown);
- the top level of the sidebar (labels, in order) on each page, and the hrefs of every link the
  sidebar shows there;
- broken links and anchors: Docusaurus's report against our `broken-link`/`broken-anchor`
  findings (counted per source page and target). A link of the layout (navbar, footer: the
  wrapper writes them out as Docusaurus loaded the config) is reported by Docusaurus on every page
  and by intark-docs once at the config's line: its reports count as one per target there.

Usage: bench/differential/docusaurus.py SITE [--intark PATH] [--node-modules DIR] [--keep]
                                          [--json FILE]
`--json FILE` also writes the comparison in the shape of `common.Result` for `run.py`. The
packages come from --node-modules (or $INTARK_DOCUSAURUS_NODE_MODULES) when given; else from the
site's own lockfile (`npm ci` of its `package.json` + `package-lock.json`), else, for a site that
keeps no `package.json` (the shared corpus keeps only content), from the project's pinned
Docusaurus in `bench/differential/docusaurus/` (its own `package-lock.json`). Each install is made
once per lockfile under --npm-cache (default $INTARK_DOCUSAURUS_NPM_CACHE, else
/tmp/intark-docusaurus-npm) and linked into the copy. Docusaurus names the source of a broken link by its route; it is matched to our finding's
file through the edit link our page at that route carries (sites with `editUrl`).
Exit status: 0 when everything agrees, 1 when something differs.
"""

import argparse
import hashlib
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import common  # noqa: E402

# The project's pinned Docusaurus (package.json + package-lock.json) for sites without their own.
PINNED = HERE / "docusaurus"
LOGS = Path(tempfile.gettempdir()) / "intark-differential-logs"

WRAPPER = "intark-differential.config.js"
WRAPPER_TEXT = """// Written by bench/differential/docusaurus.py: the site's own config, broken links and images as
// warnings.
// A `customCss` file the copy lacks (corpora keep only content) is left out.
const fs = require('fs');
const path = require('path');
module.exports = async function () {
  // Loaded as Docusaurus loads it (@docusaurus/utils loadFreshModule: jiti, default export).
  const load = require('jiti')(__filename, {interopDefault: true, requireCache: false});
  const loaded = load(path.resolve(__dirname, '%s'));
  let config = loaded && loaded.default ? loaded.default : loaded;
  if (typeof config === 'function') config = await config();
  for (const preset of config.presets || []) {
    const theme = Array.isArray(preset) && preset[1] && preset[1].theme;
    if (theme && theme.customCss) {
      const files = [].concat(theme.customCss);
      const kept = files.filter((f) => fs.existsSync(path.resolve(__dirname, f)));
      if (kept.length) theme.customCss = kept; else delete theme.customCss;
    }
  }
  // The layout's links (navbar, footer) as Docusaurus loaded them, for grouping its reports.
  const theme = config.themeConfig || {};
  fs.writeFileSync(path.resolve(__dirname, '%s'), JSON.stringify(
    {baseUrl: config.baseUrl || '/', navbar: theme.navbar || {}, footer: theme.footer || {}}));
  // A Markdown image the copy lacks (a mirror leaves out its largest files) is reported, not fatal.
  const markdown = config.markdown || {};
  const hooks = {...(markdown.hooks || {}), onBrokenMarkdownImages: 'warn'};
  return {...config, onBrokenLinks: 'warn', onBrokenAnchors: 'warn', markdown: {...markdown, hooks}};
};
"""
LAYOUT = "intark-differential-layout.json"
CONFIGS = ["docusaurus.config.js", "docusaurus.config.cjs", "docusaurus.config.mjs",
           "docusaurus.config.ts"]


class Page(html.parser.HTMLParser):
    """Heading ids of a page's Markdown and the labels of its sidebar's top level.

    `markdown(tag, attrs, classes)` names the element holding the page's Markdown;
    `sidebar(tag, attrs, classes, parent_attrs)` names the sidebar's top-level list."""

    VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area"}

    def __init__(self, markdown, sidebar):
        super().__init__(convert_charrefs=True)
        self.markdown, self.sidebar_match = markdown, sidebar
        self.ids, self.sidebar, self.hrefs = [], [], []
        self.stack, self.in_markdown, self.sidebar_depth, self.label = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        parent = self.stack[-1][1] if self.stack else {}
        self.stack.append((tag, a))
        depth = len(self.stack)
        if self.in_markdown is None and self.markdown(tag, a, classes):
            self.in_markdown = depth
        if self.in_markdown and re.fullmatch(r"h[2-6]", tag) and a.get("id"):
            self.ids.append(a["id"])
        if self.sidebar_depth is None and self.sidebar_match(tag, a, classes, parent):
            self.sidebar_depth = depth
        elif self.sidebar_depth and tag == "li" and depth == self.sidebar_depth + 1:
            self.label = ""
        # Every link the sidebar shows. A category without a page is a toggle in Docusaurus
        # (`role="button"`; its static HTML links the first item as a fallback without
        # JavaScript, theme-classic `useCategoryHrefWithSSRFallback`) and a label here.
        if self.sidebar_depth and self.sidebar_depth > 0 and tag == "a" and \
                a.get("href") not in (None, "#") and a.get("role") != "button":
            self.hrefs.append(a["href"])

    def handle_data(self, data):
        if self.label is not None and data.strip():
            self.sidebar.append(data.strip())
            self.label = None

    def handle_endtag(self, tag):
        if tag not in (t for t, _ in self.stack):
            return
        while self.stack:
            depth = len(self.stack)
            popped, _ = self.stack.pop()
            if self.in_markdown == depth:
                self.in_markdown = -1  # one Markdown body per page
            if self.sidebar_depth == depth:
                self.sidebar_depth = -1  # one sidebar per page
            if popped == tag:
                break


def docusaurus_page(text):
    p = Page(lambda t, a, c: "theme-doc-markdown" in c,
             lambda t, a, c, parent: t == "ul" and "theme-doc-sidebar-menu" in c)
    p.feed(text)
    return p


def our_page(text):
    p = Page(lambda t, a, c: t == "article",
             lambda t, a, c, parent: t == "ul" and parent.get("id") == "sidebar")
    p.feed(text)
    return p


def routes(out: Path, base: str):
    """Route -> HTML file of every page under the docs route base (the 404 page left out on both
    sides, as in hugo.py and jekyll.py)."""
    found = {}
    for path in out.rglob("*.html"):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        if rel == "404.html":
            continue
        if rel.endswith("index.html"):
            route = "/" + rel[: -len("index.html")]
        else:
            route = "/" + rel[: -len(".html")]
        route = urllib.parse.unquote(route)
        if route.startswith(base) and not route.startswith(base.rstrip("/") + "/tags"):
            found[route] = path
    return found


def docusaurus_build(args, copy: Path, node_modules: Path, config_name):
    # `showLastUpdateTime` reads git history: the copy is one commit of its own.
    git = ["git", "-c", "user.name=differential", "-c", "user.email=differential@localhost"]
    subprocess.run(git + ["init", "-q"], cwd=copy, check=True)
    subprocess.run(git + ["add", "-A"], cwd=copy, check=True)
    subprocess.run(git + ["commit", "-qm", "copy"], cwd=copy, check=True)
    (copy / "node_modules").symlink_to(node_modules.resolve())
    (copy / WRAPPER).write_text(WRAPPER_TEXT % (config_name, LAYOUT))
    started = time.monotonic()
    run = subprocess.run(
        [str(copy / "node_modules/.bin/docusaurus"), "build", "--config", WRAPPER,
         "--out-dir", "docusaurus-build"],
        cwd=copy, capture_output=True, text=True,
        # No persistent bundler cache: it lives in the shared `node_modules/.cache` and outlives
        # the copy, and a build after one whose copy still exists (a `--keep` run, a direct build
        # beside) got that site's route data: SSG failed with "Cannot read properties of
        # undefined (reading 'id')" in DocItem (reproduced; without the cache it builds). A copy
        # lives for one build, so the cache never saved time here anyway.
        env={**os.environ, "DOCUSAURUS_TELEMETRY_DISABLED": "1", "CI": "1",
             "DOCUSAURUS_NO_PERSISTENT_CACHE": "1"})
    took = time.monotonic() - started
    if run.returncode != 0:
        common.fail(f"docusaurus build of {args.name}", run.stdout + run.stderr, LOGS)
    return copy / "docusaurus-build", run.stdout + run.stderr, took


def packages(site: Path, args) -> Path:
    """The `node_modules` to build `site` with: --node-modules, else an `npm ci` of the site's own
    lockfile, else of the project's pinned one (a site without a `package.json`)."""
    if args.node_modules:
        return Path(args.node_modules)
    if (site / "package-lock.json").is_file():
        return npm_ci(site, Path(args.npm_cache))
    if (site / "package.json").is_file():
        others = [f for f in ("yarn.lock", "pnpm-lock.yaml", "bun.lockb") if (site / f).is_file()]
        sys.exit(f"{site}: no package-lock.json (only {', '.join(others) or 'package.json'}); "
                 "install its packages yourself and give --node-modules DIR")
    print(f"{site.name}: no package.json; Docusaurus from {PINNED.relative_to(HERE.parents[1])}")
    return npm_ci(PINNED, Path(args.npm_cache))


def npm_ci(source: Path, cache: Path) -> Path:
    """`npm ci` of `source`'s package.json + package-lock.json, once per lockfile (and Node
    version): the install is kept as CACHE/KEY/node_modules."""
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    digest = hashlib.sha256(node.encode())
    for name in ("package.json", "package-lock.json"):
        digest.update((source / name).read_bytes())
    done = cache / digest.hexdigest()[:16]
    if (done / "node_modules").is_dir():
        return done / "node_modules"
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="installing-", dir=cache))
    for name in ("package.json", "package-lock.json"):
        shutil.copy(source / name, work / name)
    started = time.monotonic()
    run = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=work,
                         capture_output=True, text=True)
    if run.returncode != 0 and "EUSAGE" in run.stdout + run.stderr:
        # npm 11 refuses `ci` when a lockfile lacks entries for other platforms' optional packages
        # (@swc/html-darwin-*, …: "Missing: … from lock file"), even one it wrote itself here;
        # `install` keeps every locked version and only fills in those entries.
        print(f"npm ci of {source.name} refused the lockfile (EUSAGE); npm install from it instead")
        run = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
                             cwd=work, capture_output=True, text=True)
    if run.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        common.fail(f"npm ci of {source.name}", run.stdout + run.stderr, LOGS)
    print(f"npm ci of {source.name}: {time.monotonic() - started:.0f} s, kept in {done}")
    try:
        work.rename(done)
    except OSError:  # another run installed the same lockfile meanwhile
        shutil.rmtree(work, ignore_errors=True)
    return done / "node_modules"


def docusaurus_broken(log: str):
    """(kind, source route, target) from Docusaurus's broken link/anchor report."""
    found, kind, source = [], None, None
    for line in log.splitlines():
        m = re.search(r"Broken (link|anchor) on source page path = (\S+?):?$", line.strip())
        if m:
            kind, source = m.group(1), m.group(2)
            continue
        m = re.match(r"\s*->\s*linking to (\S+)", line)
        if m and kind:
            found.append((kind, source, m.group(1)))
    return found


def internal(url):
    """`isInternalUrl` of `@docusaurus/Link`: no scheme, not `//…`."""
    return bool(url) and not re.match(r"^(?:[A-Za-z][A-Za-z\d+.-]*:|//)", url)


def with_base_url(base, url):
    """`useBaseUrl` (core `client/exports/useBaseUrl.ts`)."""
    if url.startswith("#"):
        return url
    if url == base.rstrip("/"):
        return base
    if url.startswith(base):
        return url
    return base + url.lstrip("/")


def layout_links(layout):
    """The internal links every page shows (theme-classic `Logo`, `NavbarNavLink`,
    `Footer/LinkItem`, `Footer/Logo`), as the pages link them: Docusaurus reports a broken one on
    each page, intark-docs once at the config's line."""
    base, navbar, footer = layout["baseUrl"], layout["navbar"], layout["footer"]
    here = lambda item: item.get("target") in (None, "_self")  # noqa: E731
    found = []
    logo = navbar.get("logo") or {}
    if here(logo):
        found.append(logo.get("href") or "/")

    def items(values):
        for item in values or []:
            if item.get("items"):
                items(item["items"])
            elif item.get("type", "default") in ("default", "dropdown") and here(item):
                found.append(item.get("to") or item.get("href"))
    items(navbar.get("items"))
    for link in footer.get("links") or []:
        for item in link.get("items", [link]):
            if "html" not in item and here(item):
                found.append(item.get("to") or item.get("href"))
    if (footer.get("logo") or {}).get("href") and here(footer["logo"]):
        found.append(footer["logo"]["href"])
    return {with_base_url(base, u) for u in found if internal(u)}


def group_layout(broken_theirs, layout):
    """Docusaurus's reports split into the page's own links and the layout's: {(kind, target):
    [source pages]} for a target the layout links."""
    own, grouped = [], {}
    for kind, source, target in broken_theirs:
        if target in layout:
            grouped.setdefault((kind, target), []).append(source)
        else:
            own.append((kind, source, target))
    return own, grouped


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--intark", default=str(Path(__file__).resolve().parents[2]
                                            / "target/release/intark-docs"))
    ap.add_argument("--node-modules", default=os.environ.get("INTARK_DOCUSAURUS_NODE_MODULES"),
                    help="use these packages instead of installing the site's lockfile")
    ap.add_argument("--npm-cache", default=os.environ.get(
        "INTARK_DOCUSAURUS_NPM_CACHE", str(Path(tempfile.gettempdir()) / "intark-docusaurus-npm")),
                    help="where each lockfile's `npm ci` is kept")
    ap.add_argument("--json", help="write the comparison for run.py (common.Result)")
    ap.add_argument("--name", help="the site's name in messages (its folder's name)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = ap.parse_args()
    site = args.site.resolve()
    args.name = args.name or site.name
    if not Path(args.intark).is_file():
        sys.exit(f"no intark-docs binary at {args.intark} (cargo build, or give --intark PATH)")
    config_name = next((c for c in CONFIGS if (site / c).exists()), None)
    if not config_name:
        sys.exit(f"{site}: no docusaurus.config.*")
    work = Path(tempfile.mkdtemp(prefix="intark-diff-docusaurus-"))
    copy = work / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(
        "node_modules", "build", ".docusaurus", ".git"))
    try:
        return compare(args, copy, config_name)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def compare(args, copy: Path, config_name: str):
    theirs, log, their_time = docusaurus_build(args, copy, packages(copy, args), config_name)
    started = time.monotonic()
    ours_out = copy / "intark-build"
    # Our own search page has no counterpart in the original (as in hugo.py and jekyll.py).
    run = subprocess.run([args.intark, "build", "--no-check", "--no-search", "--root", str(copy),
                          "--out", str(ours_out)], capture_output=True, text=True)
    if run.returncode != 0:
        common.fail(f"intark-docs build of {args.name}", run.stdout + run.stderr, LOGS)
    check = subprocess.run([args.intark, "check", "--format", "json", "--root", str(copy)],
                           capture_output=True, text=True)
    our_time = time.monotonic() - started
    findings = json.loads(check.stdout)["findings"]

    # The docs route base: the common prefix of Docusaurus's doc pages is not known without
    # the config, so ours (which read the same config) names it through its routes.
    our_routes = routes(ours_out, "/")
    their_routes = routes(theirs, "/")
    # Our redirect pages (client redirects may stand anywhere, `/forum/`) name no docs route.
    pages = [r for r, p in our_routes.items()
             if r != "/" and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    base = os.path.commonpath(pages or ["/"])
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    our_routes = {r: p for r, p in our_routes.items() if r.startswith(base)}
    their_routes = {r: p for r, p in their_routes.items() if r.startswith(base)}
    only_theirs = sorted(set(their_routes) - set(our_routes))
    only_ours = sorted(set(our_routes) - set(their_routes))

    id_diffs, sidebar_diffs, href_diffs, id_pages_equal = [], [], [], 0
    shared = sorted(set(their_routes) & set(our_routes))
    for route in shared:
        t = docusaurus_page(their_routes[route].read_text(encoding="utf-8"))
        o = our_page(our_routes[route].read_text(encoding="utf-8"))
        if t.ids == o.ids:
            id_pages_equal += 1
        else:
            id_diffs.append((route, t.ids, o.ids))
        if t.sidebar and t.sidebar != o.sidebar:
            sidebar_diffs.append((route, t.sidebar, o.sidebar))
        if t.hrefs != o.hrefs:
            href_diffs.append((route, t.hrefs, o.hrefs))

    broken_theirs = docusaurus_broken(log)
    layout = layout_links(json.loads((copy / LAYOUT).read_text()))
    broken_theirs, layout_theirs = group_layout(broken_theirs, layout)
    # A layout link counts once, at the config file, as intark-docs reports it.
    theirs = broken_theirs + [(kind, config_name, target) for kind, target in sorted(layout_theirs)]
    theirs_by_file = by_file(copy, theirs, our_routes)
    # Docusaurus collects a page's links in a set (core `client/BrokenLinksContext.tsx`): a link
    # written on several lines of one page is one report there, several findings here.
    links, seen = [], set()
    for f in findings:
        key = (f["file"], f["rule"], f["message"])
        if f["rule"] in common.LINK_RULES and key not in seen:
            seen.add(key)
            links.append(f)
    agree, missed, extra = common.match(theirs_by_file, links, copy)

    print(f"docusaurus: {len(their_routes)} doc pages in {their_time:.1f}s; "
          f"intark-docs build + check: {our_time:.1f}s")
    print(f"routes under {base}: Docusaurus {len(their_routes)}, intark-docs {len(our_routes)}; "
          f"only Docusaurus: {len(only_theirs)}, only intark-docs: {len(only_ours)}")
    print(f"heading ids equal on {id_pages_equal} of {len(shared)} common pages")
    print(f"sidebar top level equal on {len(shared) - len(sidebar_diffs)} of {len(shared)} pages")
    print(f"sidebar hrefs equal on {len(shared) - len(href_diffs)} of {len(shared)} pages")
    print(f"broken links/anchors (a link once per page, a layout link once): Docusaurus "
          f"{len(theirs)}, intark-docs {len(links)}; agree {agree}")
    print(f"  of them layout links (navbar, footer): Docusaurus {len(layout_theirs)} ("
          + ", ".join(f"{t} on {len(s)} pages" for (_, t), s in sorted(layout_theirs.items()))
          + ")")
    for r in only_theirs:
        print(f"  URL only Docusaurus   {r}")
    for r in only_ours:
        print(f"  URL only intark-docs  {r}")
    for route, t, o in id_diffs:
        print(f"  ids {route}: Docusaurus {t} / intark-docs {o}")
    for route, t, o in sidebar_diffs[:10]:
        print(f"  sidebar {route}: Docusaurus {t} / intark-docs {o}")
    for route, t, o in href_diffs[:10]:
        print(f"  sidebar hrefs {route}: Docusaurus {t} / intark-docs {o}")
    for source, target, kind in missed:
        print(f"  only Docusaurus: broken {kind} on {source} -> {target}")
    for f in extra:
        print(f"  only intark-docs: {f['file']}:{f['line']}: {f['rule']}: {f['message'][:120]}")
    same = not (only_theirs or only_ours or id_diffs or sidebar_diffs or href_diffs or missed
                or extra)
    if args.json:
        write_result(args.json, copy, findings, theirs, their_routes, our_routes,
                     {"docusaurus": round(their_time, 1), "intark-docs": round(our_time, 1)})
    return 0 if same else 1


def source_files(copy: Path, our_routes):
    """Route -> source file (relative to the site) from the edit link on our page there."""
    files = {}
    for route, path in our_routes.items():
        for href in re.findall(r'href="([^"]+)"', path.read_text(encoding="utf-8")):
            tail = urllib.parse.unquote(urllib.parse.urlsplit(href).path)
            if not re.search(r"\.mdx?$", tail):
                continue
            parts = tail.strip("/").split("/")
            for i in range(len(parts)):
                rel = "/".join(parts[i:])
                if (copy / rel).is_file():
                    files[route] = rel
                    break
            if route in files:
                break
    return files


def by_file(copy: Path, broken, our_routes):
    """Docusaurus's reports (kind, source route, target) as (source file, target, kind), the
    file named by the edit link our page at that route carries; a source that is a file of the
    site (the config, for a layout link) stays as it is. Longer targets first: `common.match`
    looks for the href on the finding's line, and a short one is on many lines."""
    files = source_files(copy, our_routes)
    found = [(source if not source.startswith("/") and (copy / source).is_file() else
              files.get(urllib.parse.unquote(source).rstrip("/") + "/",
                        files.get(urllib.parse.unquote(source), source)), target, kind)
             for kind, source, target in broken]
    found.sort(key=lambda t: -len(t[1]))
    return found


def write_result(json_path, copy: Path, findings, broken_theirs, their_routes, our_routes, timings):
    """The comparison in `common.Result`'s shape: routes, heading ids per page, and Docusaurus's
    broken links (by source file, where the edit link names it) against our findings."""
    result = common.Result(tool="Docusaurus",
                           checker="docusaurus build (onBrokenLinks/onBrokenAnchors: warn)")
    result.pages_original, result.pages_ours = len(their_routes), len(our_routes)
    theirs = by_file(copy, broken_theirs, our_routes)
    ids_theirs = {r: set(docusaurus_page(p.read_text(encoding="utf-8")).ids)
                  for r, p in their_routes.items() if r in our_routes}
    ids_ours = {r: set(our_page(p.read_text(encoding="utf-8")).ids)
                for r, p in our_routes.items() if r in their_routes}
    common.classify(result, findings, theirs, copy, set(their_routes), set(our_routes),
                    ids_theirs, ids_ours)
    result.timings = timings
    common.report(result, json_path)


if __name__ == "__main__":
    sys.exit(main())

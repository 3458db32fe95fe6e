#!/usr/bin/env python3
"""The differential harness: build each real site of `sites.json` with its original tool and with
intark-docs, compare routes, heading ids and findings, and write the table `RESULTS.md`.

Per site it calls the flavour's script (`hugo.py`, `docusaurus.py`, `jekyll.py` in this folder) as
`SCRIPT SITE --json FILE [args]`; each script prints the shared text shape of `common.py` and writes
the JSON `common.Result`. A disagreement is classified as a false positive (an error of ours the
original's output does not have), a false negative (a broken link of the original's output we do
not report), a URL mismatch (a page at another URL) or an id mismatch (a page whose heading ids
differ).

Usage:
    bench/differential/run.py --prepare [--mirror DIR]   # write the extra sites into --sites
    bench/differential/run.py [--sites DIR] [--corpora DIR] [--only NAME ...] [--out FILE]
    bench/differential/run.py --only NAME --merge   # one row again; the others from their last run

The shared corpora come from `../shared/corpora`; the other sites are public repositories at the
commit in `sites.json`, written (outside the project) into `--sites` (default /tmp/intark-sites)
from a local git mirror (`--mirror DIR` holding `OWNER+NAME/repo`) or a shallow `git clone`.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared" / "corpora"


def git_dir(repo: str, commit: str, mirror):
    """A git directory holding `commit` of `repo`: the mirror's, else a fresh clone."""
    if mirror:
        path = Path(mirror) / repo.replace("/", "+") / "repo"
        if path.exists():
            return path
    path = Path(tempfile.gettempdir()) / "intark-clones" / repo.replace("/", "+")
    if not path.exists():
        subprocess.run(["git", "clone", "--bare", "--filter=blob:limit=2m",
                        f"https://github.com/{repo}", str(path)], check=True)
    return path


def export(gitdir: Path, commit: str, paths, dest: Path):
    """Write the files of `commit` under `paths` into `dest`; blobs the mirror lacks (its largest
    files) are left out and counted."""
    listing = subprocess.run(["git", "-C", str(gitdir), "ls-tree", "-r", "-z", commit, "--", *paths],
                             capture_output=True, check=True).stdout.split(b"\0")
    missing = 0
    for entry in filter(None, listing):
        meta, name = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        blob = subprocess.run(["git", "-C", str(gitdir), "cat-file", "blob", sha.decode()],
                              capture_output=True)
        if blob.returncode != 0:
            missing += 1
            continue
        target = dest / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return missing


def prepare(site, sites_dir: Path, mirror):
    """Write one site of `sites.json` into `sites_dir/NAME` (a Hugo theme's example site gets the
    theme as `themes/THEME`, the layout of a site with a folder theme)."""
    dest = sites_dir / site["name"]
    if dest.exists():
        return
    gitdir = git_dir(site["repo"], site["commit"], mirror)
    tmp = sites_dir / (site["name"] + ".tmp")
    missing = export(gitdir, site["commit"], site.get("paths", []), tmp)
    if "theme" in site:
        example = tmp / site.get("example", "exampleSite")
        example.rename(sites_dir / site["name"])
        theme = dest / "themes" / site["theme"]
        theme.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(theme)
    else:
        tmp.rename(dest)
    print(f"{site['name']}: written to {dest} ({missing} large files absent from the mirror)")


def site_path(site, sites_dir: Path, corpora: Path):
    if site.get("shared"):
        return corpora / site["shared"]
    return sites_dir / site["name"] / site.get("subdir", "")


def run_site(site, sites_dir: Path, corpora: Path, intark: str):
    script = HERE / f"{site['flavour']}.py"
    path = site_path(site, sites_dir, corpora)
    if not script.exists():
        return {"status": f"no `{script.name}` on this branch"}
    if not path.exists():
        return {"status": "site not prepared (run with --prepare)"}
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        start = time.monotonic()
        name = ["--name", site["name"]] if site["flavour"] == "docusaurus" else []
        run = subprocess.run([sys.executable, str(script), str(path), "--json", out.name,
                              "--intark", intark, *name, *site.get("args", [])],
                             capture_output=True, text=True)
        elapsed = time.monotonic() - start
        text = Path(out.name).read_text()
    if not text.strip():
        # Each script ends a failure with one line saying what failed and why (`common.fail`).
        last = (run.stderr.strip() or run.stdout.strip() or "(no output)").splitlines()[-1]
        return {"status": "script failed: " + last[:400].replace("|", "\\|")}
    result = json.loads(text)
    result["status"] = "ok"
    result["seconds"] = round(elapsed, 1)
    return result


def pct(a, b):
    return "–" if not b else f"{100 * a / b:.1f} %"


def table(sites, results):
    rows = ["| site | flavour | commit | pages (original / ours) | routes equal | ids equal | "
            "our errors | original's broken links | false positives | false negatives | TODO errors | status |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for site in sites:
        r = results[site["name"]]
        commit = site.get("commit", "")[:8] or "see PROVENANCE.md"
        if r["status"] != "ok":
            rows.append(f"| {site['name']} | {site['flavour']} | {commit} | | | | | | | | | {r['status']} |")
            continue
        rows.append(
            f"| {site['name']} | {site['flavour']} | {commit} | {r['pages_original']} / {r['pages_ours']} | "
            f"{r['urls_equal']} of {r['urls_union']} ({pct(r['urls_equal'], r['urls_union'])}) | "
            f"{r['ids_equal']} of {r['ids_compared']} ({pct(r['ids_equal'], r['ids_compared'])}) | "
            f"{r['errors_ours']} | {r['errors_original']} | {len(r['false_positives'])} | "
            f"{len(r['false_negatives'])} | {len(r.get('own_rule_errors', []))} | {r['checker']}, {r['seconds']} s |")
    return "\n".join(rows)


def details(sites, results, limit=25):
    out = []
    for site in sites:
        r = results[site["name"]]
        if r["status"] != "ok":
            continue
        lines = []
        for label, key in (("false positive", "false_positives"), ("false negative", "false_negatives"),
                           ("URL only in the original", "url_only_original"),
                           ("URL only in ours", "url_only_ours"), ("ids differ", "id_mismatches"),
                           ("TODO error (no counterpart in the original)", "own_rule_errors")):
            items = r.get(key, [])
            for item in items[:limit]:
                lines.append(f"- {label}: `{item}`")
            if len(items) > limit:
                lines.append(f"- … {len(items) - limit} more {label}")
        rules = ", ".join(f"{k} {v}" for k, v in sorted(r.get("rules", {}).items())) or "none"
        out.append(f"### {site['name']}\n\nFindings of intark-docs by rule: {rules}.\n"
                   f"Timings: {json.dumps(r.get('timings', {}), sort_keys=True)}.\n")
        if site.get("note"):
            out.append(site["note"] + "\n")
        out.append("\n".join(lines) if lines else "No disagreement.")
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=Path, default=Path(tempfile.gettempdir()) / "intark-sites")
    ap.add_argument("--mirror", help="folder of git mirrors named OWNER+NAME/repo")
    ap.add_argument("--corpora", type=Path, default=SHARED,
                    help="the shared corpora (default ../shared/corpora beside the project)")
    ap.add_argument("--prepare", action="store_true", help="write the extra sites first")
    ap.add_argument("--only", nargs="*", help="names of the sites to run")
    ap.add_argument("--flavours", nargs="*", help="run only these flavours")
    ap.add_argument("--intark", default=str(ROOT / "target/debug/intark-docs"))
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--results", type=Path, default=Path(tempfile.gettempdir()) / "intark-differential-results",
                    help="where each site's result is kept (NAME.json)")
    ap.add_argument("--merge", action="store_true",
                    help="the table gets every site: those not run now from their kept result")
    args = ap.parse_args()
    sites = json.loads((HERE / "sites.json").read_text())
    every_site = list(sites)
    if args.only:
        sites = [s for s in sites if s["name"] in args.only]
    if args.flavours:
        sites = [s for s in sites if s["flavour"] in args.flavours]
    args.sites.mkdir(parents=True, exist_ok=True)
    if args.prepare:
        for site in sites:
            if not site.get("shared"):
                prepare(site, args.sites, args.mirror)
    if not args.corpora.exists():
        print(f"skipped (no {args.corpora}): shared corpora")
        sites = [s for s in sites if not s.get("shared")]
    results = {}
    for site in sites:
        results[site["name"]] = r = run_site(site, args.sites, args.corpora, args.intark)
        fp = len(r.get("false_positives", []))
        print(f"{site['name']}: {r['status']}" + (
            f"; routes {r['urls_equal']}/{r['urls_union']}, ids {r['ids_equal']}/{r['ids_compared']}, "
            f"false positives {fp}, false negatives {len(r['false_negatives'])}" if r["status"] == "ok" else ""),
            flush=True)
    # A site whose build failed on either side checked nothing: that fails the run (CI) as a false
    # positive does, rather than passing with a row missing.
    bad = [n for n, r in results.items()
           if r["status"].startswith("script failed") or r.get("false_positives")]
    args.results.mkdir(parents=True, exist_ok=True)
    for name, r in results.items():
        (args.results / f"{name}.json").write_text(json.dumps(r, ensure_ascii=False))
    if args.merge:
        for site in every_site:
            kept = args.results / f"{site['name']}.json"
            if site["name"] not in results and kept.is_file():
                results[site["name"]] = json.loads(kept.read_text())
        sites = [s for s in every_site if s["name"] in results]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = (HERE / "RESULTS.head.md").read_text() if (HERE / "RESULTS.head.md").exists() else ""
    args.out.write_text(f"{head}\nGenerated by `bench/differential/run.py` on {stamp}.\n\n"
                        f"{table(sites, results)}\n\n## Disagreements per site\n\n{details(sites, results)}\n")
    if bad:
        print(f"failed or with false positives: {', '.join(bad)}", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    os.umask(0o022)
    main()

// Bytes a reader's browser downloads for a search, measured in Chromium on a plain static server:
// open a page of a built site, type each query into the search box, wait for the results, and sum
// the sizes (headers + bodies, uncompressed) of every request the search made.
// Usage: [DELAY=ms between keys] node search-bytes.mjs BUILT_SITE_DIR QUERY... (one JSON line per query)
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { launch, staticServer, check } from "./lib.mjs";

const [root, ...queries] = process.argv.slice(2);

// The first page of the site: the shallowest index.html below the root (not the root's redirect).
function firstPage(dir, rel = "") {
  const names = readdirSync(dir).sort();
  for (const name of names) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory() && !name.startsWith("intark-search") && !name.startsWith("_")) {
      try { statSync(path.join(full, "index.html")); return `${rel}/${name}/`; } catch { /* deeper */ }
    }
  }
  return "/";
}

const server = await staticServer(root);
const browser = await launch();
try {
  for (const query of queries) {
    const tab = await browser.newPage();
    await tab.goto(`${server.base}${firstPage(root)}`);
    const requests = [];
    tab.on("requestfinished", (r) => requests.push(r));
    await tab.type("#sok", query, { delay: Number(process.env.DELAY || 0) });
    await tab.waitForFunction((q) => document.getElementById("sok-status").textContent.includes(`«${q}»`), query, { timeout: 30000 });
    const results = await tab.$$eval("#sok-resultater [role=option]", (items) => items.length);
    let bytes = 0;
    const byKind = {};
    for (const r of requests) {
      const sizes = await r.sizes();
      const n = sizes.responseBodySize + sizes.responseHeadersSize;
      bytes += n;
      const kind = new URL(r.url()).pathname.replace(/^\/intark-search\/(\w+)\/.*/, "$1").replace(/.*\//, "");
      byKind[kind] = (byKind[kind] || 0) + n;
    }
    check(results > 0, `"${query}" found nothing`);
    console.log(JSON.stringify({ query, results, requests: requests.length, bytes, byKind }));
    await tab.close();
  }
} finally {
  await browser.close();
  server.stop();
}

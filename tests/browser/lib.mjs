// Shared helpers for the browser tests: Debian's Chromium through playwright-core, and the
// intark-docs binary run as a child process.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Start `intark-docs serve --port 0` and resolve with { base, stop }. */
export function serve(bin, root) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error("serve did not start")), 20000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      const match = line.match(/http:\/\/([^/\s]+)/);
      if (!match) { reject(new Error(`no address in: ${line}`)); return; }
      lines.on("line", () => {});
      resolve({ base: `http://${match[1]}`, stop: () => child.kill() });
    });
    child.on("error", reject);
  });
}

export function check(condition, message) {
  if (!condition) { throw new Error(message); }
}

/** A plain static file server for a built site (any static host would do). Resolves with { base, stop }. */
export async function staticServer(root) {
  const { createServer } = await import("node:http");
  const { readFile, stat } = await import("node:fs/promises");
  const path = await import("node:path");
  const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".wasm": "application/wasm", ".xml": "application/xml" };
  const server = createServer(async (req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) { file = path.join(file, "index.html"); }
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" }).end(body);
    } catch {
      const body = await readFile(path.join(root, "404.html")).catch(() => "not found");
      res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" }).end(body);
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { base: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() };
}

/** The page types of a built guide, by URL path. */
export const PAGE_TYPES = {
  home: "/docs/",
  content: "/docs/teknisk-plattform/api/lonn-og-hr/",
  section: "/docs/veiledere/api-manager/",
  catalog: "/docs/api-katalog/",
  api: "/docs/api-katalog/lonn-og-hr/",
  "404": "/docs/finnes-ikke/",
  search: "/docs/sok/?q=tilgang",
  redirect: "/",
};

// A page on which each page type, the redirect page included, can be looked at: the redirect page
// refreshes at once, so its refresh is taken out to keep the page itself in view.
export async function pageShowingRedirect(context, server) {
  const page = await context.newPage();
  await page.route(`${server.base}${PAGE_TYPES.redirect}`, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/<meta http-equiv="refresh"[^>]*>/, "");
    await route.fulfill({ response, body });
  });
  return page;
}

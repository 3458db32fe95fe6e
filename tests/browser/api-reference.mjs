// The API reference on a published (static) site. Try it against a gateway: the reader's API key is
// typed into a masked field, kept in sessionStorage only, sent only as the key header (never in the
// URL, never in localStorage, never in the request preview); a gateway that does not allow the page's
// origin (CORS; the request fails without a response) gets an explanation. Then axe-core (WCAG 2.1 A/AA) with every fold open, light and
// dark, at 1280 and 390 px, and no sideways scroll at 390 px, on each page given; screenshots of each
// into OUT_DIR when it is given.
// Usage: node api-reference.mjs SITE_DIR TRY_PATH OUT_DIR|- PAGE_PATH...
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, staticServer, check } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [root, tryPath, out, ...pages] = process.argv.slice(2);
const server = await staticServer(root);
const browser = await launch();
const failures = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  const KEY = "hemmelig-nokkel-4711";
  const seen = [];
  let allowOrigin = true;
  await tab.route("https://gw-uio.intark.uh-it.no/**", async (route) => {
    const request = route.request();
    // Playwright's fulfilled responses skip the browser's CORS check, so a refused origin is
    // played as what the page sees of it: a fetch that fails without a response.
    if (!allowOrigin) { await route.abort("failed"); return; }
    const cors = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "*", "Access-Control-Allow-Methods": "*" };
    if (request.method() === "OPTIONS") { await route.fulfill({ status: 204, headers: cors }); return; }
    seen.push({ url: request.url(), headers: request.headers() });
    await route.fulfill({ status: 200, headers: { ...cors, "Content-Type": "application/json" }, body: JSON.stringify({ ok: true }) });
  });
  await tab.goto(`${server.base}${tryPath}`);
  const form = tab.locator("form[data-try]").first();
  const fold = tab.locator(".try-it").first();
  await fold.locator("summary").click();
  check((await form.locator("[data-try-target]").textContent()).length > 0, "before an institution is chosen the form says what to do");
  await tab.selectOption("#instans", "uio");
  const keyInput = form.locator("[data-try-key-input]");
  check(await keyInput.getAttribute("type") === "password", "the key field is masked");
  await keyInput.fill(KEY);
  check(await tab.evaluate(() => sessionStorage.getItem("intark-api-key")) === KEY, "the key is kept in sessionStorage");
  const local = await tab.evaluate(() => JSON.stringify(Object.assign({}, localStorage)));
  check(!local.includes(KEY), `the key is not in localStorage: ${local}`);
  check(!(await form.locator("[data-try-preview]").textContent()).includes(KEY), "the preview never shows the key");
  await form.locator(".try-send").click();
  await tab.waitForSelector(".try-result .try-status", { timeout: 10000 });
  check(seen.length === 1, `one request reached the gateway: ${seen.length}`);
  check(seen[0].headers["x-gravitee-api-key"] === KEY, "the key goes in the key header");
  check(!seen[0].url.includes(KEY) && !tab.url().includes(KEY), "the key is never in a URL");
  check((await tab.textContent(".try-result .status-code")) === "200", "the answer's status shows");

  // Another page of the site in the same tab: the key is still there, still masked.
  await tab.reload();
  check(await tab.locator("[data-try-key-input]").first().inputValue() === KEY, "the key is kept for the tab's session");

  allowOrigin = false;
  await tab.locator(".try-it").first().locator("summary").click();
  await tab.locator("form[data-try] .try-send").first().click();
  await tab.waitForFunction(() => /CORS/.test(document.querySelector(".try-result").textContent), null, { timeout: 10000 });
  await context.close();

  if (out !== "-") { mkdirSync(out, { recursive: true }); }
  for (const [colorScheme, width] of [["light", 1280], ["dark", 1280], ["light", 390], ["dark", 390]]) {
    const ctx = await browser.newContext({ colorScheme, viewport: { width, height: width > 500 ? 900 : 844 } });
    const page = await ctx.newPage();
    for (const path of pages) {
      await page.goto(`${server.base}${path}`);
      await page.waitForLoadState("load");
      if (out !== "-") {
        const name = path.replace(/^\/|\/$/g, "").replace(/\//g, "_");
        await page.screenshot({ path: join(out, `${name}-${width}-${colorScheme}.png`) });
      }
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > width) { failures.push(`${path} (${colorScheme}, ${width}px): page is ${wide}px wide`); }
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of result.violations) {
        failures.push(`${path} (${colorScheme}, ${width}px): ${v.id} – ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
      }
    }
    await ctx.close();
  }
  check(failures.length === 0, `API pages:\n${failures.join("\n")}`);
  console.log("api-reference: ok");
} finally {
  await browser.close();
  server.stop();
}

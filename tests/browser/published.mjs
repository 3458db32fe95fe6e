// The published site as a reader meets it, in Chromium on a plain static server: keyboard use, the
// instance selector and tabs, and axe-core (WCAG 2.1 A/AA) on every page type in light and dark colour
// schemes (from the system and chosen with the header's switch), on desktop and at phone width
// (search: search-quality.mjs). Usage: node published.mjs BUILT_SITE_DIR
import { createRequire } from "node:module";
import { launch, staticServer, check, PAGE_TYPES, pageShowingRedirect } from "./lib.mjs";

const [root] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const server = await staticServer(root);
const browser = await launch();
const failures = [];

try {
  const tab = await browser.newPage();

  // Keyboard: the skip link is the first stop and leads to the content.
  await tab.goto(`${server.base}${PAGE_TYPES.content}`);
  await tab.keyboard.press("Tab");
  check(await tab.evaluate(() => document.activeElement.classList.contains("skip-link")), "the first Tab reaches the skip link");
  await tab.keyboard.press("Enter");
  check(await tab.evaluate(() => location.hash === "#innhold"), "the skip link leads to the content");

  // Instance selector and tabs on an API page.
  await tab.goto(`${server.base}${PAGE_TYPES.api}`);
  const firstCurl = tab.locator(".tab-panel[data-tab-label=curl] code").first();
  check((await firstCurl.textContent()).includes("gw-uio."), "without a choice the default instance shows");
  await tab.selectOption("#instans", "uib");
  check((await firstCurl.textContent()).includes("gw-uib.intark.uh-it.no"), "choosing an institution rewrites the examples");
  await tab.reload();
  check((await tab.locator(".tab-panel[data-tab-label=curl] code").first().textContent()).includes("gw-uib"), "the choice is remembered");
  const firstTab = tab.locator("[role=tab]").first();
  await firstTab.focus();
  await tab.keyboard.press("ArrowRight");
  check(await tab.evaluate(() => document.activeElement.textContent === "PowerShell" && document.activeElement.getAttribute("aria-selected") === "true"), "arrow keys move between tabs");
  check(await tab.locator(".tab-panel[data-tab-label=PowerShell]").first().isVisible(), "the PowerShell panel shows");

  // axe-core on every page type, light and dark, desktop and phone: each scheme as the system gives
  // it (emulated prefers-color-scheme), and as the reader chooses it with the header's switch against
  // the system's.
  for (const [colorScheme, chosen, width] of [
    ["light", null, 1280], ["dark", null, 1280], ["light", null, 375], ["dark", null, 375],
    ["light", "dark", 1280], ["dark", "light", 1280], ["light", "dark", 375], ["dark", "light", 375],
  ]) {
    const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
    const page = await pageShowingRedirect(context, server);
    const scheme = chosen ? `${chosen} chosen, system ${colorScheme}` : colorScheme;
    if (chosen) {
      await page.goto(`${server.base}${PAGE_TYPES.content}`);
      // On phones the switch is in the menu.
      const toggle = page.locator(".nav-toggle");
      if (await toggle.isVisible() && (await toggle.getAttribute("aria-expanded")) !== "true") { await toggle.click(); }
      const button = page.locator("[data-scheme-switch]:visible");
      for (let i = 0; i < 3 && (await button.getAttribute("data-choice")) !== chosen; i++) { await button.click(); }
    }
    for (const [type, path] of Object.entries(PAGE_TYPES)) {
      await page.goto(`${server.base}${path}`);
      await page.waitForLoadState("load");
      const theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
      if (theme !== chosen) { failures.push(`${type} (${scheme}, ${width}px): data-theme is ${theme}`); }
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of result.violations) {
        failures.push(`${type} (${scheme}, ${width}px): ${v.id} – ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
      }
      const h1 = await page.locator("h1").count();
      if (h1 !== 1) { failures.push(`${type}: ${h1} h1 elements`); }
      if (type !== "redirect") {
        for (const landmark of ["header", "nav", "main", "footer"]) {
          if ((await page.locator(landmark).count()) === 0) { failures.push(`${type}: no <${landmark}>`); }
        }
      }
    }
    await context.close();
  }
  check(failures.length === 0, `accessibility:\n${failures.join("\n")}`);
  console.log("published: ok");
} finally {
  await browser.close();
  server.stop();
}

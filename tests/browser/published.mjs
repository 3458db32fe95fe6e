// The published site as a reader meets it, in Chromium on a plain static server: Norwegian search,
// keyboard use, the instance selector and tabs, and axe-core (WCAG 2.1 A/AA) on every page type in
// light and dark colour schemes and at phone width. Usage: node published.mjs BUILT_SITE_DIR
import { createRequire } from "node:module";
import { launch, staticServer, check, PAGE_TYPES, pageShowingRedirect } from "./lib.mjs";

const [root] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const server = await staticServer(root);
const browser = await launch();
const failures = [];

async function search(tab, query) {
  await tab.fill("#sok", "");
  await tab.type("#sok", query);
  await tab.waitForFunction((q) => document.getElementById("sok-status").textContent.includes(`«${q}»`), query, { timeout: 10000 });
  return tab.$$eval("#sok-resultater [role=option]", (items) => items.map((i) => ({
    title: i.querySelector(".search-title")?.textContent,
    heading: i.querySelector(".search-heading")?.textContent || "",
    href: i.querySelector("a").getAttribute("href"),
    text: i.textContent,
    marked: i.querySelector(".search-excerpt mark")?.textContent || "",
  })));
}

try {
  const tab = await browser.newPage();
  await tab.goto(`${server.base}/docs/`);

  // Search quality: a fixed list of Norwegian queries over the shipped guide and the results expected
  // at the top (stemming, title and heading matches first, anchors, typos, two-word queries).
  const QUALITY = [
    // [query, expected href of one of the first `top` results, top]
    ["tilganger", "/docs/veiledere/api-manager/godkjenne-tilgang/", 2],
    ["tilganger", "/docs/veiledere/api-manager/be-om-tilgang/", 2],
    ["notifikasjonene", "/docs/begreper/#notifikasjon", 3],
    ["notifikasjonene", "/docs/veiledere/meldingsko/registrere-tjeneste/#publisere-notifikasjoner-tilbyder", 1],
    ["abonnementet", "/docs/begreper/#abonnement", 1],
    ["api-nøkkel", "/docs/begreper/#api-nøkkel", 1],
    ["organisasjonsenhet", "/docs/api-katalog/lonn-og-hr/#schema-organisasjonsenhet", 1],
    ["rabbitmq", "/docs/teknisk-plattform/meldingsko/", 2],
    ["maskinporten tilbyder", "/docs/veiledere/maskinporten/tilbyder/", 1],
    ["importere definisjonsfil", "/docs/veiledere/api-manager/importere-api/", 1],
    ["notfikasjon", "/docs/begreper/#notifikasjon", 3], // typo: one letter missing
    ["rabitmq", "/docs/teknisk-plattform/meldingsko/", 2], // typo
  ];
  for (const [query, href, top] of QUALITY) {
    const results = await search(tab, query);
    check(results.slice(0, top).some((r) => r.href === href),
      `"${query}": expected ${href} in the first ${top}, got ${JSON.stringify(results.map((r) => r.href))}`);
  }
  const tilganger = await search(tab, "tilganger");
  check(tilganger.some((r) => /tilgang/i.test(r.title)), `"tilganger" should find a page about "tilgang": ${JSON.stringify(tilganger)}`);
  check(tilganger.some((r) => r.marked.toLowerCase().startsWith("tilgang")), `results highlight the match: ${JSON.stringify(tilganger)}`);
  const notifikasjonene = await search(tab, "notifikasjonene");
  check(/notifikasjon/i.test(notifikasjonene[0].heading + notifikasjonene[0].title), `"notifikasjonene" should find "notifikasjon" first: ${JSON.stringify(notifikasjonene)}`);
  check(notifikasjonene.every((r) => r.title && r.href.startsWith("/docs/")), "every result has its page title and address");
  // Catalog operations are found too, and the keyboard opens a result.
  const operation = await search(tab, "organisasjonsenhet");
  check(operation.some((r) => r.href.startsWith("/docs/api-katalog/")), `operations are searchable: ${JSON.stringify(operation)}`);
  await tab.focus("#sok");
  await tab.keyboard.press("ArrowDown");
  const activeId = await tab.getAttribute("#sok", "aria-activedescendant");
  check(activeId === "sok-treff-0", `ArrowDown selects the first result (${activeId})`);
  const expected = operation[0].href;
  await Promise.all([tab.waitForURL((u) => u.pathname + u.hash === expected || u.href.endsWith(expected)), tab.keyboard.press("Enter")]);
  await tab.keyboard.press("/");
  check(await tab.evaluate(() => document.activeElement.id === "sok"), "/ focuses the search box");
  await tab.keyboard.press("Escape");

  // Keyboard: the skip link is the first stop and leads to the content.
  await tab.goto(`${server.base}${PAGE_TYPES.content}`);
  await tab.keyboard.press("Tab");
  check(await tab.evaluate(() => document.activeElement.classList.contains("skip-link")), "the first Tab reaches the skip link");
  await tab.keyboard.press("Enter");
  check(await tab.evaluate(() => location.hash === "#innhold"), "the skip link leads to the content");

  // Instance selector and tabs on an API page.
  await tab.goto(`${server.base}${PAGE_TYPES.api}`);
  const firstCurl = tab.locator(".tab-panel[data-tab-label=curl] code").first();
  check((await firstCurl.textContent()).includes("gw-{instans}"), "without a choice the placeholder shows");
  await tab.selectOption("#instans", "uib");
  check((await firstCurl.textContent()).includes("gw-uib.intark.uh-it.no"), "choosing an institution rewrites the examples");
  await tab.reload();
  check((await tab.locator(".tab-panel[data-tab-label=curl] code").first().textContent()).includes("gw-uib"), "the choice is remembered");
  const firstTab = tab.locator("[role=tab]").first();
  await firstTab.focus();
  await tab.keyboard.press("ArrowRight");
  check(await tab.evaluate(() => document.activeElement.textContent === "PowerShell" && document.activeElement.getAttribute("aria-selected") === "true"), "arrow keys move between tabs");
  check(await tab.locator(".tab-panel[data-tab-label=PowerShell]").first().isVisible(), "the PowerShell panel shows");

  // axe-core on every page type, light and dark, desktop and phone.
  for (const [colorScheme, width] of [["light", 1280], ["dark", 1280], ["light", 375]]) {
    const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
    const page = await pageShowingRedirect(context, server);
    for (const [type, path] of Object.entries(PAGE_TYPES)) {
      await page.goto(`${server.base}${path}`);
      await page.waitForLoadState("load");
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of result.violations) {
        failures.push(`${type} (${colorScheme}, ${width}px): ${v.id} – ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
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

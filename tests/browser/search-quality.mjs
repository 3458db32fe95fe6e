// Search as a reader meets it, in Chromium on a plain static server over the built shipped guide:
// a fixed list of Norwegian queries with the results expected at the top (stemming, title and heading
// matches first, anchors, typos, two-word queries), the results panel (page hits with their sections
// under them, breadcrumbs, inside the viewport at every width and in both schemes, a modal on phones),
// the keyboard, and the full results page reached from the panel and with Enter.
// Usage: node search-quality.mjs BUILT_SITE_DIR
import { launch, staticServer, check } from "./lib.mjs";

const [root] = process.argv.slice(2);
const server = await staticServer(root);
const browser = await launch();

// The panel's results as groups: a page (its row) and the section rows under it.
async function search(tab, query) {
  await tab.fill("#sok", "");
  await tab.type("#sok", query);
  await tab.waitForFunction((q) => document.getElementById("sok-status").textContent.includes(`«${q}»`), query, { timeout: 15000 });
  return tab.$$eval("#sok-resultater [role=option]", (items) => {
    const groups = [];
    for (const i of items) {
      const row = {
        href: i.querySelector("a").getAttribute("href"),
        title: i.querySelector(".search-title")?.textContent || "",
        heading: i.querySelector(".search-heading")?.textContent || "",
        crumbs: i.querySelector(".search-crumbs")?.textContent || "",
        marked: i.querySelector(".search-excerpt mark")?.textContent || "",
        excerpt: i.querySelector(".search-excerpt")?.textContent || "",
      };
      if (i.classList.contains("search-page")) { groups.push({ ...row, sections: [] }); }
      else if (i.classList.contains("search-section") && groups.length) { groups[groups.length - 1].sections.push(row); }
      else if (i.classList.contains("search-all")) { groups.all = row.href; }
    }
    return { groups, all: groups.all };
  });
}
const hrefs = (group) => [group.href, ...group.sections.map((s) => s.href)];

try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tab.goto(`${server.base}/docs/`);

  const QUALITY = [
    // [query, expected href (a page or one of its sections) in the first `top` pages, top]
    ["tilganger", "/docs/veiledere/api-manager/godkjenne-tilgang/", 2],
    ["tilganger", "/docs/veiledere/api-manager/be-om-tilgang/", 2],
    ["notifikasjonene", "/docs/begreper/#notifikasjon", 3],
    ["notifikasjonene", "/docs/veiledere/meldingsko/registrere-tjeneste/#publisere-notifikasjoner-tilbyder", 2],
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
    const { groups } = await search(tab, query);
    check(groups.slice(0, top).some((g) => hrefs(g).includes(href)),
      `"${query}": expected ${href} in the first ${top}, got ${JSON.stringify(groups.map(hrefs))}`);
  }
  const tilganger = (await search(tab, "tilganger")).groups;
  check(tilganger.some((g) => /tilgang/i.test(g.title)), `"tilganger" finds a page about "tilgang": ${JSON.stringify(tilganger)}`);
  check(tilganger.some((g) => [g, ...g.sections].some((r) => r.marked.toLowerCase().startsWith("tilgang"))),
    `results highlight the match: ${JSON.stringify(tilganger)}`);
  check(tilganger.every((g) => g.title && g.href.startsWith("/docs/")), "every page hit has its title and address");
  const notifikasjonene = (await search(tab, "notifikasjonene")).groups;
  check(/notifikasjon/i.test(notifikasjonene[0].title + notifikasjonene[0].heading + notifikasjonene[0].sections.map((s) => s.heading).join(" ")),
    `"notifikasjonene" finds "notifikasjon" first: ${JSON.stringify(notifikasjonene[0])}`);

  // A hit on a page's title leads to the page's top, not a section of it.
  const importere = (await search(tab, "importere et api fra en definisjonsfil")).groups;
  check(importere[0].href === "/docs/veiledere/api-manager/importere-api/", `a title hit opens the page top: ${importere[0].href}`);
  // Each page hit carries its breadcrumb, so same-titled pages are told apart.
  const maskinporten = (await search(tab, "maskinporten tilbyder")).groups;
  check(maskinporten[0].crumbs.includes("Veiledere"), `a page hit shows its breadcrumb: ${JSON.stringify(maskinporten[0])}`);
  // Excerpts keep table cells apart.
  const organisasjonsenhet = (await search(tab, "organisasjonsenhet")).groups;
  check(organisasjonsenhet.every((g) => !/NavnType|TypePåkrevd/.test(g.excerpt + g.sections.map((s) => s.excerpt).join(" "))),
    `excerpts keep table cells apart: ${JSON.stringify(organisasjonsenhet)}`);
  // Sections of a page come under it, and only under it.
  const pages = organisasjonsenhet.map((g) => g.href.split("#")[0]);
  check(new Set(pages).size === pages.length, `one group per page: ${JSON.stringify(pages)}`);
  check(organisasjonsenhet.every((g) => g.sections.every((s) => s.href.split("#")[0] === g.href.split("#")[0])),
    `section hits sit under their own page: ${JSON.stringify(organisasjonsenhet)}`);

  // Keyboard: ArrowDown selects the first result, Enter opens it; `/` focuses the box.
  await tab.focus("#sok");
  await tab.keyboard.press("ArrowDown");
  check(await tab.getAttribute("#sok", "aria-activedescendant") === "sok-treff-0", "ArrowDown selects the first result");
  const first = organisasjonsenhet[0].href;
  await Promise.all([tab.waitForURL((u) => u.pathname + u.hash === first), tab.keyboard.press("Enter")]);
  await tab.keyboard.press("/");
  check(await tab.evaluate(() => document.activeElement.id === "sok"), "/ focuses the search box");

  // Enter with nothing chosen opens the full results page, which lists more than the panel.
  const { all } = await search(tab, "tilgang");
  check(all === "/docs/sok/?q=tilgang", `the panel ends with a link to all results: ${all}`);
  await Promise.all([tab.waitForURL((u) => u.pathname === "/docs/sok/"), tab.keyboard.press("Enter")]);
  await tab.waitForFunction(() => document.getElementById("sok-side-status").textContent.includes("«tilgang»"), null, { timeout: 15000 });
  const listed = await tab.$$eval("#sok-side-resultater .search-page a", (links) => links.map((a) => a.getAttribute("href")));
  check(listed.length > 6, `the results page lists more than the panel: ${listed.length}`);
  check(await tab.inputValue("#sok-side") === "tilgang", "the results page shows the query");

  // The panel stays inside the viewport at every width, in both schemes; on phones it is a modal.
  for (const [width, height] of [[1280, 900], [1920, 1080], [390, 844]]) {
    for (const colorScheme of ["light", "dark"]) {
      const context = await browser.newContext({ colorScheme, viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(`${server.base}/docs/veiledere/api-manager/`);
      await search(page, "tilgang til api");
      const outside = await page.evaluate(() => {
        const panel = document.getElementById("sok-resultater");
        const bad = [];
        const r = panel.getBoundingClientRect();
        if (r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight) { bad.push(`panel ${r.left},${r.top}–${r.right},${r.bottom}`); }
        for (const el of panel.querySelectorAll("*")) {
          const e = el.getBoundingClientRect();
          if (e.width && (e.left < r.left - 0.5 || e.right > r.right + 0.5)) { bad.push(`${el.className || el.tagName} ${e.left}–${e.right}`); }
        }
        return bad;
      });
      check(outside.length === 0, `${width}×${height} ${colorScheme}: search panel outside the viewport: ${outside.slice(0, 5).join("; ")}`);
      if (width < 500) {
        const modal = await page.evaluate(() => {
          const panel = document.getElementById("sok-resultater");
          const r = panel.getBoundingClientRect();
          return getComputedStyle(panel).position === "fixed" && r.width >= innerWidth - 1 && r.bottom >= innerHeight - 1;
        });
        check(modal, `${width}px: the panel is a modal over the page`);
      }
      await context.close();
    }
  }
  console.log("search-quality: ok");
} finally {
  await browser.close();
  server.stop();
}

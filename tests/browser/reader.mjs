// What a reader of the built shipped guide meets around code and headings, in Chromium on a plain static
// server (issue 22): examples that run when pasted (the catalog's default instance before any choice,
// the last chosen institution after), tabs of one kind in step across a page and across pages, and at
// 1280×900, 1920×1080 and 390×844 in both schemes: headings clear the sticky header (a deep link's
// heading fully visible below it), the header is at most 64 px tall on phones, the folded "on this
// page" menu, copy buttons that never cover code, tables that scroll inside their frame with the first
// column kept, and the TOC marking the section being read.
// Usage: node reader.mjs BUILT_SITE_DIR
import { launch, staticServer, check } from "./lib.mjs";

const [root] = process.argv.slice(2);
const server = await staticServer(root);
const browser = await launch();

const API = "/docs/api-katalog/lonn-og-hr/";
const OTHER_API = "/docs/api-katalog/stillingsregister/";
const HAND_WRITTEN = "/docs/kom-i-gang/kall-et-api/";
const DEEP_LINK = `${HAND_WRITTEN}#med-powershell`;
const VIEWPORTS = [[1280, 900], [1920, 1080], [390, 844]];

// A context whose clipboard writes are recorded in `window.copied` (no clipboard permission needed).
async function recordingContext(options) {
  const context = await browser.newContext(options);
  await context.addInitScript(() => {
    window.copied = [];
    if (navigator.clipboard) {
      navigator.clipboard.writeText = (text) => { window.copied.push(text); return Promise.resolve(); };
    }
  });
  return context;
}

// Click the copy button of the first visible code block inside `scope` and return what was copied.
async function copyFirst(tab, scope) {
  const button = tab.locator(`${scope} .code-block:visible .copy-button`).first();
  await button.click();
  await tab.waitForFunction(() => window.copied.length > 0);
  return tab.evaluate(() => window.copied.pop());
}

try {
  // 1. Examples that run when pasted.
  {
    const context = await recordingContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${server.base}${API}`);
    const first = await copyFirst(tab, ".tab-panel[data-tab-label=curl]");
    check(!first.includes("{"), `the first copy of a catalog example contains no "{": ${first}`);
    check(first.includes("gw-uio."), `before any choice the example uses the default instance (uio): ${first}`);
    await tab.goto(`${server.base}${HAND_WRITTEN}`);
    const written = await copyFirst(tab, ".doc");
    check(!written.includes("{"), `the first copy of a hand-written example contains no "{": ${written}`);
    // The institution chosen last is kept and used on later pages.
    await tab.goto(`${server.base}${API}`);
    await tab.selectOption("#instans", "uib");
    await tab.goto(`${server.base}${OTHER_API}`);
    check(await tab.locator("#instans").inputValue() === "uib", "the chosen institution is selected on the next page");
    const later = await copyFirst(tab, ".tab-panel[data-tab-label=curl]");
    check(later.includes("gw-uib.") && !later.includes("{"), `the chosen institution is used on the next page: ${later}`);
    await context.close();
  }

  // 2. Tabs in step: PowerShell chosen in one example switches every example, here and on later pages;
  // the clicked tab stays where it was on screen.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${server.base}${API}`);
    const groups = await tab.locator("[data-tabs] [role=tablist]").count();
    check(groups >= 3, `the API page has several tab groups (${groups})`);
    const chosen = tab.locator("[data-tabs] [role=tablist]").nth(2).getByRole("tab", { name: "PowerShell" });
    await chosen.scrollIntoViewIfNeeded();
    const before = (await chosen.boundingBox()).y;
    await chosen.click();
    const after = (await chosen.boundingBox()).y;
    check(Math.abs(after - before) <= 2, `the chosen tab stays in place (${before} → ${after})`);
    const selected = await tab.$$eval("[data-tabs] [role=tab][aria-selected=true]", (tabs) => tabs.map((t) => t.textContent));
    check(selected.length === groups && selected.every((l) => l === "PowerShell"), `every group shows PowerShell: ${selected}`);
    const visibleCurl = await tab.$$eval(".tab-panel[data-tab-label=curl]", (ps) => ps.filter((p) => !p.hidden).length);
    check(visibleCurl === 0, `no curl panel stays visible (${visibleCurl})`);
    // Every PowerShell block is highlighted: token spans, and colours other than the block's own.
    const blocks = await tab.$$eval(".tab-panel[data-tab-label=PowerShell] pre code", (codes) => codes.map((code) => {
      const base = getComputedStyle(code).color;
      const spans = [...code.querySelectorAll("span[class]")];
      return { spans: spans.length, coloured: spans.filter((s) => getComputedStyle(s).color !== base).length };
    }));
    check(blocks.length >= groups, `each example has a PowerShell block (${blocks.length} for ${groups} groups)`);
    check(blocks.every((b) => b.spans > 0 && b.coloured > 0), `every PowerShell block has coloured highlight spans: ${JSON.stringify(blocks)}`);
    await tab.goto(`${server.base}${OTHER_API}`);
    const later = await tab.$$eval("[data-tabs] [role=tab][aria-selected=true]", (tabs) => tabs.map((t) => t.textContent));
    check(later.length > 0 && later.every((l) => l === "PowerShell"), `a later page starts on PowerShell: ${later}`);
    await context.close();
  }

  // Hand-written PowerShell blocks are highlighted too, whatever name the writer gave the language.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${server.base}${HAND_WRITTEN}`);
    const blocks = await tab.$$eval("pre code[class*=language-]", (codes) => codes
      .filter((c) => /language-(powershell|pwsh|ps1|ps)\b/.test(c.className))
      .map((c) => c.querySelectorAll("span[class]").length));
    check(blocks.length > 0 && blocks.every((n) => n > 0), `every hand-written PowerShell block has highlight spans: ${blocks}`);
    await context.close();
  }

  // Sidebar folders open and close in place, and stay open on later pages.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${server.base}${HAND_WRITTEN}`);
    const folder = tab.locator("#sidebar .nav-closed[data-folder]").first();
    const id = await folder.getAttribute("data-folder");
    const button = folder.locator(":scope > .nav-row > .nav-fold");
    check(await button.getAttribute("aria-expanded") === "false", "a closed folder has a closed fold button");
    await button.click();
    await tab.waitForFunction((id) => document.querySelector(`#sidebar [data-folder='${id}'] > ul:not([hidden]) a`), id, { timeout: 5000 });
    check(tab.url().endsWith(HAND_WRITTEN), "opening a folder does not navigate");
    check(await button.getAttribute("aria-expanded") === "true", "the button says open");
    await tab.goto(`${server.base}/docs/begreper/`);
    await tab.waitForFunction((id) => document.querySelector(`#sidebar [data-folder='${id}'] > ul:not([hidden]) a`), id, { timeout: 5000 })
      .catch(() => { throw new Error("an opened folder stays open on the next page"); });
    await tab.locator(`#sidebar [data-folder='${id}'] > .nav-row > .nav-fold`).click();
    check(await tab.locator(`#sidebar [data-folder='${id}'] > ul`).isHidden(), "the folder closes in place");
    await context.close();
  }

  // 3. Layout at each width and scheme.
  for (const [width, height] of VIEWPORTS) {
    for (const colorScheme of ["light", "dark"]) {
      const where = `${width}×${height} ${colorScheme}`;
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const tab = await context.newPage();

      // A deep link's heading is fully visible below the sticky header.
      await tab.goto(`${server.base}${DEEP_LINK}`);
      await tab.waitForTimeout(100);
      const deep = await tab.evaluate(() => {
        const header = document.querySelector(".site-header").getBoundingClientRect();
        const heading = document.getElementById("med-powershell").getBoundingClientRect();
        return { header: header.bottom, headerHeight: header.height, top: heading.top, bottom: heading.bottom, vh: innerHeight };
      });
      check(deep.top >= deep.header && deep.bottom <= deep.vh, `${where}: the deep link's heading is below the header and in view: ${JSON.stringify(deep)}`);
      if (width < 500) {
        check(deep.headerHeight <= 64, `${where}: the header is at most 64 px tall (${deep.headerHeight})`);
      }

      // "On this page": the side column at wide widths, a folded menu below them.
      const tocShown = await tab.locator("aside.toc").isVisible();
      const menuShown = await tab.locator(".toc-menu").isVisible();
      check(tocShown !== menuShown, `${where}: either the TOC column or the menu shows (column ${tocShown}, menu ${menuShown})`);
      if (menuShown) {
        check(!(await tab.locator(".toc-menu a").first().isVisible()), `${where}: the menu starts folded`);
        await tab.locator(".toc-menu summary").click();
        check(await tab.locator(".toc-menu a").first().isVisible(), `${where}: the menu opens`);
        check(await tab.locator(".toc-menu summary").textContent() === "På denne siden", `${where}: the menu's title`);
      }

      // Copy buttons never cover code (hand-written page and API page).
      for (const path of [HAND_WRITTEN, API]) {
        await tab.goto(`${server.base}${path}`);
        const covered = await tab.evaluate(() => {
          const hits = [];
          document.querySelectorAll(".code-block").forEach((frame) => {
            const button = frame.querySelector(".copy-button").getBoundingClientRect();
            const code = frame.querySelector("pre");
            if (!button.width || !code.offsetParent) { return; }
            const range = document.createRange();
            range.selectNodeContents(code);
            for (const r of range.getClientRects()) {
              if (r.width && r.height && r.left < button.right && r.right > button.left && r.top < button.bottom && r.bottom > button.top) {
                hits.push(code.textContent.slice(0, 40));
                break;
              }
            }
          });
          return hits;
        });
        check(covered.length === 0, `${where} ${path}: copy buttons cover code in ${JSON.stringify(covered)}`);
      }

      // Tables scroll inside their frame with the first column kept; the page never scrolls sideways.
      await tab.goto(`${server.base}${API}`);
      const tables = await tab.evaluate(() => {
        const out = { sideways: document.documentElement.scrollWidth > innerWidth, outside: [], lost: [] };
        document.querySelectorAll(".table-wrap").forEach((wrap, i) => {
          if (!wrap.offsetParent) { return; }
          const frame = wrap.getBoundingClientRect();
          if (frame.right > innerWidth + 1) { out.outside.push(i); }
          if (wrap.scrollWidth > wrap.clientWidth) {
            wrap.scrollLeft = wrap.scrollWidth;
            const cell = wrap.querySelector("tr > :first-child").getBoundingClientRect();
            if (Math.abs(cell.left - frame.left) > 2) { out.lost.push(i); }
            wrap.scrollLeft = 0;
          }
        });
        return out;
      });
      check(!tables.sideways, `${where}: the API page scrolls sideways`);
      check(tables.outside.length === 0, `${where}: tables ${tables.outside} reach past the window`);
      check(tables.lost.length === 0, `${where}: tables ${tables.lost} lose their first column when scrolled`);

      // The TOC marks the section being read.
      if (tocShown) {
        // A long page (the glossary), so that the headings checked can reach the top.
        await tab.goto(`${server.base}/docs/begreper/`);
        const ids = await tab.$$eval(".toc a", (links) => links.map((a) => decodeURIComponent(a.getAttribute("href").slice(1))));
        check(ids.length >= 6, `the glossary has a TOC (${ids.length})`);
        for (const id of [ids[2], ids[1], ids[3]]) {
          await tab.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
          await tab.waitForFunction((id) => document.querySelector(".toc a.toc-active")?.getAttribute("href") === `#${id}`, id, { timeout: 3000 })
            .catch(async () => { throw new Error(`${where}: the TOC does not mark #${id} (marks ${await tab.evaluate(() => document.querySelector(".toc a.toc-active")?.getAttribute("href"))})`); });
        }
      }
      await context.close();
    }
  }
  console.log("reader: ok");
} finally {
  await browser.close();
  server.stop();
}

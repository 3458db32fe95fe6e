// The writer's panel in the dev server (issue 22), in Chromium: each finding leads to its spot in the
// page (scrolled into view and highlighted) and to its source file and line through the `editor`
// template of intark.toml; broken links and TODOs are marked in the page itself; the panel docks
// along the bottom and starts folded on phones. Usage: node writer-panel.mjs BIN SITE_ROOT
import { launch, serve, check } from "./lib.mjs";
import { join } from "node:path";
import { writeFileSync } from "node:fs";

const [bin, root] = process.argv.slice(2);
const server = await serve(bin, root);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(`${server.base}/docs/lang/`);
  await tab.waitForSelector("#intark-findings .intark-finding", { timeout: 10000 });

  // The panel speaks the site's language, from the theme's `dev.panel` strings (the site is nb).
  check(await tab.locator("#intark-findings").getAttribute("aria-label") === "Funn på denne siden", "the panel's name is the site's string");
  const heading = await tab.locator("#intark-findings > button").first().textContent();
  check(/^intark-docs: \d+ funn på denne siden$/.test(heading), `the panel's count line: ${heading}`);
  check(await tab.locator("#intark-findings .intark-jump").first().textContent() === "Vis i siden", "the jump button's word");
  check(await tab.locator("#intark-findings .intark-dock").textContent() === "Fest nederst", "the dock button's word");

  // The broken link: marked in the page, reached from the panel, and opened in the editor.
  const link = tab.locator("main a[data-intark-finding=broken-link]");
  check(await link.count() === 1, "the broken link is marked in the page");
  check((await link.textContent()).includes("død lenke"), "the mark is on the broken link itself");
  const todo = tab.locator("main [data-intark-finding=todo]");
  check(await todo.count() === 1 && (await todo.textContent()).includes("TODO"), "the TODO is marked in the page");
  const item = tab.locator("#intark-findings .intark-finding", { hasText: "broken-link" });
  const editor = await item.locator("a.intark-edit").getAttribute("href");
  check(editor === `vscode://file/${join(root, "content/lang.md")}:66`, `the editor link: ${editor}`);
  check(!(await link.isVisible() && (await link.boundingBox()).y < 900), "the broken link starts out of view");
  await item.locator("button.intark-jump").click();
  await tab.waitForTimeout(300);
  const box = await link.boundingBox();
  check(box.y >= 0 && box.y + box.height <= 900, `the jump brings the link into view (${box.y})`);
  check(await link.evaluate((a) => a.hasAttribute("data-intark-flash")), "the spot is highlighted");

  // Docked along the bottom: the full width, at the bottom edge; the choice is kept.
  await tab.locator("#intark-findings .intark-dock").click();
  const docked = await tab.locator("#intark-findings").boundingBox();
  check(docked.x === 0 && Math.abs(docked.width - 1280) < 20 && Math.abs(docked.y + docked.height - 900) < 2, `docked at the bottom: ${JSON.stringify(docked)}`);
  await tab.reload();
  await tab.waitForSelector("#intark-findings .intark-finding");
  check(await tab.locator("#intark-findings").getAttribute("data-dock") === "bottom", "the dock is kept");
  await context.close();

  // Phones: the panel starts folded.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const small = await phone.newPage();
  await small.goto(`${server.base}/docs/lang/`);
  await small.waitForSelector("#intark-findings");
  check(await small.locator("#intark-findings button[aria-expanded]").first().getAttribute("aria-expanded") === "false", "folded on phones");
  const folded = await small.locator("#intark-findings").boundingBox();
  check(folded.height < 80, `the folded panel is small (${folded.height} px)`);

  // A front-matter error is shown on the error page at the line that broke, and its long message
  // wraps inside a phone's width instead of running off it sideways.
  writeFileSync(join(root, "content/brudd.md"), `---\ntitle: [Kall et API ${"veldig-lang-tittel-".repeat(30)}\n---\nTekst.\n`);
  let reply = null;
  for (let i = 0; i < 50 && (!reply || reply.status() !== 500); i++) {
    await small.waitForTimeout(200);
    // A reload the live script starts on the rebuild can abort this navigation: try again.
    reply = await small.goto(`${server.base}/docs/brudd/`).catch(() => null);
  }
  check(reply && reply.status() === 500, `the broken page is an error page (${reply && reply.status()})`);
  await small.waitForLoadState("load");
  const text = await small.locator("main").textContent();
  check(text.includes("content/brudd.md:2"), `the error names line 2: ${text.slice(0, 300)}`);
  const widths = await small.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  check(widths[0] <= widths[1], `the error page does not scroll sideways (${widths})`);
  await phone.close();
  console.log("writer-panel: ok");
} finally {
  await browser.close();
  server.stop();
}

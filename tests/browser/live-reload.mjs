// End to end: a writer edits Markdown while the page is open in Chromium. The new text appears without
// a manual reload; a broken link shows in the findings panel and goes when fixed; a page that is not
// affected by an edit is not reloaded. Usage: node live-reload.mjs BIN SITE_ROOT
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, serve, check } from "./lib.mjs";

const [bin, root] = process.argv.slice(2);
const page = (body) => `---\ntitle: Side A\n---\n## Del\n${body}\n`;
writeFileSync(join(root, "content/a.md"), page("Første versjon."));
writeFileSync(join(root, "content/b.md"), "---\ntitle: Side B\n---\nAnnen side.\n");

const server = await serve(bin, root);
const browser = await launch();
try {
  const tab = await browser.newPage();
  await tab.goto(`${server.base}/docs/a/`);
  await tab.waitForFunction(() => document.querySelector("article")?.textContent.includes("Første versjon."));
  await tab.evaluate(() => { window.__notReloaded = true; });

  writeFileSync(join(root, "content/b.md"), "---\ntitle: Side B\n---\nAnnen side, endret.\n");
  await new Promise((r) => setTimeout(r, 1500));
  check(await tab.evaluate(() => window.__notReloaded === true), "an edit of another page reloaded this one");

  writeFileSync(join(root, "content/a.md"), page("Andre versjon."));
  await tab.waitForFunction(() => document.querySelector("article")?.textContent.includes("Andre versjon."), null, { timeout: 10000 });
  check(await tab.evaluate(() => window.__notReloaded !== true), "the page should have reloaded itself");

  writeFileSync(join(root, "content/a.md"), page("Se [død lenke](/docs/borte/)."));
  await tab.waitForFunction(() => document.querySelector("#intark-findings")?.textContent.includes("broken-link"), null, { timeout: 10000 });
  const panel = await tab.textContent("#intark-findings");
  check(panel.includes("content/a.md:5:4"), `panel shows file:line:col: ${panel}`);

  writeFileSync(join(root, "content/a.md"), page("Se [side B](/docs/b/)."));
  await tab.waitForFunction(() => !document.querySelector("#intark-findings") && document.querySelector("article")?.textContent.includes("side B"), null, { timeout: 10000 });
  console.log("live-reload: ok");
} finally {
  await browser.close();
  server.stop();
}

// Screenshots of each page type of a built site, desktop (1280) and phone (390), light and dark.
// Usage: node tests/browser/screenshots.mjs BUILT_SITE_DIR OUT_DIR [CORPUS_SITE_DIR]
// CORPUS_SITE_DIR is ../shared/corpora/sikt-datadeling built with its specs as the catalog (see
// README, "Looking at the site"); its FS Gemini API page is shot as `gemini-*.png` as well.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, staticServer, PAGE_TYPES, pageShowingRedirect } from "./lib.mjs";

const GEMINI = "/docs/api-katalog/fs-gemini/";
const VIEWPORTS = [["desktop", { width: 1280, height: 900 }], ["phone", { width: 390, height: 844 }]];

const [root, out, corpus] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const sites = [[root, PAGE_TYPES]];
if (corpus) {
  if (!existsSync(join(corpus, GEMINI, "index.html"))) {
    console.error(`${corpus} has no ${GEMINI}: build the corpus with its specs first (README)`);
    process.exit(2);
  }
  sites.push([corpus, { gemini: GEMINI }]);
}
const browser = await launch();
try {
  for (const [dir, pages] of sites) {
    const server = await staticServer(dir);
    try {
      for (const [device, viewport] of VIEWPORTS) {
        for (const colorScheme of ["light", "dark"]) {
          const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
          const page = await pageShowingRedirect(context, server);
          for (const [type, path] of Object.entries(pages)) {
            await page.goto(`${server.base}${path}`);
            await page.waitForLoadState("load");
            const file = join(out, `${type}-${device}-${colorScheme}.png`);
            await page.screenshot({ path: file, fullPage: false });
            console.log(file);
          }
          await context.close();
        }
      }
    } finally {
      server.stop();
    }
  }
} finally {
  await browser.close();
}

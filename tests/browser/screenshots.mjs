// Screenshots of each page type of a built site, desktop and phone, light and dark.
// Usage: node tests/browser/screenshots.mjs BUILT_SITE_DIR OUT_DIR
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, staticServer, PAGE_TYPES, pageShowingRedirect } from "./lib.mjs";

const [root, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const server = await staticServer(root);
const browser = await launch();
try {
  for (const [device, viewport] of [["desktop", { width: 1366, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
    for (const colorScheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
      const page = await pageShowingRedirect(context, server);
      for (const [type, path] of Object.entries(PAGE_TYPES)) {
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
  await browser.close();
  server.stop();
}

// The 404 page of the built shipped guide, as a reader who mistyped or followed an old address meets
// it (issue 22): a search box that leads to the full results page, and the three pages whose routes
// are closest to the missing one, at 1280×900, 1920×1080 and 390×844 in both schemes.
// Usage: node not-found.mjs BUILT_SITE_DIR
import { launch, staticServer, check } from "./lib.mjs";

const [root] = process.argv.slice(2);
const server = await staticServer(root);
const browser = await launch();

// [missing address, a page expected among the three offered]
const CASES = [
  ["/docs/kall-et-api/", "/docs/kom-i-gang/kall-et-api/"], // moved out of its folder
  ["/docs/kom-i-gang/kal-et-api/", "/docs/kom-i-gang/kall-et-api/"], // typo
  ["/docs/begrepr/", "/docs/begreper/"],
];

try {
  for (const [width, height] of [[1280, 900], [1920, 1080], [390, 844]]) {
    for (const colorScheme of ["light", "dark"]) {
      const where = `${width}×${height} ${colorScheme}`;
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const tab = await context.newPage();
      for (const [missing, expected] of CASES) {
        const response = await tab.goto(`${server.base}${missing}`);
        check(response.status() === 404, `${missing} answers 404`);
        // The suggestions come from the site's page list, fetched after the page loads.
        await tab.locator("[data-suggestions]:not([hidden]) li a").first().waitFor({ timeout: 10000 });
        const offered = await tab.$$eval("[data-suggestions]:not([hidden]) li a", (links) => links.map((a) => a.getAttribute("href")));
        check(offered.length === 3, `${where} ${missing}: three pages offered: ${offered}`);
        check(offered.includes(expected), `${where} ${missing}: ${expected} among ${offered}`);
        check(await tab.locator("[data-suggestions] li a").first().isVisible(), `${where}: the suggestions show`);
      }
      const box = tab.locator("form[role=search] input[type=search]");
      check(await box.isVisible(), `${where}: the 404 page has a search box in view`);
      const rect = await box.boundingBox();
      check(rect.x >= 0 && rect.x + rect.width <= width, `${where}: the search box fits the window`);
      await box.fill("tilgang");
      await box.press("Enter");
      await tab.waitForURL(/\/docs\/sok\/\?q=tilgang/);
      await context.close();
    }
  }
  console.log("not-found: ok");
} finally {
  await browser.close();
  server.stop();
}

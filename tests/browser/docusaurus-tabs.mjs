// Docusaurus tabs on the built fixture page /docs/faner/ (tests/fixtures/docusaurus-site), in
// Chromium, as theme-common's tabsUtils keeps them (issue 13): the `default` tab shows first; sets
// with one `groupId` follow each other by `value` (whatever their labels), on the page and on
// the next visit; a set without a groupId stands alone; `queryString` reads and writes the URL.
// Usage: node docusaurus-tabs.mjs BUILT_SITE_DIR
import { launch, staticServer, check } from "./lib.mjs";

const [root] = process.argv.slice(2);
const server = await staticServer(root);
const browser = await launch();
const PAGE = "/docs/faner/";

// The selected tab's label of each tab set on the page, in order.
const selected = (tab) =>
  tab.$$eval("[data-tabs]", (boxes) => boxes.map((box) => {
    const chosen = box.querySelector("[role=tab][aria-selected=true]");
    const shown = [...box.querySelectorAll(":scope > .tab-panel")].filter((p) => !p.hidden);
    return `${chosen ? chosen.textContent : "?"}/${shown.length}`;
  }));

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(`${server.base}${PAGE}`);
  let now = await selected(tab);
  check(JSON.stringify(now) === JSON.stringify(["macOS/1", "GNU/Linux/1", "Linux/1", "pip (Python)/1"]),
    `the default tab first, else the first, one panel shown in each set: ${now}`);
  // Choosing Linux in the first set of group "os" selects value linux ("GNU/Linux") in the other.
  await tab.locator("[data-tabs-group=os]").first().getByRole("tab", { name: "Linux" }).click();
  now = await selected(tab);
  check(JSON.stringify(now) === JSON.stringify(["Linux/1", "GNU/Linux/1", "Linux/1", "pip (Python)/1"]),
    `the group follows by value: ${now}`);
  // The second set of the group leads too, by value: "Mac" is value mac, "macOS" in the first.
  await tab.locator("[data-tabs-group=os]").nth(1).getByRole("tab", { name: "Mac" }).click();
  now = await selected(tab);
  check(JSON.stringify(now) === JSON.stringify(["macOS/1", "Mac/1", "Linux/1", "pip (Python)/1"]),
    `the other set of the group leads as well: ${now}`);
  // A set without a groupId changes alone and leaves the group as it is.
  await tab.locator("[data-tabs-independent]").getByRole("tab", { name: "windows" }).click();
  now = await selected(tab);
  check(JSON.stringify(now) === JSON.stringify(["macOS/1", "Mac/1", "windows/1", "pip (Python)/1"]),
    `a set without a group stands alone: ${now}`);
  // The group's choice is kept for the next visit; the set without a group starts over.
  await tab.locator("[data-tabs-group=os]").first().getByRole("tab", { name: "Linux" }).click();
  await tab.reload();
  now = await selected(tab);
  check(JSON.stringify(now) === JSON.stringify(["Linux/1", "GNU/Linux/1", "Linux/1", "pip (Python)/1"]),
    `the group's choice is kept, over the default: ${now}`);
  // `queryString`: the URL's `?pakke=npm` chooses over the default, and a choice is written to
  // the URL (theme-common tabsUtils: query string, then storage, then default).
  await tab.goto(`${server.base}${PAGE}?pakke=npm`);
  now = await selected(tab);
  check(now[3] === "npm/1", `the URL's value is shown: ${now}`);
  await tab.locator("[data-tabs-query=pakke]").getByRole("tab", { name: "pip (Python)" }).click();
  const search = await tab.evaluate(() => window.location.search);
  check(search === "?pakke=pip", `the choice is in the URL: ${search}`);
  await context.close();
  console.log("docusaurus tabs: ok");
} finally {
  await browser.close();
  server.stop();
}

// Try it under `intark-docs serve`, keyboard only: from an operation's heading, Tab to its "Prøv det"
// fold, open it, change the path parameter, Tab to Send and press Enter; the embedded sandbox answers
// and the page shows the status, headers and JSON body. The request goes to the dev server's sandbox
// route (no key field, no key typed) and the request preview follows the form. At phone width the
// operation is one column with nothing wider than the screen.
// Usage: node api-try-it.mjs BIN SITE_ROOT
import { launch, serve, check } from "./lib.mjs";

const [bin, root] = process.argv.slice(2);
const server = await serve(bin, root);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  const sent = [];
  tab.on("request", (r) => { if (r.url().includes("/_intark/sandbox")) { sent.push({ url: r.url(), method: r.method() }); } });
  await tab.goto(`${server.base}/docs/api-katalog/lonn-og-hr/#hentAnsatt`);
  await tab.waitForLoadState("load");
  const op = 'section[aria-labelledby="hentAnsatt"]';
  const focused = (css) => tab.evaluate((css) => document.activeElement === document.querySelector(css), css);
  const tabTo = async (css, limit = 80) => {
    for (let i = 0; i < limit; i += 1) {
      if (await focused(css)) { return; }
      await tab.keyboard.press("Tab");
    }
    throw new Error(`Tab never reached ${css}`);
  };
  await tabTo(`${op} .try-it > summary`);
  await tab.keyboard.press("Enter");
  check(await tab.evaluate((op) => document.querySelector(`${op} .try-it`).open, op), "Enter opens the try-it fold");
  check(await tab.locator(`${op} [data-try-key]`).isHidden(), "under serve no API key is asked for");

  const field = `${op} input[data-in="path"][data-name="ansattnummer"]`;
  await tabTo(field);
  await tab.keyboard.press("Control+A");
  await tab.keyboard.type("1009999");
  const preview = await tab.textContent(`${op} [data-try-preview]`);
  check(preview.includes("/_intark/sandbox/lonn/v1/ansatte/1009999"), `the preview follows the form: ${preview}`);

  await tabTo(`${op} .try-send`);
  await tab.keyboard.press("Enter");
  await tab.waitForSelector(`${op} .try-result .try-status`, { timeout: 10000 });
  const status = await tab.textContent(`${op} .try-result .try-status .status-code`);
  check(status === "200", `the sandbox answers 200, shown: ${status}`);
  const body = JSON.parse(await tab.textContent(`${op} .try-result .try-body`));
  check(typeof body.ansattnummer === "string" && typeof body.fornavn === "string", `the answer is an employee: ${JSON.stringify(body)}`);
  const headers = await tab.textContent(`${op} .try-result .try-headers`);
  check(/content-type: application\/json/i.test(headers), `the response headers show: ${headers}`);
  check(sent.length === 1 && sent[0].method === "GET" && new URL(sent[0].url).pathname === "/_intark/sandbox/lonn/v1/ansatte/1009999",
    `one GET to the sandbox route: ${JSON.stringify(sent)}`);

  // At phone width: one column, the examples below the text, no sideways scroll.
  await tab.setViewportSize({ width: 390, height: 844 });
  await tab.goto(`${server.base}/docs/api-katalog/lonn-og-hr/`);
  const layout = await tab.evaluate(() => {
    const main = document.querySelector(".operation .op-main").getBoundingClientRect();
    const aside = document.querySelector(".operation .op-aside").getBoundingClientRect();
    return { below: aside.top >= main.bottom - 1, width: document.documentElement.scrollWidth };
  });
  check(layout.below, "at 390 px the examples come below the text");
  check(layout.width <= 390, `no sideways scroll at 390 px: ${layout.width}`);
  console.log("api-try-it: ok");
} finally {
  await browser.close();
  server.stop();
}

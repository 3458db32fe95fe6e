// The header's colour scheme switch on the built shipped guide, in Chromium on a plain static server
// (issue 22): at 1280×900, 1920×1080 and 390×844, with the system (emulated prefers-color-scheme) light
// and dark, the switch is in view (in the header; on phones in the menu, where the header has no
// room for it beside the search box) and usable from the keyboard, its name says the scheme in use, each
// press moves on (system → light → dark → system), the page and its code blocks take the chosen scheme
// (not the system's), the choice survives a reload and is in place before the body is parsed (no
// flash of the other scheme), and "system" follows the system again.
// Usage: node scheme.mjs BUILT_SITE_DIR
import { launch, staticServer, check } from "./lib.mjs";

const [root] = process.argv.slice(2);
const server = await staticServer(root);
const browser = await launch();

// A hand-written page with bash and PowerShell, and a catalog page with generated examples.
const PAGES = ["/docs/kom-i-gang/kall-et-api/", "/docs/api-katalog/lonn-og-hr/"];
const VIEWPORTS = [[1280, 900], [1920, 1080], [390, 844]];
const LABELS = { system: "Fargetema: følger systemet", light: "Fargetema: lyst", dark: "Fargetema: mørkt" };

// The scheme the page shows: luminance of the page's and the first visible code block's backgrounds,
// and each highlighted token's contrast against its block and whether it is lighter than the block.
function looks() {
  const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const c = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
  };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const pre = [...document.querySelectorAll("pre.code")].find((p) => p.offsetParent && p.querySelector("span[class^='hl-']"));
  const codeBg = rgb(getComputedStyle(pre).backgroundColor);
  const tokens = [...pre.querySelectorAll("span[class^='hl-']")]
    .filter((s) => s.childElementCount === 0 && s.textContent.trim())
    .map((s) => ({ text: s.textContent.trim(), color: getComputedStyle(s).color }));
  return {
    page: lum(rgb(getComputedStyle(document.body).backgroundColor)),
    text: lum(rgb(getComputedStyle(document.body).color)),
    code: lum(codeBg),
    tokens: tokens.map((t) => ({ ...t, contrast: contrast(rgb(t.color), codeBg), lighter: lum(rgb(t.color)) > lum(codeBg) })),
  };
}

async function expectScheme(tab, scheme, where) {
  const seen = await tab.evaluate(looks);
  const dark = scheme === "dark";
  check(dark ? seen.page < 0.05 : seen.page > 0.8, `${where}: the page is ${scheme} (background luminance ${seen.page.toFixed(3)})`);
  check(dark ? seen.text > 0.6 : seen.text < 0.1, `${where}: the text is for a ${scheme} page (luminance ${seen.text.toFixed(3)})`);
  check(dark ? seen.code < 0.05 : seen.code > 0.8, `${where}: the code block is ${scheme} (background luminance ${seen.code.toFixed(3)})`);
  check(seen.tokens.length > 3, `${where}: the code block has highlighted tokens`);
  const wrong = seen.tokens.filter((t) => t.lighter !== dark || t.contrast < 4.5);
  check(wrong.length === 0, `${where}: tokens not in the ${scheme} scheme: ${JSON.stringify(wrong.slice(0, 4))}`);
}

// Phones: open the menu (the switch is there) unless it is open.
async function openMenu(tab) {
  const toggle = tab.locator(".nav-toggle");
  if (await toggle.isVisible() && await toggle.getAttribute("aria-expanded") !== "true") { await toggle.click(); }
}

async function clickSwitch(tab) {
  await openMenu(tab);
  await tab.locator("[data-scheme-switch]:visible").click();
}

async function switchState(tab) {
  return tab.evaluate(() => {
    const button = [...document.querySelectorAll("[data-scheme-switch]")].find((b) => b.offsetParent) || document.querySelector("[data-scheme-switch]");
    const icon = button.querySelector(".scheme-icon");
    return {
      name: button.getAttribute("aria-label"),
      choice: button.getAttribute("data-choice"),
      icon: icon && icon.offsetWidth >= 16 ? getComputedStyle(icon).maskImage : "none",
      theme: document.documentElement.getAttribute("data-theme"),
      stored: localStorage.getItem("intark-color-scheme"),
    };
  });
}

try {
  for (const [width, height] of VIEWPORTS) {
    for (const system of ["light", "dark"]) {
      const where = `${width}×${height} system ${system}`;
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: system });
      // Where the root's data-theme stands when the parser reaches <body>: before any paint.
      await context.addInitScript(() => {
        new MutationObserver((changes, observer) => {
          if (document.body) {
            window.themeAtBody = document.documentElement.getAttribute("data-theme");
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      const tab = await context.newPage();
      await tab.goto(`${server.base}${PAGES[0]}`);
      const phone = width < 768;
      const button = tab.locator("[data-scheme-switch]:visible");
      if (phone) {
        check(await tab.locator("header [data-scheme-switch]").isHidden(), `${where}: the header leaves the switch to the menu`);
        await openMenu(tab);
      }
      check(await button.count() === 1, `${where}: one switch in view`);
      const box = await button.boundingBox();
      check(box.x >= 0 && box.x + box.width <= width && box.y >= 0 && (phone || box.y + box.height <= 64), `${where}: the switch sits ${phone ? "in the menu" : "in the header"}, inside the window: ${JSON.stringify(box)}`);
      if (phone) {
        check((await button.textContent()).trim() === LABELS.system, `${where}: the menu's switch shows its name`);
      }
      check(box.width >= 24 && box.height >= 24, `${where}: the switch is at least 24 px square`);
      let state = await switchState(tab);
      check(state.name === LABELS.system && state.choice === "system" && state.theme === null, `${where}: without a choice the page follows the system: ${JSON.stringify(state)}`);
      const icons = { system: state.icon };
      await expectScheme(tab, system, `${where}, following the system`);

      // From the keyboard: Tab reaches it, Enter and Space press it.
      await tab.evaluate(() => document.querySelector(".site-search input").focus());
      for (let i = 0; i < 12; i++) {
        if (await tab.evaluate(() => document.activeElement.hasAttribute("data-scheme-switch"))) { break; }
        await tab.keyboard.press("Tab");
      }
      check(await tab.evaluate(() => document.activeElement.hasAttribute("data-scheme-switch")), `${where}: Tab reaches the switch`);
      const other = system === "light" ? "dark" : "light";
      for (const [key, choice] of [["Enter", "light"], [" ", "dark"]]) {
        await tab.keyboard.press(key === " " ? "Space" : key);
        state = await switchState(tab);
        check(state.name === LABELS[choice] && state.theme === choice && state.stored === choice, `${where}: a press chooses ${choice}: ${JSON.stringify(state)}`);
        icons[choice] = state.icon;
        for (const path of PAGES) {
          if (!tab.url().endsWith(path)) { await tab.goto(`${server.base}${path}`); }
          await expectScheme(tab, choice, `${where}, ${choice} chosen, ${path}`);
        }
        await tab.goto(`${server.base}${PAGES[0]}`);
        if (phone) { await openMenu(tab); }
        await tab.locator("[data-scheme-switch]:visible").focus();
      }
      // Each choice has an icon of its own.
      check(new Set(Object.values(icons)).size === 3 && !Object.values(icons).includes("none"), `${where}: three icons: ${Object.values(icons).map((i) => i.slice(0, 60))}`);
      // The choice against the system's scheme survives a reload, applied before the body exists.
      while ((await switchState(tab)).choice !== other) { await clickSwitch(tab); }
      await tab.reload();
      state = await switchState(tab);
      check(state.theme === other && state.name === LABELS[other], `${where}: ${other} survives a reload: ${JSON.stringify(state)}`);
      check(await tab.evaluate(() => window.themeAtBody) === other, `${where}: ${other} applies before the body is parsed`);
      await expectScheme(tab, other, `${where}, ${other} after a reload`);
      // Back to the system.
      while ((await switchState(tab)).choice !== "system") { await clickSwitch(tab); }
      state = await switchState(tab);
      check(state.theme === null && state.stored === null && state.name === LABELS.system, `${where}: the system again: ${JSON.stringify(state)}`);
      await expectScheme(tab, system, `${where}, back to the system`);
      await tab.reload();
      await expectScheme(tab, system, `${where}, the system after a reload`);
      await context.close();
    }
  }
  console.log("scheme: ok");
} finally {
  await browser.close();
  server.stop();
}

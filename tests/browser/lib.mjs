// Shared helpers for the browser tests: Debian's Chromium through playwright-core, and the
// intark-docs binary run as a child process.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Start `intark-docs serve --port 0` and resolve with { base, stop }. */
export function serve(bin, root) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error("serve did not start")), 20000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      const match = line.match(/http:\/\/([^/\s]+)/);
      if (!match) { reject(new Error(`no address in: ${line}`)); return; }
      lines.on("line", () => {});
      resolve({ base: `http://${match[1]}`, stop: () => child.kill() });
    });
    child.on("error", reject);
  });
}

export function check(condition, message) {
  if (!condition) { throw new Error(message); }
}

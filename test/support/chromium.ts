/**
 * Debian's Chromium for browser tests, driven by playwright-core (whose own browser download
 * cannot work here). `.ci/run` installs it (apt-get install chromium) when /usr/bin/chromium is
 * missing; CHROMIUM_PATH points elsewhere.
 */
import fs from "node:fs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The executable, or undefined when there is none (the browser tests then skip, saying so). */
export function findChromium(): string | undefined {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return CHROMIUM_PATH;
  } catch {
    return undefined;
  }
}

/**
 * Headless, as root in CI (no sandbox), and quiet: without the background-networking flags
 * Chromium keeps trying Google's hosts, which this machine's closed network refuses. Playwright's
 * launch() gives every run a fresh, empty profile (--user-data-dir) of its own.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

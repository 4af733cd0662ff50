// Debian's Chromium, driven by playwright-core (which downloads no browser): headless, a fresh
// profile, no background traffic. Missing Chromium fails the test that needs it.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

export async function launchChromium(options: { acceptDownloads?: boolean } = {}): Promise<BrowserContext> {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (.ci/run does)`);
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "cnnc-chromium-")), {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    acceptDownloads: options.acceptDownloads ?? false,
    viewport: { width: 1280, height: 900 },
  });
}

/** Parses `text` with the browser's XML parser; returns its error message, or null when well-formed. */
export async function xmlError(context: BrowserContext, text: string): Promise<string | null> {
  const page = await context.newPage();
  try {
    return await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, "image/svg+xml");
      return doc.querySelector("parsererror")?.textContent ?? null;
    }, text);
  } finally {
    await page.close();
  }
}

/**
 * Browser tests' helper: Debian's Chromium driven by playwright-core, headless, with a fresh profile and
 * no background network traffic. When Chromium is missing the tests are skipped with the reason,
 * unless JORM_REQUIRE_ALL_TESTS=1 (CI), where that is a failure.
 */

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where Chromium is expected. */
export const CHROMIUM_PATH = process.env['JORM_CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or `undefined` when they can. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
}

/** Whether missing prerequisites must fail the run instead of skipping. */
export const REQUIRE_ALL = process.env['JORM_REQUIRE_ALL_TESTS'] === '1';

/** A browser with a fresh profile; `close` removes the profile. */
export interface TestBrowser {
  context: BrowserContext;
  /** Opens a page that records console errors and uncaught exceptions in `problems`. */
  newPage(options?: { colorScheme?: 'light' | 'dark' }): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

/** Launches Chromium headless. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'jorm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    async newPage(options = {}) {
      const page = await context.newPage();
      if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      return { page, problems };
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

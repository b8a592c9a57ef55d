import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the dashboard tests leave a screenshot of every screen (linked from the README). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/dashboard/', import.meta.url));

/** Debian's Chromium, headless, with the project's standard flags (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the page's CSP does not
 * block it) and returns the serious and critical violations, one readable line each.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Clicks a screen in the top navigation and waits for its heading. */
export async function openScreen(page: Page, screen: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: screen, exact: true }).waitFor();
}

/** A fetch from inside the page, with the browser's cookies, as a script on the page could make it: the status. */
export function pageStatus(page: Page, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<number> {
  return page.evaluate(async ([url, options]) => (await fetch(url, { ...options, credentials: 'same-origin' })).status, [path, init] as const);
}

/** Signs an operator in through the sign-in form and waits for the first screen. */
export async function signInOperator(page: Page, baseUrl: string, operator: { login: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/dashboard`);
  await page.getByLabel('Login').fill(operator.login);
  await page.getByLabel('Password').fill(operator.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Live overview' }).waitFor();
}

import { rawRequest, startServer, type TestServer } from '@parley/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboardIfStale } from '../../scripts/build-dashboard.mjs';
import { initAgainst, officialSdk, rejection } from '../scenarios/sdk.js';
import { launchChromium, openScreen, pageStatus, screenshot, seriousA11yViolations } from './browser.js';

const OPERATOR = { login: 'ops-erin', password: 'dashboard-pass-1' };

/**
 * The dashboard in Debian Chromium against the real server: an operator signs in and does each
 * screen's main task; every change is checked through the public API with the official SDK; a
 * signed-out browser and forged CSRF tokens are refused; each screen passes axe-core (no serious
 * violations) and leaves a screenshot.
 */
describe('dashboard in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];

  const sdk = () => initAgainst(officialSdk.create(), server.url, server.app);
  const open = (screen: string) => openScreen(page, screen);
  const accessible = async (name: string) => {
    expect(await seriousA11yViolations(page), name).toEqual([]);
    await screenshot(page, name);
  };
  const pageFetch = (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => pageStatus(page, path, init);

  beforeAll(async () => {
    await buildDashboardIfStale({ quiet: true });
    server = await startServer();
    await server.server.services.operators.create(OPERATOR.login, OPERATOR.password);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // A Content-Security-Policy report in the console means something on a screen was blocked.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a signed-out browser, explains a wrong password, then signs in', async () => {
    await page.goto(`${server.url}/dashboard`);
    await expect.poll(() => page.getByRole('heading', { name: 'Parley dashboard' }).isVisible()).toBe(true);
    expect(await pageFetch('/admin/apps')).toBe(401);
    expect(await pageFetch('/admin/apps', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}' })).toBe(401);
    await accessible('sign-in');
    // The app's own addresses load index.html under a strict CSP; nothing outside dist/assets is served.
    const deepLink = await page.request.get(`${server.url}/dashboard/users?app=1`);
    expect(deepLink.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(await deepLink.text()).toContain('<div id="root">');
    for (const path of ['/dashboard/assets/..%2F..%2Fpackage.json', '/dashboard/assets/..%2Findex.html', '/dashboard/assets/nope.js']) {
      expect((await page.request.get(`${server.url}${path}`)).status(), path).toBe(404);
    }

    await page.getByLabel('Login').fill(OPERATOR.login);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Unknown login or wrong password');

    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Live overview');
    const cookie = (await context.cookies()).find((item) => item.name === 'parley_operator');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
  });

  it('Live overview: users online and messages per minute rise without a reload; a connection is kicked', async () => {
    const cube = initAgainst(officialSdk.create(), server.url, server.app, { endpoints: { api_url: server.url, chat: 'localhost', chat_url: server.wsUrl } });
    const session = await cube.createSession({ login: 'live-sender', password: 'password123' });
    expect((await rawRequest(server.url, '/admin/session')).status).toBe(401);
    await cube.chat.connect({ userId: session.user_id, password: 'password123' });
    const dialog = await cube.chat.dialog.create({ type: 2, name: 'Live room', occupants_ids: [] });
    await cube.chat.message.create({ chat_dialog_id: dialog._id, message: 'counted' });
    const now = async (key: string) => Number(await page.getByTestId(`now-${key}`).textContent());
    await expect.poll(() => now('messages_per_minute'), { timeout: 12_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => now('users_online'), { timeout: 12_000, interval: 500 }).toBe(1);
    expect(await page.locator('.chart canvas').count()).toBe(6);
    await accessible('live-overview');

    await page.getByRole('button', { name: `Disconnect user ${session.user_id}`, exact: false }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => page.getByText(`Disconnected user ${session.user_id}`).isVisible()).toBe(true);
    await expect.poll(() => cube.chat.isConnected).toBe(false);
  });

  it('Applications: create, show and rotate the secret, change a setting the SDK then obeys', async () => {
    await open('Applications');
    await page.getByLabel('New application name').fill('Shop');
    await page.getByRole('button', { name: 'Create application' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: /Shop/ }).isVisible()).toBe(true);
    const shop = (await server.server.services.apps.list()).find((app) => app.name === 'Shop');
    expect(shop).toBeDefined();

    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.getByTestId('auth-secret').textContent()).toBe(shop?.authSecret);
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await expect.poll(() => page.getByText('The auth secret was replaced').isVisible()).toBe(true);
    const rotated = await server.server.services.apps.get(shop?.id ?? 0);
    expect(rotated.authSecret).not.toBe(shop?.authSecret);
    await expect.poll(() => page.getByTestId('auth-secret').textContent()).toBe(rotated.authSecret);

    await page.getByLabel('Deny sessions without a user').check();
    await expect.poll(() => page.getByText('Setting saved').isVisible()).toBe(true);
    const cube = initAgainst(officialSdk.create(), server.url, { id: rotated.id, authKey: rotated.authKey });
    expect((await rejection(cube.createSession({ login: 'walk-in', password: 'password123' }))).code).toBe(401);
    await accessible('applications');

    // Deleting asks first, with the focus on Cancel; Escape (or Cancel) keeps the app.
    await page.getByRole('button', { name: 'Delete application…' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect((await server.server.services.apps.list()).some((app) => app.name === 'Shop')).toBe(true);
  });

  it('Users: search, edit, block (the SDK cannot sign in), unblock, sessions, delete', async () => {
    const cube = sdk();
    const session = await cube.createSession({ login: 'walter', password: 'password123' });
    await open('Users');
    await page.getByRole('combobox', { name: 'Application' }).selectOption(String(server.app.id));
    await page.getByRole('combobox', { name: 'Search in' }).selectOption('login');
    await page.getByRole('searchbox', { name: 'Contains' }).fill('walt');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'walter' }).click();
    await expect.poll(() => page.getByText(/Session \d+: since/).count()).toBeGreaterThanOrEqual(1);

    await page.getByRole('textbox', { name: 'Full name' }).fill('Walter White');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('User saved').isVisible()).toBe(true);
    const seen = await cube.users.get(session.user_id);
    expect((seen.user ?? seen).full_name).toBe('Walter White');

    await page.getByRole('button', { name: 'Block…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Block user' }).click();
    await expect.poll(() => page.getByText('walter is blocked').isVisible()).toBe(true);
    expect((await rejection(sdk().createSession({ login: 'walter', password: 'password123' }))).code).toBe(401);
    await accessible('users');

    await page.getByRole('button', { name: 'Unblock' }).click();
    await expect.poll(() => page.getByText('walter is unblocked').isVisible()).toBe(true);
    expect((await sdk().createSession({ login: 'walter', password: 'password123' })).user_id).toBe(session.user_id);

    await page.getByLabel('New password').fill('changed-by-operator');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByText('New password set for walter').isVisible()).toBe(true);
    expect((await rejection(sdk().createSession({ login: 'walter', password: 'password123' }))).code).toBe(401);
    expect((await sdk().createSession({ login: 'walter', password: 'changed-by-operator' })).user_id).toBe(session.user_id);

    await page.getByRole('button', { name: 'Delete user…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete user' }).click();
    await expect.poll(() => page.getByText('walter deleted').isVisible()).toBe(true);
    expect(await server.server.services.userAdmin.search(server.app.id, { login: 'walter', limit: 10, offset: 0 })).toMatchObject({ total: 0 });
  });

  it('Dialogs: a custom field added here is what dialog.create from the official SDK keeps; broadcast create; delete', async () => {
    const cube = sdk();
    const owner = await cube.createSession({ login: 'dialog-owner', password: 'password123' });
    await open('Dialogs');
    await page.getByRole('combobox', { name: 'Application' }).selectOption(String(server.app.id));
    await expect.poll(() => page.getByText('No custom field declared.').isVisible()).toBe(true);
    await page.getByLabel('New field name').fill('location');
    await page.getByRole('button', { name: 'Add field' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Declared custom fields' }).textContent()).toContain('location');

    const party = await cube.chat.dialog.create({ type: 2, name: 'Friday party', occupants_ids: [], extensions: { location: 'Sun bar', mood: 'dropped' } });
    expect(party.extensions).toEqual({ location: 'Sun bar' });

    await page.getByLabel('Name', { exact: true }).fill('Announcements');
    await page.getByLabel("Owner's user id").fill(String(owner.user_id));
    await page.getByLabel('location', { exact: true }).fill('HQ');
    await page.getByRole('button', { name: 'Create dialog' }).click();
    await expect.poll(() => page.getByText('Dialog “Announcements” created').isVisible()).toBe(true);
    const list = await cube.chat.dialog.list({ type: 1 });
    const announcements = list.items.find((item: { name: string }) => item.name === 'Announcements');
    expect(announcements).toMatchObject({ type: 1, extensions: { location: 'HQ' } });

    await page.getByRole('searchbox', { name: 'Name contains' }).fill('friday');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel("Member's user id").fill(String(owner.user_id));
    await page.getByRole('button', { name: 'List their dialogs' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByRole('cell', { name: /^Friday party/ }).first().isVisible()).toBe(true);
    await accessible('dialogs');
    await page.getByRole('button', { name: 'Delete dialog Friday party' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete dialog' }).click();
    await expect.poll(() => page.getByText('Dialog deleted').isVisible()).toBe(true);
    const remaining = await sdk().chat.dialog.list({ _id: party._id }).catch(() => ({ items: [] }));
    expect(remaining.items).toEqual([]);
  });

  it('Custom data: a class defined here takes SDK records; filter, edit and delete them', async () => {
    await open('Custom data');
    await page.getByRole('combobox', { name: 'Application' }).selectOption(String(server.app.id));
    await expect.poll(() => page.getByText('No custom-object class yet', { exact: false }).isVisible()).toBe(true);
    await page.getByLabel('Class name').fill('Report');
    await page.getByLabel('Field 1 name').fill('reason');
    await page.getByRole('button', { name: 'Add another field' }).click();
    await page.getByLabel('Field 2 name').fill('status');
    await page.getByRole('button', { name: 'Define class' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Report' }).isVisible()).toBe(true);

    const cube = sdk();
    await cube.createSession({ login: 'reporter', password: 'password123' });
    await cube.data.create('Report', { reason: 'spam', status: 'open' });
    await cube.data.create('Report', { reason: 'abuse', status: 'open' });

    await page.getByRole('combobox', { name: 'Field' }).selectOption('reason');
    await page.getByLabel('equals').fill('spam');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: /^Edit record/ }).click();
    await page.getByRole('textbox', { name: 'status' }).fill('closed');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Record saved').isVisible()).toBe(true);
    const mine = await cube.data.list('Report', { reason: 'spam' });
    expect(mine.items[0]).toMatchObject({ status: 'closed' });
    await accessible('custom-data');

    await page.getByRole('button', { name: /^Delete record/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete record' }).click();
    await expect.poll(() => page.getByText('Record deleted').isVisible()).toBe(true);
    expect((await cube.data.list('Report', {})).items).toHaveLength(1);
  });

  it('refuses forged CSRF tokens, reads at phone width, is reachable by keyboard, and signs out for real', async () => {
    expect(await pageFetch('/admin/apps', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"forged"}' })).toBe(403);
    expect(await pageFetch('/admin/apps', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'forged' }, body: '{"name":"forged"}' })).toBe(403);
    expect((await server.server.services.apps.list()).some((app) => app.name === 'forged')).toBe(false);

    // Phone width: no screen scrolls sideways as a whole (wide tables scroll inside their own box).
    await page.setViewportSize({ width: 390, height: 844 });
    for (const screen of ['Live overview', 'Applications', 'Dialogs', 'Custom data', 'Push', 'Meetings', 'Users']) {
      await open(screen);
      expect({ screen, fits: await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth) }).toEqual({ screen, fits: true });
    }
    await screenshot(page, 'users-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    // Keyboard only, from a fresh load of the screen's own address: the skip link first, then the screens.
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Users');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Applications');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Applications');

    expect(cspViolations).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await pageFetch('/admin/apps')).toBe(401);
  });
});

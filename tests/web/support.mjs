// What the browser tests share: one headless Chromium (Debian's, driven by
// playwright-core), pages opened in a Thai context, screenshots, axe-core
// accessibility checks and a watch on every page for console errors, uncaught
// exceptions and Content-Security-Policy violations.
//
// web_stack.py starts the real gateway and services and runs the tests with
//   PRONGSAI_WEB_URL        the gateway's base URL, http://127.0.0.1:PORT
//   PRONGSAI_WEB_KEYS       a JSON file mapping role -> the path of a file that
//                           holds that role's API key (the keys themselves are
//                           never in the environment)
//   PRONGSAI_WEB_ARTIFACTS  the folder screenshots go to
//
//   import { test } from 'node:test';
//   import { openPage, screenshot, expectNoSeriousAxeViolations } from './support.mjs';
//
//   test('home', async () => {
//     const { page } = await openPage('/');
//     await expectNoSeriousAxeViolations(page);
//     await screenshot(page, 'home');
//   });  // afterEach: fails the test on a console error or CSP violation
//
// The page's CSP stays enforced (no bypassCSP): tests of hostile input rely
// on it, and a page that only works without it is broken.
import { afterEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import axe from 'axe-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const CHROMIUM = '/usr/bin/chromium';

/** What web_stack.py created before the tests ran (seed.json). */
export const SEED = JSON.parse(fs.readFileSync(path.join(HERE, 'seed.json'), 'utf8'));

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests through tests/web/web_stack.py`);
  }
  return value;
}

/** The gateway's base URL, without a trailing slash. */
export const baseUrl = () => requiredEnv('PRONGSAI_WEB_URL').replace(/\/+$/, '');

/** The API key of `role` (SYSTEM, OPERATOR, INTEGRITY_OFFICER, EXECUTIVE,
 * AUDITOR), read from its private file. Never log what this returns. */
export function readKey(role) {
  const files = JSON.parse(fs.readFileSync(requiredEnv('PRONGSAI_WEB_KEYS'), 'utf8'));
  if (!Object.hasOwn(files, role)) {
    throw new Error(`no key for role ${role}; there are keys for ${Object.keys(files).join(', ')}`);
  }
  return fs.readFileSync(files[role], 'utf8').trim();
}

/** Calls the HTTP API with `role`'s key (see readKey) and returns the JSON
 * answer; fails the test, with the service's message, unless it is 2xx. */
export async function apiAs(role, method, urlPath, body) {
  const response = await fetch(baseUrl() + urlPath, {
    method,
    headers: {
      Authorization: `Bearer ${readKey(role)}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${urlPath}: ${response.status} ${json.message ?? ''}`);
  return json;
}

let browserPromise = null;

/** The one browser of this test file, started on first use. */
export function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({
      executablePath: CHROMIUM,
      // Chromium's sandbox needs user namespaces it cannot have as root.
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
  }
  return browserPromise;
}

// Pages opened since the last test ended: afterEach checks and closes them.
const openPages = [];

/**
 * Opens `urlPath` (e.g. '/track') of the application in a fresh browser
 * context (no cookies or storage from other tests) with a Thai locale and
 * Bangkok time, waits for the load event and returns
 * `{ page, context, response, problems }`. `problems` collects console
 * errors, uncaught exceptions and CSP violations; afterEach fails the test
 * when it is not empty (`expectNoPageProblems(page)` checks it earlier).
 * `options.contextOptions` adds to Playwright's newContext options.
 */
export async function openPage(urlPath = '/', options = {}) {
  const context = await (await browser()).newContext({
    baseURL: baseUrl(),
    locale: 'th-TH',
    timezoneId: 'Asia/Bangkok',
    viewport: { width: 1280, height: 900 },
    ...options.contextOptions,
  });
  const page = await context.newPage();
  const problems = await watchForProblems(page);
  openPages.push({ page, context, problems });
  const response = await page.goto(urlPath, { waitUntil: 'load' });
  return { page, context, response, problems };
}

// page -> its problems list.
const problemsOf = new WeakMap();

/**
 * Collects on `page`: console messages of type error (Chromium also reports
 * a blocked load or inline script there), uncaught exceptions, and
 * `securitypolicyviolation` events, which an init script forwards through a
 * binding (neither is subject to the page's CSP). Resolves to the live list.
 */
export async function watchForProblems(page) {
  const problems = [];
  problemsOf.set(page, problems);
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      problems.push(`console error: ${message.text()}` + (where?.url ? ` (${where.url}:${where.lineNumber})` : ''));
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('crash', () => problems.push('the page crashed'));
  // exposeBinding + addInitScript must be in place before the first
  // navigation; both apply to later navigations of the page as well.
  await page.exposeBinding('__prongsaiCspViolation', (_source, report) => {
    problems.push(
      `CSP violation: ${report.effectiveDirective} blocked ${report.blockedURI || '(inline)'}` +
        (report.sourceFile ? ` at ${report.sourceFile}:${report.lineNumber}` : ''),
    );
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__prongsaiCspViolation({
        effectiveDirective: event.effectiveDirective,
        blockedURI: event.blockedURI,
        sourceFile: event.sourceFile,
        lineNumber: event.lineNumber,
      });
    });
  });
  return problems;
}

/** Fails when `page` has had a console error, uncaught exception or CSP
 * violation, listing them. */
export function expectNoPageProblems(page) {
  const problems = problemsOf.get(page) ?? [];
  if (problems.length > 0) {
    assert.fail(`the page at ${page.url()} reported problems:\n  ${problems.join('\n  ')}`);
  }
}

/** Returns the problems `page` has had so far and forgets them: for a test
 * that expects some (e.g. that hostile input was blocked by the CSP) and
 * asserts on them itself. */
export function takePageProblems(page) {
  return (problemsOf.get(page) ?? []).splice(0);
}

/** Waits (up to `timeoutMs`) until `page` has reported a problem that
 * `matches`, then takes and returns all its problems as takePageProblems
 * does; fails listing what it did report when none matches. */
export async function waitForPageProblem(page, matches, timeoutMs = 10000) {
  const problems = problemsOf.get(page) ?? [];
  const deadline = Date.now() + timeoutMs;
  while (!problems.some(matches)) {
    if (Date.now() > deadline) {
      assert.fail(`no such problem on ${page.url()}; it reported: ${JSON.stringify(problems)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return takePageProblems(page);
}

afterEach(async () => {
  const pages = openPages.splice(0);
  // Violations reported just before the test ended still arrive.
  await Promise.all(pages.map(({ page }) => page.evaluate(() => 0).catch(() => {})));
  const reports = pages
    .filter(({ problems }) => problems.length > 0)
    .map(({ page, problems }) => `${page.url()}:\n  ${problems.join('\n  ')}`);
  await Promise.all(pages.map(({ context }) => context.close()));
  if (reports.length > 0) {
    assert.fail(`pages reported problems:\n${reports.join('\n')}`);
  }
});

after(async () => {
  if (browserPromise) {
    await (await browserPromise).close();
  }
});

/** A full-page PNG of `page` as PRONGSAI_WEB_ARTIFACTS/<name>.png; returns
 * the file's path. */
export async function screenshot(page, name) {
  const dir = requiredEnv('PRONGSAI_WEB_ARTIFACTS');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const SERIOUS = new Set(['serious', 'critical']);

/**
 * Runs axe-core (WCAG 2.x A and AA rules plus best practices) on the page as
 * it is now and fails with a readable list of every serious or critical
 * violation. axe's source goes in through page.evaluate, which the DevTools
 * protocol runs outside the page's CSP; a <script> tag would be refused by
 * `script-src 'self'`, as it should be. `options.include` / `exclude` narrow
 * the checked part (CSS selectors).
 */
export async function expectNoSeriousAxeViolations(page, options = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axe.source);
  }
  const violations = await page.evaluate(
    async ({ include, exclude }) => {
      const context = include || exclude ? { include: include ?? [document], exclude: exclude ?? [] } : document;
      const result = await window.axe.run(context, {
        resultTypes: ['violations'],
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    },
    { include: options.include, exclude: options.exclude },
  );
  const serious = violations.filter((v) => SERIOUS.has(v.impact));
  const listing = serious
    .map(
      (v) =>
        `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    at ${n.target}\n      ${(n.summary ?? '').replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
  if (serious.length > 0) {
    assert.fail(`axe found ${serious.length} serious or critical violation(s) on ${page.url()}:\n${listing}`);
  }
}

/** An account made with the SYSTEM API key for `role`, working for
 * `organizations` (the seed's staff organization unless given; an empty list
 * means every organization). Returns `{ login, password }`, the password
 * being the one-time one the service returns once. */
export async function makeAccount(role, organizations = [SEED.staff_organization]) {
  const login = `${role.toLowerCase().replace(/_/g, '-')}-${randomUUID().slice(0, 6)}`;
  const created = await apiAs('SYSTEM', 'POST', `/v1/accounts?account_id=${login}`, {
    display_name: `ทดสอบ ${role}`,
    roles: [role],
    organizations,
    all_organizations: organizations.length === 0,
  });
  assert.ok(created.initial_password, 'a one-time password is returned once');
  return { login, password: created.initial_password };
}

/** The password signedIn sets when the one-time one must change. */
export const NEW_PASSWORD = 'รหัสผ่านใหม่ที่ยาวพอ-2569';

/** Opens `path`, follows the redirect to /signin, signs in as `account`
 * (changing the one-time password when asked, and updating
 * `account.password`) and waits until the page is back at `path`. Returns
 * what openPage returns. */
export async function signedIn(account, path = '/staff') {
  const opened = await openPage(path);
  const { page } = opened;
  await page.waitForURL(/\/signin\?next=/);
  await page.getByLabel('ชื่อผู้ใช้').fill(account.login);
  await page.getByLabel('รหัสผ่าน', { exact: false }).first().fill(account.password);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.waitForURL((url) => url.pathname !== '/signin');
  if (new URL(page.url()).pathname === '/staff/password') {
    await page.getByLabel('รหัสผ่านปัจจุบัน').fill(account.password);
    await page.getByLabel('รหัสผ่านใหม่ (จำเป็น)', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('รหัสผ่านใหม่อีกครั้ง').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'เปลี่ยนรหัสผ่าน' }).click();
    account.password = NEW_PASSWORD;
  }
  await page.waitForURL((url) => url.pathname + url.search === path);
  return opened;
}

/** Calls the API with `role`'s key and returns `{ status, json }` whatever
 * the status: for asserting on refusals. */
export async function apiStatusAs(role, method, urlPath, body) {
  const response = await fetch(baseUrl() + urlPath, {
    method,
    headers: {
      Authorization: `Bearer ${readKey(role)}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

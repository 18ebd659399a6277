// The web application as the gateway serves it: the document, its security
// headers, history routing, that the browser enforces the page's CSP, and
// that web_stack.py's seed and staff keys are there for the flow tests.
// Each test opens its own page (support.mjs); afterEach fails a test whose
// page logged a console error or had a CSP violation it did not take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SEED,
  baseUrl,
  expectNoSeriousAxeViolations,
  openPage,
  readKey,
  screenshot,
  waitForPageProblem,
} from './support.mjs';

// docs: web contract. Every gateway answer carries these.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; " +
    "base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(self)',
};

function expectSecurityHeaders(response) {
  const headers = response.headers();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    assert.equal(headers[name], value, `${name} on ${response.url()}`);
  }
}

/** The application's document at `urlPath`, checked as a page every route
 * must be: HTML in Thai with the contract's headers, accessible. */
async function expectAppDocument(urlPath, screenshotName) {
  const { page, response } = await openPage(urlPath);
  assert.equal(response.status(), 200, `status of ${urlPath}`);
  assert.match(response.headers()['content-type'] ?? '', /^text\/html\b/, `content type of ${urlPath}`);
  expectSecurityHeaders(response);
  const html = await response.text();
  assert.match(html, /<html\b[^>]*\blang="th"/i, `${urlPath} is not an <html lang="th"> document`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'th');
  assert.equal(new URL(page.url()).pathname, urlPath, 'the app kept the address it was opened at');
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, screenshotName);
  return { page, response, html };
}

test('/ answers the application: Thai HTML with the security headers, accessible', async () => {
  await expectAppDocument('/', 'smoke-home');
});

test('/track answers the same application (history routing)', async () => {
  const home = await (await fetch(baseUrl() + '/')).text();
  const { html } = await expectAppDocument('/track', 'smoke-track');
  assert.equal(html, home, '/track serves index.html, as / does');
});

test("the browser enforces the page's CSP (hostile-input tests rely on it)", async () => {
  const { page } = await openPage('/');
  const outcome = await page.evaluate(async () => {
    const reported = new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
      // A bound, not a timing check: without a CSP there is no event.
      setTimeout(() => resolve('no violation reported'), 10000);
    });
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.head.append(script);
    return { ran: window.__injected === true, directive: await reported };
  });
  assert.deepEqual(outcome, { ran: false, directive: 'script-src-elem' });
  // support.mjs's collector saw it too (through a binding, so it may land a
  // moment after the event): taking it keeps afterEach from failing the test.
  const problems = await waitForPageProblem(page, (p) => p.startsWith('CSP violation: script-src-elem'));
  assert.ok(problems.length > 0);
});

test("the seed is in place, and each staff key reaches only its organization", async () => {
  const staffOrg = SEED.staff_organization;
  const otherOrg = SEED.organizations.find((o) => o.code !== staffOrg).code;
  const get = (path, role) =>
    fetch(baseUrl() + path, { headers: role ? { Authorization: `Bearer ${readKey(role)}` } : {} });
  for (const role of SEED.staff_roles) {
    const own = await get(`/v1/organizations/${staffOrg}`, role);
    assert.equal(own.status, 200, `${role} reading ${staffOrg}`);
    const { organization } = await own.json();
    assert.equal(organization.name, SEED.organizations.find((o) => o.code === staffOrg).name);
    assert.equal((await get(`/v1/organizations/${otherOrg}`, role)).status, 403, `${role} reading ${otherOrg}`);
  }
  assert.equal((await get(`/v1/organizations/${otherOrg}`, 'SYSTEM')).status, 200, 'SYSTEM reads every organization');
  for (const org of SEED.organizations) {
    const listed = await (await get(`/v1/organizations/${org.code}/categories`)).json();
    assert.deepEqual(
      listed.categories.map((c) => c.display_name).sort(),
      org.categories.map((c) => c.display_name).sort(),
      `public categories of ${org.code}`,
    );
  }
});

// Signing in through an OpenID Connect provider in a real browser: the provider is a real
// OAuth2 / OIDC server on loopback (npm oauth2-mock-server, lib/oauth-provider.mjs). A visitor
// clicks "Sign in with Corp SSO" on the sign-in page, goes through the provider's pages and
// back, chooses a handle on the welcome page, lands signed in, sees the linked provider on the
// account page, signs out, and signs in again with one click (no second welcome).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { useHarness, pageOf, requireStep, a11yChecker, STEP_TIMEOUT_MS } from './lib/harness.mjs';
import { startProviders } from './lib/oauth-provider.mjs';

let providers = null;
const harness = useHarness({
  serverOptions: async () => {
    providers = await startProviders();
    return {
      configToml: [
        '[[auth.providers]]',
        'id = "corp"',
        'kind = "oidc"',
        'name = "Corp SSO"',
        'client_id = "peerdesk"',
        'client_secret = "browser-test-secret"',
        `issuer = "${providers.urls.oidc}"`,
        '',
      ].join('\n'),
    };
  },
});
after(async () => providers?.stop());

let signedUp = false;

test('1. sign in with the provider, choose a handle, land signed in', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  const page = await pageOf(await harness.newContext('visitor'));
  const res = await page.goto('/login');
  assert.equal(res.status(), 200);
  const { check, failures } = a11yChecker(t);
  await check(page, 'sign-in page with a provider');

  const seen = [];
  page.on('request', (r) => seen.push(new URL(r.url()).origin));
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/auth/welcome'),
    page.getByRole('link', { name: 'Sign in with Corp SSO' }).click(),
  ]);
  // The browser really went through the provider (authorize endpoint) and back.
  assert.ok(seen.includes(providers.urls.oidc), `visited: ${[...new Set(seen)].join(', ')}`);

  assert.equal(await page.inputValue('#handle'), 'alice');
  await page.locator('p.lead', { hasText: 'alice@example.org' }).waitFor();
  await check(page, 'welcome (choose a handle)');
  await page.fill('#handle', 'alice-sso');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.getByRole('button', { name: 'Create my account' }).click(),
  ]);
  await page.locator('header a[href="/u/alice-sso"]').waitFor();

  await page.goto('/account');
  await page.locator('section .identities', { hasText: 'corp' }).waitFor();
  await check(page, 'account with a linked provider');
  assert.deepEqual(failures, [], failures.join('\n\n'));
  signedUp = true;
});

test('2. sign out, then one click signs in again', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireStep(signedUp, 'step 1 should have created the account');
  const page = await pageOf(harness.contexts.visitor);
  await page.goto('/');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
  await page.locator('header a[href="/login"]').waitFor();
  await page.goto('/login');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/' && !u.pathname.startsWith('/auth')),
    page.getByRole('link', { name: 'Sign in with Corp SSO' }).click(),
  ]);
  await page.locator('header a[href="/u/alice-sso"]').waitFor();
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated();
});

test('no console errors, page errors, CSP violations or error responses along the way', () => {
  harness.assertNoPageProblems();
});

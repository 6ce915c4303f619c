// The interface in the reader's language: a visitor whose browser asks for German sees the
// home, search, ask and thread pages in German with German relative times; switching to
// English sticks; a signed-in user's saved language wins over the browser's; axe passes in
// both languages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useHarness, pageOf, requireStep, a11yChecker, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

const greta = { handle: 'greta', name: 'Greta Gruber', email: 'greta@example.test', password: 'greta-password-1' };

const harness = useHarness();
const { newContext } = harness;
let threadUrl = null;

const lang = (page) => page.getAttribute('html', 'lang');
/** A German browser: Chromium sends `Accept-Language: de-DE,de` for this locale. */
const german = (name) => newContext(name, { locale: 'de-DE', timezoneId: 'Europe/Berlin' });

test('1. a German browser gets the home page in German, and signs up in German', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
  const page = await pageOf(await german('greta'));
  const a11y = a11yChecker(t);
  await page.goto('/');
  assert.equal(await lang(page), 'de');
  await page.getByRole('link', { name: 'Frage stellen' }).first().waitFor();
  assert.equal(await page.getByRole('link', { name: 'Ask a question' }).count(), 0);
  await a11y.check(page, 'home (de)');

  await page.goto('/signup');
  assert.equal(await lang(page), 'de');
  assert.match(await page.title(), /^Konto erstellen/);
  await page.fill('#handle', greta.handle);
  await page.fill('#name', greta.name);
  await page.fill('#email', greta.email);
  await page.fill('#password', greta.password);
  await Promise.all([
    page.waitForURL(harness.server.baseUrl + '/'),
    page.locator('form[action="/signup"] button[type=submit]').click(),
  ]);
  assert.deepEqual(a11y.failures, [], a11y.failures.join('\n'));
});

test('2. asking and reading a thread in German, with German relative times', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
  const page = await pageOf(harness.contexts.greta);
  const a11y = a11yChecker(t);
  await page.goto('/ask');
  assert.equal(await lang(page), 'de');
  assert.match(await page.title(), /^Frage stellen/);
  await a11y.check(page, 'ask (de)');
  await page.fill('#title', 'Der Router verliert nach dem Neustart die Einstellungen');
  await page.selectOption('#category', { index: 0 });
  await page.fill('#body', 'Nach jedem Stromausfall ist das WLAN-Passwort weg.');
  await Promise.all([
    page.waitForURL(THREAD_PATH_RE),
    page.locator('button[name=action][value=post]').click(),
  ]);
  threadUrl = page.url().replace(/#.*$/, '');
  assert.equal(await lang(page), 'de');
  // "gerade eben" / "vor 1 Minute": a relative time in German, the exact time on hover.
  const when = page.locator('article.post.kind-question time').first();
  assert.match(await when.innerText(), /gerade eben|vor \d+ Minuten?|vor einer Minute|\d{1,2}\. \w+/);
  assert.match(await when.getAttribute('title') ?? '', /MEZ|CET|CEST|MESZ/, 'the exact time in the reader\'s zone');
  await a11y.check(page, 'thread (de)');

  await page.goto('/search?q=Router');
  assert.equal(await lang(page), 'de');
  assert.match(await page.title(), /^Suche/);
  await a11y.check(page, 'search (de)');
  assert.deepEqual(a11y.failures, [], a11y.failures.join('\n'));
});

test('3. a visitor switches to English, and it sticks although the browser asks for German', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  const url = requireStep(threadUrl, 'step 2 should have made the thread');
  const page = await pageOf(await german('visitor'));
  const a11y = a11yChecker(t);
  await page.goto(url);
  assert.equal(await lang(page), 'de');
  await Promise.all([
    page.waitForURL(url),
    page.locator('#language-choice').selectOption('en'),
  ]);
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.getByRole('link', { name: 'Ask a question' }).first().waitFor();
  await a11y.check(page, 'thread (en)');
  await page.goto('/');
  assert.equal(await lang(page), 'en');
  await page.goto('/search?q=Router');
  assert.equal(await lang(page), 'en');
  assert.match(await page.title(), /^Search/);
  await a11y.check(page, 'search (en)');
  assert.deepEqual(a11y.failures, [], a11y.failures.join('\n'));
});

test('4. a signed-in user\'s saved language wins over the browser\'s', { timeout: STEP_TIMEOUT_MS }, async () => {
  const page = await pageOf(harness.contexts.greta);
  await page.goto('/account');
  await page.locator('select[name=locale]').selectOption('en');
  await page.locator('select[name=time_zone]').selectOption('America/New_York');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/account'),
    page.locator('form[action="/account/preferences"] button[type=submit]').click(),
  ]);
  assert.equal(await lang(page), 'en');
  // Her German browser still asks for German, and no switcher cookie is involved.
  await harness.contexts.greta.clearCookies({ name: 'peerdesk_lang' });
  await page.goto(requireStep(threadUrl, 'step 2 should have made the thread'));
  assert.equal(await lang(page), 'en');
  const when = page.locator('article.post.kind-question time').first();
  assert.match(await when.getAttribute('title') ?? '', /EST|EDT/, 'her saved zone');
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated();
});

test('no console errors, page errors or CSP violations along the way', () => {
  harness.assertNoPageProblems();
});

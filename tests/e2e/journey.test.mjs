// The main browser journey, against one real server in one real browser:
// two people sign up, one asks, the other answers and votes, the asker accepts,
// the home page lists the thread as solved; key pages pass axe (light and dark),
// and the plain forms still work with JavaScript switched off.
//
// The steps share state (users, thread URL) and run in order: node:test runs the
// top-level tests of a file one after another. If an early step fails, the later
// ones fail fast on a missing prerequisite instead of timing out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useHarness, pageOf, requireStep, a11yChecker, saveScreenshot, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

const alice = { handle: 'alice', name: 'Alice Asker', email: 'alice@example.test', password: 'alice-password-1' };
const bob = { handle: 'bob', name: 'Bob Builder', email: 'bob@example.test', password: 'bob-password-12' };
const question = {
  title: 'Router drops WiFi every evening after the update',
  body: 'Since the **firmware update** my router drops WiFi around 8 pm.\n\nI tried a reboot.',
  tags: 'wifi, firmware',
};
const answerText = 'Turn off band steering in the advanced WiFi settings.';
const noJsAnswerText = 'Also check the channel width: 20 MHz is more stable in crowded areas.';

const harness = useHarness();
const { contexts, newContext, signUp } = harness;
/** Filled in by the steps. */
let threadUrl = null;

const requireThread = () => requireStep(threadUrl, 'an earlier step should have created the thread');

/** The question is the first post on a thread page, answers follow. */
function questionPost(page) {
  return page.locator('article.post').first();
}

function answerPostWith(page, text) {
  return page.locator('article.post', { hasText: text });
}

test('1. user A signs up and is signed in on the home page', { timeout: STEP_TIMEOUT_MS }, async () => {
  const ctx = await newContext('alice');
  const page = await pageOf(ctx);
  await signUp(page, alice);
  assert.equal(new URL(page.url()).pathname, '/');
  // Signed in: the session cookie is set and /ask serves the form rather than a sign-in redirect.
  const cookies = await ctx.cookies();
  assert.ok(cookies.length > 0, 'sign-up should set a session cookie');
  const res = await page.goto('/ask');
  assert.equal(new URL(page.url()).pathname, '/ask', `expected the ask form, got ${page.url()} (${res.status()})`);
  await page.locator('#title').waitFor();
});

test('2. A asks a question, with a live markdown preview', { timeout: STEP_TIMEOUT_MS }, async () => {
  assert.ok(contexts.alice, 'step 1 should have signed A up');
  const page = await pageOf(contexts.alice);
  const res = await page.goto('/ask');
  // The preview below proves the script runs under this policy, so make sure the
  // policy is the strict one and not something that allows any inline script.
  const csp = res.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src[^;]*'nonce-/, `CSP: ${csp}`);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, `CSP: ${csp}`);

  // Live preview: peerdesk.js runs under the nonce CSP, debounces ~300 ms, then
  // POSTs /preview and fills #ask-preview. Waiting on the <strong> covers the debounce.
  await page.fill('#body', '**bold**');
  await page.locator('#ask-preview strong', { hasText: 'bold' }).waitFor({ state: 'visible' });

  await page.fill('#title', question.title);
  await page.selectOption('#category', { index: 0 });
  await page.fill('#body', question.body);
  await page.fill('#tags', question.tags);
  await Promise.all([
    page.waitForURL(THREAD_PATH_RE),
    page.getByRole('button', { name: 'Post your question' }).click(),
  ]);

  threadUrl = page.url().replace(/#.*$/, '');
  await page.getByRole('heading', { level: 1, name: question.title }).waitFor();
  await page.locator('.thread-head .badge.status-open').waitFor();
  await questionPost(page).locator('.markdown strong', { hasText: 'firmware update' }).waitFor();
});

test('3. user B signs up in a separate context and answers', { timeout: STEP_TIMEOUT_MS }, async () => {
  const url = requireThread();
  const ctx = await newContext('bob');
  const page = await pageOf(ctx);
  await signUp(page, bob);

  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: question.title }).waitFor();
  await page.fill('#answer-body', answerText);
  await Promise.all([
    page.waitForURL(THREAD_PATH_RE),
    page.getByRole('button', { name: 'Post your answer' }).click(),
  ]);
  const answer = answerPostWith(page, answerText);
  await answer.waitFor();
  assert.match(await answer.getAttribute('aria-label'), new RegExp(`answer by ${bob.name}`));
  await page.getByRole('heading', { level: 2, name: /1 answer/ }).waitFor();
});

test('4. B votes the question up without a page reload', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireThread();
  assert.ok(contexts.bob, 'step 3 should have signed B up');
  const page = await pageOf(contexts.bob);
  const score = questionPost(page).locator('.vote .score');
  assert.equal((await score.textContent()).trim(), '0');

  // A marker on window survives only if the page is not reloaded.
  await page.evaluate(() => { window.__noReload = true; });
  const voted = page.waitForResponse((r) => /\/p\/\d+\/vote$/.test(r.url()) && r.request().method() === 'POST');
  await questionPost(page).locator('.vote-form button.vote-up').click();
  const res = await voted;
  assert.equal(res.status(), 200, 'the script asks for JSON and gets 200, not a redirect');

  await questionPost(page).locator('.vote .score', { hasText: /^\s*1\s*$/ }).waitFor();
  assert.equal(await page.evaluate(() => window.__noReload), true, 'the vote reloaded the page');
  assert.equal(await questionPost(page).locator('button.vote-up').getAttribute('aria-pressed'), 'true');

  // The vote is stored: a fresh load shows it too.
  await page.reload();
  assert.equal((await questionPost(page).locator('.vote .score').textContent()).trim(), '1');
});

test('5. A accepts the answer and the thread is solved', { timeout: STEP_TIMEOUT_MS }, async () => {
  const url = requireThread();
  const page = await pageOf(contexts.alice);
  await page.goto(url);
  await answerPostWith(page, answerText).waitFor();
  await Promise.all([
    page.waitForURL(THREAD_PATH_RE),
    page.getByRole('button', { name: 'Accept this answer' }).click(),
  ]);
  await page.locator('.thread-head .badge.status-solved').waitFor();
  const answer = answerPostWith(page, answerText);
  assert.match(await answer.getAttribute('class'), /\baccepted\b/);
  await answer.locator('.accepted-mark', { hasText: 'Accepted' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Accept this answer' }).count(), 0);

  await saveScreenshot(page, 'thread.png');
});

test('6. the home page lists the thread as solved', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireThread();
  const ctx = await newContext('anonymous');
  const page = await pageOf(ctx);

  await page.goto('/');
  const row = page.locator('li.thread-row', { hasText: question.title });
  await row.waitFor();
  await row.locator('.badge.status-solved').waitFor();

  await page.goto('/?tab=solved');
  await page.locator('li.thread-row', { hasText: question.title }).waitFor();

  // and not among the unanswered ones
  await page.goto('/?tab=unanswered');
  await page.locator('h2#h-questions', { hasText: 'Questions' }).waitFor();
  assert.equal(await page.locator('li.thread-row', { hasText: question.title }).count(), 0);
});

test('7. key pages pass the accessibility check', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
  const url = requireThread();
  const anon = await pageOf(contexts.anonymous ?? await newContext('anonymous'));
  const signedIn = await pageOf(contexts.alice);

  const checks = [
    [anon, '/', 'home (anonymous)'],
    [anon, '/signup', 'sign-up'],
    [anon, '/login', 'sign-in'],
    [signedIn, '/ask', 'ask (signed in)'],
    [signedIn, url, 'thread (signed in)'],
    [anon, url, 'thread (anonymous)'],
  ];
  // Minor and moderate findings do not fail the test; list them in the output.
  const { check, failures } = a11yChecker(t);
  for (const [page, target, label] of checks) {
    const res = await page.goto(target);
    assert.equal(res.status(), 200, `${label}: ${target}`);
    await check(page, label);
  }

  // Dark colours come from prefers-color-scheme; check their contrast too.
  const dark = await signedIn.context().newPage();
  try {
    await dark.emulateMedia({ colorScheme: 'dark' });
    await dark.goto(url);
    assert.equal(await dark.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true);
    await check(dark, 'thread (signed in, dark)');
    await saveScreenshot(dark, 'thread-dark.png');
    await dark.goto('/');
    await check(dark, 'home (signed in, dark)');
  } finally {
    await dark.close();
  }

  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('8. without JavaScript: sign in, answer and vote through the plain forms', { timeout: STEP_TIMEOUT_MS }, async () => {
  const url = requireThread();
  const ctx = await newContext('bob-nojs', { javaScriptEnabled: false });
  const page = await pageOf(ctx);

  await page.goto('/login?next=' + encodeURIComponent(new URL(url).pathname));
  await page.fill('#login', bob.handle);
  await page.fill('#password', bob.password);
  await Promise.all([
    page.waitForURL(THREAD_PATH_RE),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.getByRole('heading', { level: 1, name: question.title }).waitFor();

  // The live preview needs JS; the form does not.
  await page.fill('#answer-body', noJsAnswerText);
  await Promise.all([
    page.waitForURL(THREAD_PATH_RE),
    page.getByRole('button', { name: 'Post your answer' }).click(),
  ]);
  await answerPostWith(page, noJsAnswerText).waitFor();
  await page.getByRole('heading', { level: 2, name: /2 answers/ }).waitFor();

  // Voting falls back to a full POST + redirect. B's up-vote from step 4 is on,
  // so pressing it again withdraws it.
  const up = questionPost(page).locator('button.vote-up');
  assert.equal(await up.getAttribute('aria-pressed'), 'true');
  await Promise.all([page.waitForURL(THREAD_PATH_RE), up.click()]);
  await questionPost(page).locator('.vote .score', { hasText: /^\s*0\s*$/ }).waitFor();
  assert.equal(await questionPost(page).locator('button.vote-up').getAttribute('aria-pressed'), 'false');
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated();
});

test('no console errors, page errors or CSP violations along the way', () => {
  harness.assertNoPageProblems();
});

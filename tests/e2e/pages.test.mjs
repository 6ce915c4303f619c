// A thread with more answers than one page holds: the page links work with and without
// JavaScript, the pages pass axe, and an old link to an answer now on page 2 finds its page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useHarness, pageOf, requireStep, a11yChecker, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

const alice = { handle: 'alice', name: 'Alice Asker', email: 'alice@example.test', password: 'alice-password-1' };
const bob = { handle: 'bob', name: 'Bob Builder', email: 'bob@example.test', password: 'bob-password-12' };
const PAGE_TWO_RE = /\/t\/\d+\/[^/?#]+\?page=2(?:#.*)?$/;

const harness = useHarness();
const { newContext, signUp } = harness;
/** Filled in by the steps. */
let threadUrl = null;
let lastAnswerId = null;

const answers = (page) => page.locator('article.post.kind-answer');

test('1. A asks; B answers 31 times: the last answer lands on page 2', { timeout: 3 * STEP_TIMEOUT_MS }, async () => {
  const a = await pageOf(await newContext('alice'));
  await signUp(a, alice);
  await a.goto('/ask');
  await a.fill('#title', 'Which of these many answers is right?');
  await a.selectOption('#category', { index: 0 });
  await a.fill('#body', 'Thirty-one people answered.');
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  threadUrl = a.url().replace(/#.*$/, '');

  const ctx = await newContext('bob');
  const b = await pageOf(ctx);
  await signUp(b, bob);
  await b.goto(threadUrl);
  const csrf = await b.locator('input[name=csrf]').first().inputValue();
  const id = new URL(threadUrl).pathname.split('/')[2];
  let location = '';
  for (let i = 1; i <= 31; i++) {
    const res = await ctx.request.post(`/t/${id}/answers`, {
      form: { csrf, body: `Answer number ${i}.` },
      maxRedirects: 0,
    });
    assert.equal(res.status(), 303);
    location = res.headers().location;
  }
  assert.match(location, /\?page=2#post-\d+$/, location);
  lastAnswerId = location.split('#post-')[1];
});

test('2. the page links lead through the answers; both pages pass axe', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  const url = requireStep(threadUrl, 'step 1 should have made the thread');
  const page = await pageOf(await newContext('anonymous'));
  const a11y = a11yChecker(t);
  await page.goto(url);
  assert.equal(await answers(page).count(), 30);
  const nav = page.getByRole('navigation', { name: 'Pages of answers' });
  await nav.waitFor();
  await a11y.check(page, 'thread page 1 of 2');
  await Promise.all([
    page.waitForURL(PAGE_TWO_RE),
    nav.getByRole('link', { name: 'Next →' }).click(),
  ]);
  assert.equal(await answers(page).count(), 1);
  await page.getByRole('heading', { level: 2, name: /31 answers.*page 2 of 2/ }).waitFor();
  // The question is on every page.
  await page.locator('article.post.kind-question', { hasText: 'Thirty-one people answered.' }).waitFor();
  await a11y.check(page, 'thread page 2 of 2');
  await Promise.all([
    page.waitForURL(url),
    nav.getByRole('link', { name: '← Previous' }).click(),
  ]);
  assert.deepEqual(a11y.failures, [], a11y.failures.join('\n'));
});

test('3. an old link to an answer now on page 2 finds its page', { timeout: STEP_TIMEOUT_MS }, async () => {
  const url = requireStep(threadUrl, 'step 1 should have made the thread');
  const id = requireStep(lastAnswerId, 'step 1 should have posted the answers');
  const page = await pageOf(await newContext('old-link'));
  await page.goto(`${url}#post-${id}`);
  await page.waitForURL(PAGE_TWO_RE);
  assert.ok(page.url().endsWith(`?page=2#post-${id}`), page.url());
  await page.locator(`#post-${id}`).waitFor();
});

test('4. without JavaScript the page links are plain links', { timeout: STEP_TIMEOUT_MS }, async () => {
  const url = requireStep(threadUrl, 'step 1 should have made the thread');
  const page = await pageOf(await newContext('no-js', { javaScriptEnabled: false }));
  await page.goto(url);
  await Promise.all([
    page.waitForURL(PAGE_TWO_RE),
    page.getByRole('navigation', { name: 'Pages of answers' }).getByRole('link', { name: '2', exact: true }).click(),
  ]);
  assert.equal(await answers(page).count(), 1);
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated();
});

test('no console errors, page errors, CSP violations or error responses along the way', () => {
  harness.assertNoPageProblems();
});

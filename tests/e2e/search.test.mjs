// Search in the browser, against one real server in one real browser:
// a solved thread is found from the header search box (with a highlighted
// snippet and a click-through to the thread), the results page and the
// "nothing found" page pass axe (light and dark), and the ask page suggests the
// solved thread as a similar question, both live while typing (JavaScript) and
// through the "Check for similar questions" button (no JavaScript).
//
// The steps share state (users, thread URL) and run in order: node:test runs the
// top-level tests of a file one after another. If an early step fails, the later
// ones fail fast on a missing prerequisite instead of timing out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  useHarness, pageOf, signIn, requireStep, a11yChecker, saveScreenshot, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

// The indexer applies a write within ~100-200 ms; allow a generous but bounded margin.
const INDEX_FRESHNESS_MS = 5_000;
const INDEX_RETRY_MS = 250;

// A word that appears only in the question body: finding the thread by it proves
// the body is indexed, and the snippet has to come from the body to mark it.
const DISTINCTIVE = 'quixotrellis';

const asker = { handle: 'sara', name: 'Sara Searcher', email: 'sara@example.test', password: 'sara-password-1' };
const helper = { handle: 'hank', name: 'Hank Helper', email: 'hank@example.test', password: 'hank-password-12' };
const question = {
  title: 'Router drops WiFi every evening after update',
  body: `Since the firmware update my router drops WiFi around 8 pm. The log shows a ${DISTINCTIVE} reset each time.\n\nI tried a reboot.`,
  tags: 'wifi, firmware',
};
const answerText = 'Turn off band steering in the advanced WiFi settings; it stops the evening drops.';
const similarQuery = 'wifi drops evening';

const harness = useHarness();
const { contexts, newContext, signUp } = harness;
/** Filled in by the steps. */
let threadUrl = null;
let threadPath = null;

const requireThread = () => requireStep(threadUrl, 'an earlier step should have created and solved the thread');

/** The search result for the thread (matched by its title link). */
function resultFor(page) {
  return page.locator('ol.results > li.result', {
    has: page.locator('h3 > a', { hasText: question.title }),
  });
}

/**
 * Reload the search page until the thread is listed as solved: the only retry in
 * this file, bounded, for the index catching up with the accept.
 */
async function reloadUntilSolvedResult(page) {
  const deadline = Date.now() + INDEX_FRESHNESS_MS;
  for (;;) {
    const row = resultFor(page);
    if (await row.count() === 1 && await row.locator('.badge.status-solved').count() === 1) return row;
    if (Date.now() > deadline) {
      const listed = await page.locator('ol.results > li.result h3').allTextContents();
      throw new Error(`the solved thread is not in the results of ${page.url()} after ${INDEX_FRESHNESS_MS} ms; listed: ${JSON.stringify(listed)}`);
    }
    await sleep(INDEX_RETRY_MS);
    const res = await page.reload();
    assert.equal(res.status(), 200);
  }
}

test('1. A asks, B answers, A accepts: the thread is solved', { timeout: STEP_TIMEOUT_MS }, async () => {
  const a = await pageOf(await newContext('asker'));
  await signUp(a, asker);
  await a.goto('/ask');
  await a.fill('#title', question.title);
  await a.selectOption('#category', { index: 0 });
  await a.fill('#body', question.body);
  await a.fill('#tags', question.tags);
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  const url = a.url().replace(/#.*$/, '');
  await a.getByRole('heading', { level: 1, name: question.title }).waitFor();

  const b = await pageOf(await newContext('helper'));
  await signUp(b, helper);
  await b.goto(url);
  await b.fill('#answer-body', answerText);
  await Promise.all([
    b.waitForURL(THREAD_PATH_RE),
    b.getByRole('button', { name: 'Post your answer' }).click(),
  ]);
  await b.locator('article.post', { hasText: answerText }).waitFor();

  await a.goto(url);
  await a.locator('article.post', { hasText: answerText }).waitFor();
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Accept this answer' }).click(),
  ]);
  await a.locator('.thread-head .badge.status-solved').waitFor();

  threadUrl = url;
  threadPath = new URL(url).pathname;
});

test('2. anonymous: the header search finds the thread by a word of its body', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireThread();
  const page = await pageOf(await newContext('anonymous'));
  await page.goto('/');

  const box = page.locator('form[role=search] #site-search');
  await box.fill(DISTINCTIVE);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === DISTINCTIVE),
    box.press('Enter'),
  ]);

  const row = await reloadUntilSolvedResult(page);
  const mark = row.locator('p.snippet mark');
  assert.ok(await mark.count() >= 1, `the snippet should mark the match: ${await row.locator('p.snippet').innerHTML()}`);
  assert.match((await mark.first().textContent()).toLowerCase(), new RegExp(DISTINCTIVE));
  // Facets list the status of the hit.
  await page.locator('aside.facets a', { hasText: 'solved' }).first().waitFor();

  const link = row.locator('h3 > a');
  assert.match(await link.getAttribute('href'), /^\/search\/click\/[^/]+\/thread\/\d+$/);
  await Promise.all([
    page.waitForURL((u) => u.pathname === threadPath),
    link.click(),
  ]);
  await page.getByRole('heading', { level: 1, name: question.title }).waitFor();
});

test('3. the search pages pass the accessibility check (light and dark)', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
  requireThread();
  const page = await pageOf(contexts.anonymous ?? await newContext('anonymous'));
  const { check, failures } = a11yChecker(t);
  const resultsPath = '/search?q=' + encodeURIComponent(DISTINCTIVE);

  let res = await page.goto(resultsPath);
  assert.equal(res.status(), 200);
  await resultFor(page).waitFor();
  await check(page, 'search results');

  res = await page.goto('/search?q=zzzzqqq');
  assert.equal(res.status(), 200);
  await page.getByRole('heading', { level: 2, name: /^0 results$/ }).waitFor();
  assert.equal(await page.locator('ol.results > li.result').count(), 0);
  // No result: the page suggests asking, with the search as the title.
  const askLink = page.locator('p.empty a', { hasText: 'ask the community' });
  assert.equal(await askLink.getAttribute('href'), '/ask?title=zzzzqqq');
  await check(page, 'search, no results');

  const dark = await page.context().newPage();
  try {
    await dark.emulateMedia({ colorScheme: 'dark' });
    res = await dark.goto(resultsPath);
    assert.equal(res.status(), 200);
    assert.equal(await dark.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true);
    await resultFor(dark).locator('p.snippet mark').first().waitFor();
    await check(dark, 'search results (dark)');
    await saveScreenshot(dark, 'search-dark.png');
  } finally {
    await dark.close();
  }

  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('4. ask page: typing a title lists the solved thread as similar', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireThread();
  const page = await pageOf(contexts.helper);
  const res = await page.goto('/ask');
  assert.equal(res.status(), 200);
  const list = page.locator('section#similar-list');
  assert.equal(await list.isHidden(), true, 'the list starts hidden');

  const fetched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/search/similar');
  await page.locator('#title').type(similarQuery, { delay: 40 });
  assert.equal((await fetched).status(), 200);

  await list.waitFor({ state: 'visible' });
  const link = list.locator('a', { hasText: question.title });
  await link.waitFor({ state: 'visible' });
  assertSuggestionLink(await link.getAttribute('href'));
  await list.locator('.badge.status-solved').first().waitFor();

  const { check, failures } = a11yChecker(t);
  await check(page, 'ask with similar list (JavaScript)');
  await saveScreenshot(page, 'ask-similar.png');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

/** A suggestion links through the search log's click link (so an opened suggestion counts on
 * the self-service dashboard), which redirects to the thread. */
function assertSuggestionLink(href) {
  const id = threadPath.split('/')[2];
  const path = new URL(href, harness.server.baseUrl).pathname;
  assert.match(path, new RegExp(`^/search/click/[A-Za-z0-9_-]+/thread/${id}$`));
}

/** Signed in without JavaScript on /ask: the page and its similar-questions section. */
async function noJsAskPage(name) {
  const page = await pageOf(await newContext(name, { javaScriptEnabled: false }));
  await signIn(page, helper, '/ask');
  const list = page.locator('section#similar-list');
  assert.equal(await list.isHidden(), true, 'the list starts hidden');
  return { page, list };
}

/** Press "Check for similar questions" and check the reloaded (server-rendered) form lists the solved thread. */
async function checkSimilarWithoutJs(page, list) {
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/ask' && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Check for similar questions' }).click(),
  ]);
  await page.waitForLoadState('load');
  await list.waitFor({ state: 'visible' });
  const link = list.locator('a', { hasText: question.title });
  await link.waitFor({ state: 'visible' });
  assertSuggestionLink(await link.getAttribute('href'));
  // What was typed survives the round trip.
  assert.equal(await page.inputValue('#title'), similarQuery);
}

test('5. without JavaScript: "Check for similar questions" lists the solved thread', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireThread();
  const { page, list } = await noJsAskPage('helper-nojs');
  await page.fill('#title', similarQuery);
  // The details are filled in too, and kept across the reload (5b checks the title alone).
  await page.fill('#body', 'Draft: it happens around 8 pm.');
  await checkSimilarWithoutJs(page, list);
  assert.equal(await page.inputValue('#body'), 'Draft: it happens around 8 pm.');

  // axe needs scripts (in a context without JavaScript its timers never fire and
  // the check hangs), so check the same server-rendered list in a JS page.
  const js = await pageOf(contexts.helper);
  await js.goto('/ask');
  await js.fill('#title', similarQuery);
  await js.fill('#body', 'Draft: it happens around 8 pm.');
  await checkSimilarWithoutJs(js, js.locator('section#similar-list'));
  const { check, failures } = a11yChecker(t);
  await check(js, 'ask with server-rendered similar list');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('5b. without JavaScript: checking similar questions needs only the title', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireThread();
  const { page, list } = await noJsAskPage('helper-nojs-title-only');
  await page.fill('#title', similarQuery);
  // Fail fast and say why instead of waiting for a POST the browser will not send.
  // (page.evaluate runs over the DevTools protocol, also with page scripts off.)
  const blockedBy = await page.evaluate(() => {
    const button = [...document.querySelectorAll('form.editor button[type=submit]')]
      .find((b) => b.value === 'similar');
    if (button.formNoValidate || button.form.noValidate) return [];
    return [...button.form.querySelectorAll(':invalid')].map((el) => `#${el.id}: ${el.validationMessage}`);
  });
  assert.deepEqual(blockedBy, [], `native form validation blocks "Check for similar questions": ${blockedBy.join('; ')}`);
  await checkSimilarWithoutJs(page, list);
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated();
});

test('no console errors, page errors, CSP violations or error responses along the way', () => {
  harness.assertNoPageProblems();
});

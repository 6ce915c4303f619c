// The knowledge-base journey in a real browser against the real server:
// a customer asks, staff (the first admin, created through the setup link)
// answers, the customer accepts, staff promotes the thread from its page into
// an article, and an anonymous visitor finds the article with the header search,
// opens it and says it helped. The editor and the article pass axe.
//
// Steps share state and run in order (node:test runs top-level tests one after
// another); a failed step makes later ones fail fast on a missing prerequisite.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  useHarness, pageOf, requireStep, a11yChecker, saveScreenshot, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

const INDEX_FRESHNESS_MS = 5_000;
const INDEX_RETRY_MS = 250;
const ARTICLE_PATH_RE = /\/kb\/(\d+)\/[^/?#]+$/;

const admin = { handle: 'ada', name: 'Ada Admin', title: 'Support lead', email: 'ada@example.test', password: 'ada-password-123' };
const customer = { handle: 'carl', name: 'Carl Customer', email: 'carl@example.test', password: 'carl-password-1' };
const question = {
  title: 'How do I stop the thermostat from losing its schedule?',
  body: 'Every night the heating schedule disappears from my thermostat.',
};
const answerText = 'Replace the coin cell backup battery; the schedule lives in memory that needs it.';
const articleTitle = 'Thermostat forgets its heating schedule overnight';

const harness = useHarness();
const { newContext, signUp } = harness;
let threadUrl = null;
let articlePath = null;

test('1. the first admin signs up through the setup link', { timeout: STEP_TIMEOUT_MS }, async () => {
  const setupUrl = await harness.server.waitForSetupUrl();
  const page = await pageOf(await newContext('admin'));
  const res = await page.goto(setupUrl);
  assert.equal(res.status(), 200);
  await page.fill('#handle', admin.handle);
  await page.fill('#name', admin.name);
  await page.fill('#title', admin.title);
  await page.fill('#email', admin.email);
  await page.fill('#password', admin.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/setup')),
    page.getByRole('button', { name: 'Create admin account' }).click(),
  ]);
  // Signed in as an admin: the header links to the KB upkeep page.
  await page.locator('header a[href="/staff/kb"]').waitFor();
});

test('2. a customer asks, staff answers, the customer accepts', { timeout: STEP_TIMEOUT_MS }, async () => {
  const c = await pageOf(await newContext('customer'));
  await signUp(c, customer);
  await c.goto('/ask');
  await c.fill('#title', question.title);
  await c.selectOption('#category', { index: 0 });
  await c.fill('#body', question.body);
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  const url = c.url().replace(/#.*$/, '');

  const s = await pageOf(harness.contexts.admin);
  await s.goto(url);
  // Not solved yet: no promote button for the thread.
  assert.equal(await s.locator('.thread-head a', { hasText: 'Promote to knowledge base' }).count(), 0);
  await s.fill('#answer-body', answerText);
  await Promise.all([
    s.waitForURL(THREAD_PATH_RE),
    s.getByRole('button', { name: 'Post your answer' }).click(),
  ]);
  await s.locator('article.post.by-staff', { hasText: answerText }).waitFor();

  await c.goto(url);
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Accept this answer' }).click(),
  ]);
  await c.locator('.thread-head .badge.status-solved').waitFor();
  threadUrl = url;
});

test('3. staff promotes the solved thread into an article', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
  requireStep(threadUrl, 'an earlier step should have solved the thread');
  const page = await pageOf(harness.contexts.admin);
  await page.goto(threadUrl);
  await Promise.all([
    page.waitForURL((u) => u.pathname.endsWith('/promote')),
    page.locator('.thread-head a', { hasText: 'Promote to knowledge base' }).click(),
  ]);
  // Prefilled from the question and the accepted answer.
  assert.equal(await page.inputValue('#title'), question.title.replace(/\?$/, ''));
  const body = await page.inputValue('#body');
  assert.ok(body.includes(question.body) && body.includes(answerText), body);
  // The live preview renders the markdown.
  await page.locator('#article-preview h2', { hasText: 'Solution' }).waitFor({ state: 'visible' });

  const { check, failures } = a11yChecker(t);
  await check(page, 'promote editor');

  await page.fill('#title', articleTitle);
  await page.fill('#section', 'Heating');
  await page.fill('#applies-to', '3.1, 3.2');
  await Promise.all([
    page.waitForURL(ARTICLE_PATH_RE),
    page.getByRole('button', { name: 'Publish' }).click(),
  ]);
  await page.getByRole('heading', { level: 1, name: articleTitle }).waitFor();
  const facts = page.locator('dl.kb-facts');
  assert.match(await facts.textContent(), /Ada Admin[\s\S]*Support lead/);
  assert.match(await facts.textContent(), /3\.1, 3\.2/);
  await page.locator('.kb-source a', { hasText: question.title }).waitFor();
  articlePath = new URL(page.url()).pathname;
  await check(page, 'article (staff)');
  await saveScreenshot(page, 'kb-article.png');

  // The thread now links to the article.
  await page.goto(threadUrl);
  const banner = page.locator('.kb-banner a');
  assert.equal(await banner.getAttribute('href'), articlePath);
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('4. anonymous: the header search finds the article; it helped', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
  requireStep(articlePath, 'an earlier step should have published the article');
  const page = await pageOf(await newContext('anonymous'));
  await page.goto('/');
  const box = page.locator('form[role=search] #site-search');
  await box.fill('thermostat forgets schedule');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/search'),
    box.press('Enter'),
  ]);
  // Bounded wait for the index to have the article (it is written within a second).
  const deadline = Date.now() + INDEX_FRESHNESS_MS;
  const first = page.locator('ol.results > li.result').first();
  for (;;) {
    if (await first.count() === 1 && await first.locator('.badge.kb').count() === 1) break;
    if (Date.now() > deadline) throw new Error(`the article is not the first result of ${page.url()}`);
    await sleep(INDEX_RETRY_MS);
    await page.reload();
  }
  assert.equal(await first.locator('h3 > a').textContent(), articleTitle);
  await Promise.all([
    page.waitForURL((u) => u.pathname === articlePath),
    first.locator('h3 > a').click(),
  ]);
  await page.getByRole('heading', { level: 1, name: articleTitle }).waitFor();
  const { check, failures } = a11yChecker(t);
  await check(page, 'article (anonymous)');

  await page.fill('#feedback-comment', 'Exactly my problem.');
  await Promise.all([
    page.waitForURL((u) => u.pathname === articlePath && u.searchParams.get('thanks') === '1'),
    page.getByRole('button', { name: 'Yes, it helped' }).click(),
  ]);
  await page.locator('#feedback .notice', { hasText: 'Thanks for your feedback' }).waitFor();

  // Staff see the vote and the comment.
  const staff = await pageOf(harness.contexts.admin);
  await staff.goto(articlePath);
  await staff.locator('.staff-panel', { hasText: 'Exactly my problem.' }).waitFor();
  assert.match(await staff.locator('.staff-panel').textContent(), /Helpful: 1 yes, 0 no \(100%\)/);

  // The KB home lists it under its section.
  await page.goto('/kb');
  await page.locator('section', { hasText: 'Heating' }).locator(`a[href="${articlePath}"]`).waitFor();
  await check(page, 'knowledge base home');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated();
});

test('no console errors, page errors, CSP violations or error responses along the way', () => {
  harness.assertNoPageProblems();
});

// A private question in a real browser. The admin names the site and the company on
// /admin/settings; a customer asks with "Only staff can see this" (a visitor gets 404 for it),
// presses "I still need help from Acme" and says why; the admin finds it in the queue's "Asked
// for a person" list and takes it (the customer sees who is on it), answers and offers to publish
// it; the customer publishes it as "a customer", and a visitor then reads it without the
// customer's name. Every page passes axe; the harness's pseudo-locale sweep at the end finds no
// untranslated text on the pages shown. (Attaching a screenshot joins this journey with
// attachments.)
// Steps share state and run in order; a failed step makes later ones fail fast.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useHarness, pageOf, requireStep, a11yChecker, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

const admin = { handle: 'ada', name: 'Ada Admin', title: 'Support lead', email: 'ada@example.test', password: 'ada-password-123' };
const customer = { handle: 'cleo', name: 'Cleo Customer', email: 'cleo@example.test', password: 'cleo-password-12' };
const question = {
  title: 'Charged twice for invoice 4711',
  body: 'My card was charged twice for the same invoice this month.',
};
const reason = 'I need the second charge refunded before the weekend.';

const harness = useHarness();
const { newContext, signUp } = harness;
let ready = false;
let threadUrl = null;

const page = (name) => pageOf(requireStep(harness.contexts[name], `an earlier step should have made the "${name}" browser`));

test('setup: the admin names the site and the company; a customer signs up', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
  const setupUrl = await harness.server.waitForSetupUrl();
  const a = await pageOf(await newContext('admin'));
  await a.goto(setupUrl);
  await a.fill('#handle', admin.handle);
  await a.fill('#name', admin.name);
  await a.fill('#title', admin.title);
  await a.fill('#email', admin.email);
  await a.fill('#password', admin.password);
  await Promise.all([
    a.waitForURL((u) => !u.pathname.startsWith('/setup')),
    a.getByRole('button', { name: 'Create admin account' }).click(),
  ]);
  await a.goto('/admin/settings');
  const { check, failures } = a11yChecker(t);
  await check(a, 'site settings');
  await a.fill('#site-name', 'Acme Help');
  await a.fill('#company-name', 'Acme');
  await a.fill('#intro', 'Search first: most questions are **answered already**.');
  await Promise.all([
    a.waitForURL((u) => u.pathname === '/admin/settings'),
    a.getByRole('button', { name: 'Save' }).click(),
  ]);
  await a.locator('.notice', { hasText: 'Settings saved.' }).waitFor();
  assert.equal((await a.locator('.brand').textContent()).trim(), 'Acme Help');
  await signUp(await pageOf(await newContext('customer')), customer);
  const c = await page('customer');
  await c.goto('/');
  await c.locator('.home-intro strong', { hasText: 'answered already' }).waitFor();
  await check(c, 'home page with the intro');
  assert.deepEqual(failures, [], failures.join('\n\n'));
  ready = true;
});

test('1. the customer asks privately and asks for a person', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(ready, 'the setup step should have made the accounts');
  const c = await page('customer');
  await c.goto('/ask');
  await c.fill('#title', question.title);
  await c.fill('#body', question.body);
  await c.check('#private');
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  threadUrl = c.url().replace(/#.*$/, '');
  await c.locator('.private-note').waitFor();
  // Nobody else finds it: a visitor's request is a 404 like a thread that does not exist.
  const visitor = await fetch(threadUrl, { redirect: 'manual' });
  assert.equal(visitor.status, 404);

  await c.getByText('I still need help from Acme').click();
  await c.fill('#need-help-reason', reason);
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Ask Acme for a person' }).click(),
  ]);
  await c.locator('.person-requested', { hasText: 'You asked for a person' }).waitFor();
  await c.locator('.timeline li.tl-staff_requested').waitFor();
  const { check, failures } = a11yChecker(t);
  await check(c, 'private thread (customer)');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('2. staff pick it up from the queue, answer and offer to publish', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(threadUrl, 'step 1 should have asked');
  const a = await page('admin');
  await a.goto('/staff?view=requested');
  const row = a.locator('tr', { hasText: question.title });
  await row.locator('.badge', { hasText: 'Asked for a person' }).waitFor();
  await row.locator('.badge', { hasText: 'Private' }).waitFor();
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    row.getByRole('link', { name: question.title }).click(),
  ]);
  await a.locator('.timeline .tl-detail', { hasText: reason }).waitFor();
  await a.selectOption('#assignee', admin.handle);
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Assign' }).click(),
  ]);
  // The customer sees who picked it up.
  const c = await page('customer');
  await c.goto(threadUrl);
  await c.locator('.person-requested', { hasText: 'Ada Admin from our staff is on it.' }).waitFor();

  await a.fill('#answer-body', 'We refunded the second charge; it shows on your card in 3 days.');
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Post your answer' }).click(),
  ]);
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Offer to publish' }).click(),
  ]);
  await a.getByText('Offer to publish sent: the asker decides.').waitFor();
  const { check, failures } = a11yChecker(t);
  await check(a, 'private thread (staff)');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('3. the customer publishes it as "a customer"; a visitor reads it without their name', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(threadUrl, 'step 1 should have asked');
  const c = await page('customer');
  await c.goto(threadUrl);
  await c.locator('.publish-offer h2', { hasText: 'Our staff suggest publishing this question' }).waitFor();
  const { check, failures } = a11yChecker(t);
  await check(c, 'publish offer');
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Publish as “a customer”' }).click(),
  ]);
  assert.equal(await c.locator('.private-note').count(), 0);
  const v = await pageOf(await newContext('visitor'));
  await v.goto(threadUrl);
  const question = v.locator('article.kind-question');
  await question.locator('.author', { hasText: 'a customer' }).waitFor();
  const html = await v.content();
  assert.ok(!html.includes(customer.name), 'the page names the customer');
  assert.ok(!html.includes(`/u/${customer.handle}`), 'the page links to the customer');
  await v.locator('.timeline li.tl-published').waitFor();
  await check(v, 'published thread (visitor)');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

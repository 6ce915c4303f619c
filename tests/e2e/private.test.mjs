// A private question in a real browser. The admin names the site and the company on
// /admin/settings; a customer asks with "Only staff can see this" (a visitor gets 404 for it),
// presses "I still need help from Acme" and says why; the admin finds it in the queue's "Asked
// for a person" list and takes it (the customer sees who is on it), answers and offers to publish
// it; the customer publishes it as "a customer", and a visitor then reads it without the
// customer's name. Every page passes axe; the harness's pseudo-locale sweep at the end finds no
// untranslated text on the pages shown. The customer pastes a screenshot and attaches a log
// file to the private question (a visitor gets 404 for them until it is published), and later
// attaches an HTML page and an SVG with scripts: opening them runs nothing (they are downloads
// with a sandboxing CSP).
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
let screenshotUrl = null;

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
  // A screenshot pasted into the editor (a real capture of this page), as after Ctrl+V.
  const shot = await c.screenshot({ type: 'png' });
  await c.locator('#body').focus();
  await c.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    document.getElementById('body').dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, shot.toString('base64'));
  await c.locator('.attach-status .done', { hasText: 'image.png attached.' }).waitFor();
  // And a file chosen with the button.
  await c.setInputFiles('.attach input[type=file]', {
    name: 'card-statement.txt', mimeType: 'text/plain', buffer: Buffer.from('4711 EUR 49.00\n4711 EUR 49.00\n'),
  });
  await c.locator('.attach-status .done', { hasText: 'card-statement.txt attached.' }).waitFor();
  const body = await c.inputValue('#body');
  assert.match(body, /!\[image\]\(\/attachments\/\d+\/image\.png\)/);
  assert.match(body, /\[card-statement\.txt\]\(\/attachments\/\d+\/card-statement\.txt\) \(30 bytes\)/);
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  threadUrl = c.url().replace(/#.*$/, '');
  await c.locator('.private-note').waitFor();
  // The screenshot shows as a thumbnail linked to the full picture.
  const thumb = c.locator('article.kind-question a.attachment-image img');
  await thumb.waitFor();
  await c.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle());
  screenshotUrl = new URL(await c.locator('article.kind-question a.attachment-image').getAttribute('href'), threadUrl).href;
  // Nobody else finds it: a visitor's request is a 404 like a thread that does not exist, and
  // so is the screenshot's.
  const visitor = await fetch(threadUrl, { redirect: 'manual' });
  assert.equal(visitor.status, 404);
  assert.equal((await fetch(screenshotUrl)).status, 404);

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
  // Published: the screenshot is everyone's now.
  const thumb = v.locator('article.kind-question a.attachment-image img');
  await v.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle());
  assert.equal((await fetch(screenshotUrl)).status, 200);
  await check(v, 'published thread (visitor)');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('4. an HTML page and an SVG with scripts are attached, and opening them runs nothing', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireStep(screenshotUrl, 'step 1 should have attached a screenshot');
  const c = await page('customer');
  await c.goto(threadUrl);
  await c.getByText('Add a follow-up to your question').click();
  const files = [
    { name: 'receipt.html', mimeType: 'text/html', buffer: Buffer.from('<html><body><script>document.title = "pwned"; alert("html")</script>receipt</body></html>') },
    { name: 'flow.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>document.title = "pwned"; alert("svg")</script><rect width="10" height="10"/></svg>') },
  ];
  await c.setInputFiles('#follow-up .attach input[type=file]', files);
  await c.locator('#follow-up .attach-status .done', { hasText: 'receipt.html attached.' }).waitFor();
  await c.locator('#follow-up .attach-status .done', { hasText: 'flow.svg attached.' }).waitFor();
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Add follow-up' }).click(),
  ]);
  const v = await page('visitor');
  await v.goto(threadUrl);
  let dialogs = 0;
  v.on('dialog', (d) => { dialogs += 1; d.dismiss().catch(() => {}); });
  for (const name of ['receipt.html', 'flow.svg']) {
    const link = v.locator('a', { hasText: name });
    const href = new URL(await link.getAttribute('href'), threadUrl).href;
    // Opening it is a download: nothing is shown on the site's origin, no script runs.
    const [download] = await Promise.all([v.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), name);
    const res = await v.request.get(href);
    assert.equal(res.status(), 200);
    const h = res.headers();
    assert.match(h['content-disposition'], /^attachment;/);
    assert.equal(h['content-type'], 'text/plain; charset=utf-8');
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.match(h['content-security-policy'], /sandbox/);
    assert.match(h['content-security-policy'], /default-src 'none'/);
    // Even shown in a browser tab of its own, its CSP lets no script run.
    const tab = await v.context().newPage();
    let ran = 0;
    tab.on('dialog', (d) => { ran += 1; d.dismiss().catch(() => {}); });
    await tab.route(href, async (route) => {
      const real = await route.fetch();
      const headers = { ...real.headers(), 'content-type': name.endsWith('.svg') ? 'image/svg+xml' : 'text/html' };
      delete headers['content-disposition'];
      await route.fulfill({ response: real, headers });
    });
    await tab.goto(href);
    await tab.waitForTimeout(300);
    assert.equal(ran, 0, `${name}: a script ran`);
    assert.notEqual(await tab.title(), 'pwned');
    await tab.close();
  }
  assert.equal(dialogs, 0);
  assert.notEqual(await v.title(), 'pwned');
});

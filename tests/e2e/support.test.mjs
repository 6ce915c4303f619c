// The support desk in a real browser against the real server: a customer keeps
// their setup and asks with it attached (edited on the ask form), staff refer
// the thread to a networking specialist with a note, she finds it in her queue,
// sees the whole context and answers, and the customer comes back to see what
// changed and the public timeline, without the staff-only note; staff then read the
// self-service insights. Pages pass axe.
//
// Steps share state and run in order; a failed step makes later ones fail fast.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useHarness, pageOf, signIn, requireStep, a11yChecker, saveScreenshot, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

const admin = { handle: 'ada', name: 'Ada Admin', title: 'Support lead', email: 'ada@example.test', password: 'ada-password-123' };
const nora = { handle: 'nora', name: 'Nora Net', email: 'nora@example.test', password: 'nora-password-12' };
const customer = { handle: 'carl', name: 'Carl Customer', email: 'carl@example.test', password: 'carl-password-1' };
const secretNote = 'Customer is on VLAN 42, check the MTU first';
const licence = 'LIC-7731-PRIVATE';

const harness = useHarness();
const { newContext, signUp } = harness;
let threadUrl = null;
let staffReady = false;
/** Nora's page in the users admin (`/admin/users/{id}`). */
let noraPage = null;

test('1. the admin sets up the desk: a Networking group with a specialist in it', { timeout: 2 * STEP_TIMEOUT_MS }, async (t) => {
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

  const n = await pageOf(await newContext('nora'));
  await signUp(n, nora);

  // Her role is set on her page in the users admin (found by a search for her handle).
  const { check, failures } = a11yChecker(t);
  await a.goto('/admin/users?q=' + encodeURIComponent(nora.handle));
  await check(a, 'users admin: search');
  await Promise.all([
    a.waitForURL((u) => /^\/admin\/users\/\d+$/.test(u.pathname)),
    a.locator('table.users').getByRole('link', { name: nora.handle, exact: true }).click(),
  ]);
  noraPage = new URL(a.url()).pathname;
  await check(a, 'users admin: a person');
  assert.deepEqual(failures, [], failures.join('\n\n'));
  await a.locator('#user-role').selectOption('staff');
  await a.getByRole('button', { name: 'Set role' }).click();
  // The post comes back to her page (the same address): wait for it to show the new role.
  await a.locator('#user-role option[value=staff][selected]').waitFor({ state: 'attached' });
  assert.equal(new URL(a.url()).pathname, noraPage);
  await a.goto('/admin');
  await a.fill('#group-name', 'Networking');
  await a.fill('#group-desc', 'Routers, VPN, firewalls');
  await Promise.all([
    a.waitForURL((u) => u.pathname === '/admin'),
    a.getByRole('button', { name: 'Create group' }).click(),
  ]);
  const group = a.locator('ul.groups > li', { hasText: 'Networking' });
  await group.locator('input[name=handle]').fill(nora.handle);
  await Promise.all([
    a.waitForURL((u) => u.pathname === '/admin'),
    group.getByRole('button', { name: 'Add' }).click(),
  ]);
  await a.locator('ul.groups > li', { hasText: nora.name }).waitFor();

  // Nora signs in again as staff and signs her answers with her title.
  await signIn(n, nora, '/account');
  await n.fill('#name', nora.name);
  await n.fill('#title', 'Networking specialist');
  await Promise.all([
    n.waitForURL((u) => u.pathname.startsWith('/account')),
    n.getByRole('button', { name: 'Save profile' }).click(),
  ]);
  await n.locator('header a[href="/staff"]').waitFor();
  staffReady = true;
});

test('2. a customer keeps their setup and asks with it attached', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(staffReady, 'an earlier step should have set up the staff');
  const c = await pageOf(await newContext('customer'));
  await signUp(c, customer);
  await c.goto('/account');
  await c.fill('#setup-version', '3.2');
  await c.fill('#setup-platform', 'Windows 11');
  await c.fill('#setup-notes', `Licence ${licence}`);
  await c.locator('.setup-add input[name=private]').check();
  await Promise.all([
    c.waitForURL((u) => u.pathname.startsWith('/account')),
    c.getByRole('button', { name: 'Add to my setup' }).click(),
  ]);
  await c.locator('#setup .setup-entry', { hasText: '3.2' }).waitFor();

  await c.goto('/ask');
  const { check, failures } = a11yChecker(t);
  await check(c, 'ask page with setup');
  // The entry for the chosen product is ticked; the customer updates the version here.
  const entry = c.locator('.setup-row[data-category]').first();
  assert.equal(await entry.locator('.setup-attach').isChecked(), true);
  await entry.locator('input[name$=_version]').fill('3.3');
  await c.fill('#title', 'VPN tunnel drops every ten minutes');
  await c.fill('#body', 'Since the last update the tunnel drops every ten minutes and reconnects.');
  await Promise.all([
    c.waitForURL(THREAD_PATH_RE),
    c.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  threadUrl = c.url().replace(/#.*$/, '');
  const setup = c.locator('.setup-attached');
  assert.match(await setup.textContent(), /3\.3[\s\S]*Windows 11/);
  assert.match(await setup.textContent(), new RegExp(licence));
  await c.locator('.timeline li.tl-asked').waitFor();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('3. staff see the customer context and refer the thread with a note', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(threadUrl, 'an earlier step should have asked the question');
  const a = await pageOf(harness.contexts.admin);
  await a.goto(threadUrl);
  const ctx = a.locator('.customer-context');
  assert.match(await ctx.textContent(), new RegExp(licence));
  assert.match(await ctx.textContent(), /carl@example\.test/);
  await a.selectOption('#assignee', nora.handle);
  await a.selectOption('#assign-group', 'networking');
  await a.fill('#assign-note', secretNote);
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Assign' }).click(),
  ]);
  await a.locator('.timeline li.tl-referred', { hasText: 'Referred to Nora Net, Networking specialist' }).waitFor();
  await a.locator('.timeline .tl-note', { hasText: secretNote }).waitFor();
  const { check, failures } = a11yChecker(t);
  await check(a, 'thread (staff)');
  await saveScreenshot(a, 'support-thread-staff.png');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('4. the specialist finds it in her queue and answers', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(threadUrl, 'an earlier step should have asked the question');
  const n = await pageOf(harness.contexts.nora);
  await n.goto('/staff?view=mine');
  const { check, failures } = a11yChecker(t);
  await check(n, 'staff queue');
  const link = n.locator('table.queue a', { hasText: 'VPN tunnel drops every ten minutes' });
  await Promise.all([
    n.waitForURL(THREAD_PATH_RE),
    link.click(),
  ]);
  // The whole context on one screen: the note, the setup (private too), the customer.
  await n.locator('.tl-note', { hasText: secretNote }).waitFor();
  assert.match(await n.locator('.setup-attached').textContent(), new RegExp(licence));
  await n.fill('#answer-body', 'Your ISP resets idle tunnels: set the keepalive to 60 seconds in the VPN profile.');
  await Promise.all([
    n.waitForURL(THREAD_PATH_RE),
    n.getByRole('button', { name: 'Post your answer' }).click(),
  ]);
  await n.locator('article.post.by-staff', { hasText: 'keepalive' }).waitFor();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('5. the customer comes back: what changed, and the public timeline', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(threadUrl, 'an earlier step should have asked the question');
  const c = await pageOf(harness.contexts.customer);
  await c.goto(threadUrl);
  const since = c.locator('.since-visit');
  await since.waitFor();
  assert.match(await since.textContent(), /1 new answer/);
  assert.match(await since.textContent(), /Referred to Nora Net, Networking specialist/);
  const timeline = c.locator('#timeline');
  const text = await timeline.textContent();
  assert.match(text, /Asked by Carl Customer/);
  assert.match(text, /Referred to Nora Net, Networking specialist \(Networking team\) by Ada Admin/);
  assert.match(text, /First response after .* by Nora Net, Networking specialist \(staff\)/);
  assert.match(text, /Answered by Nora Net, Networking specialist/);
  assert.equal((await c.content()).includes(secretNote), false, 'the staff note reached the customer');
  assert.equal(await c.locator('.customer-context').count(), 0);
  await c.locator('article.post.is-new', { hasText: 'keepalive' }).waitFor();
  const { check, failures } = a11yChecker(t);
  await check(c, 'thread (customer, since last visit)');
  await saveScreenshot(c, 'support-thread-customer.png');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('6. staff see the self-service insights: figures, charts with their numbers, content gaps', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(threadUrl, 'an earlier step should have asked the question');
  const n = await pageOf(harness.contexts.nora);
  await n.goto('/staff');
  await Promise.all([
    n.waitForURL((u) => u.pathname === '/staff/insights'),
    n.locator('header a[href="/staff/insights"]').click(),
  ]);
  assert.match(await n.locator('#fig-questions .figure').textContent(), /^[1-9]/);
  await n.getByRole('link', { name: '7 days' }).click();
  await n.waitForURL((u) => u.search === '?days=7');
  // Each chart is an image named by its figure, with the numbers by day in a table.
  assert.equal(await n.locator('svg.bars[role=img]').count(), 7);
  await n.getByRole('img', { name: /^Questions asked: / }).waitFor();
  await n.locator('#chart-questions summary').click();
  assert.equal(await n.locator('#chart-questions table tbody tr').count(), 7);
  const { check, failures } = a11yChecker(t);
  await check(n, 'self-service insights');
  await saveScreenshot(n, 'insights.png');
  await n.goto('/staff/content-gaps');
  await check(n, 'content gaps');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('7. on a 390-px phone the queue, the thread, the lists and the users admin fit the screen under a short header', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireStep(threadUrl, 'an earlier step should have asked the question');
  requireStep(noraPage, 'the first step should have opened Nora\'s page in the users admin');
  const phone = await pageOf(await newContext('nora-phone', {
    viewport: { width: 390, height: 844 },
    storageState: await harness.contexts.nora.storageState(),
  }));
  const adminPhone = await pageOf(await newContext('admin-phone', {
    viewport: { width: 390, height: 844 },
    storageState: await harness.contexts.admin.storageState(),
  }));
  const pages = [
    ...['/staff', threadUrl, '/', '/search?q=keepalive', '/staff/insights'].map((path) => [phone, path]),
    ...['/admin/users', noraPage].map((path) => [adminPhone, path]),
  ];
  for (const [phone, path] of pages) {
    await phone.goto(path);
    const { width, header, wide } = await phone.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      header: document.querySelector('body > header').getBoundingClientRect().height,
      // The innermost elements that reach past the screen's edge outside a box that scrolls,
      // to say what widens the page.
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => {
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return false;
          }
          return e.getBoundingClientRect().right > 391
            && ![...e.children].some((c) => c.getBoundingClientRect().right > 391);
        })
        .slice(0, 5)
        .map((e) => {
          const name = (n) => `${n.tagName.toLowerCase()}${n.getAttribute('class') ? `.${n.getAttribute('class').replace(/ /g, '.')}` : ''}`;
          return `${name(e.parentElement.parentElement)} > ${name(e.parentElement)} > ${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)`;
        }),
    }));
    assert.ok(width <= 390, `${path} is ${width} px wide on a 390-px screen: ${wide.join(', ')}`);
    assert.ok(header <= 112, `${path}: the header takes ${header} px of 844`);
  }
  await phone.goto('/staff');
  await saveScreenshot(phone, 'staff-queue-phone.png');
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated();
});

test('no console errors, page errors, CSP violations or error responses along the way', () => {
  harness.assertNoPageProblems();
});

// Notifications and account mail in a real browser against the real server, with a real SMTP
// server (aiosmtpd on loopback, lib/mail-sink.mjs) receiving what it sends. Two journeys, each
// with its own server and mailbox:
//
// 1. A customer asks; staff answer from another browser. The customer's open thread page, not
//    reloaded, shows the bell's count and "1 new answer — show" (Server-Sent Events at /live);
//    the link shows the answer. The email names the thread, quotes the answer and links to it;
//    its one-click List-Unsubscribe URL, posted as a mail client does, turns those emails off.
// 2. A member who forgot her password follows "Forgot your password?" on the sign-in page,
//    gets the link by email, saves a new password and is signed in; afterwards the new password
//    signs in and the old one does not.
//
// Steps share state and run in order; a failed step makes later ones fail fast.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  useHarness, pageOf, signIn, requireStep, a11yChecker, untranslatedText, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';
import { startMailSink } from './lib/mail-sink.mjs';

/** How long the bell may take to show a new notification on an open page. */
const LIVE_WITHIN_MS = 3_000;
const MAIL_TIMEOUT_MS = 15_000;

/** The server's email settings for `sink`. */
const mailEnv = (sink) => ({
  PEERDESK_EMAIL__SMTP_HOST: '127.0.0.1',
  PEERDESK_EMAIL__SMTP_PORT: String(sink.port),
  PEERDESK_EMAIL__SECURITY: 'none',
  PEERDESK_EMAIL__DELAY_SECONDS: '0',
  PEERDESK_EMAIL__FROM: 'Peerdesk Support <support@peerdesk.test>',
});

/** The harness of one journey: its own mail sink, then its own server sending to it. */
function mailHarness() {
  const state = { sink: null };
  const harness = useHarness({
    serverOptions: async () => {
      state.sink = await startMailSink();
      return { env: mailEnv(state.sink) };
    },
  });
  // Registered after the harness's own `after`: the server stops before its SMTP server.
  after(async () => state.sink?.stop());
  // Say so plainly when the server took no email settings (rather than time out on the mailbox):
  // with email on, the sign-in page offers "Forgot your password?".
  before(async () => {
    const res = await fetch(`${harness.server.baseUrl}/login`, { signal: AbortSignal.timeout(10_000) });
    const html = await res.text();
    assert.ok(html.includes('href="/password/forgot"'),
      'the server sends no email: it ignored the PEERDESK_EMAIL__* settings ' +
      `(${Object.keys(mailEnv(state.sink)).join(', ')}); server output:\n${harness.server.output()}`);
  });
  return { harness, mail: () => requireStep(state.sink, 'the mail sink should be running') };
}

const sentTo = (address) => (m) => m.to().some((to) => to.toLowerCase() === address.toLowerCase());

/**
 * Shows what `action(page)` leads to in the pseudo-locale, in a new page of `ctx`, and fails
 * on text no message made: for pages the final sweep cannot show again (a form
 * post's answer, a single-use link).
 */
async function assertTranslatedNow(harness, ctx, label, action) {
  await ctx.addCookies([{ name: 'peerdesk_lang', value: 'en-XA', url: harness.server.baseUrl }]);
  const page = await ctx.newPage();
  try {
    await action(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en-XA', `${label} is not in the pseudo-locale`);
    const problems = await untranslatedText(page);
    assert.deepEqual(problems, [], `untranslated text on ${label} (not in ⟦ ⟧, not [data-user]):\n${problems.join('\n')}`);
  } finally {
    await page.close();
    await ctx.clearCookies({ name: 'peerdesk_lang' });
  }
}

describe('an answer reaches the asker live, by email, and one click unsubscribes', () => {
  const { harness, mail } = mailHarness();
  const { newContext, signUp } = harness;

  const staff = { handle: 'sam', name: 'Sam Staff', title: 'Support', email: 'sam@example.test', password: 'sam-password-123' };
  const customer = { handle: 'carl', name: 'Carl Customer', email: 'carl@example.test', password: 'carl-password-1' };
  const question = 'Printer prints blank pages after the update';
  const answer = 'Remove the orange seal from the new toner cartridge, then print a test page.';
  const answerStart = 'Remove the orange seal';

  let threadUrl = null;
  let answered = false;
  let email = null;
  let postId = null;

  test('1. staff set up the desk; a customer asks, and keeps the thread open', { timeout: 2 * STEP_TIMEOUT_MS }, async () => {
    const setupUrl = await harness.server.waitForSetupUrl();
    const s = await pageOf(await newContext('staff'));
    await s.goto(setupUrl);
    await s.fill('#handle', staff.handle);
    await s.fill('#name', staff.name);
    await s.fill('#title', staff.title);
    await s.fill('#email', staff.email);
    await s.fill('#password', staff.password);
    await Promise.all([
      s.waitForURL((u) => !u.pathname.startsWith('/setup')),
      s.getByRole('button', { name: 'Create admin account' }).click(),
    ]);

    const c = await pageOf(await newContext('customer'));
    await signUp(c, customer);
    await c.goto('/ask');
    await c.fill('#title', question);
    await c.fill('#body', 'Since the last driver update every page comes out blank. The toner is new.');
    // The thread page opens its live stream as soon as it loads.
    const live = c.waitForResponse((r) => new URL(r.url()).pathname === '/live');
    await Promise.all([
      c.waitForURL(THREAD_PATH_RE),
      c.getByRole('button', { name: 'Post your question' }).click(),
    ]);
    threadUrl = c.url().replace(/#.*$/, '');
    assert.equal((await live).status(), 200);
    assert.equal(await c.locator('#bell-count').isHidden(), true, 'no notification yet');
    assert.equal(await c.locator('#live-banner').isHidden(), true);
  });

  test('2. staff answer; the open page shows the bell and "1 new answer — show" without a reload', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    requireStep(threadUrl, 'step 1 should have asked the question');
    const c = await pageOf(harness.contexts.customer);
    // Gone if the page is reloaded or navigates.
    await c.evaluate(() => { window.__sameDocument = true; });

    const s = await pageOf(harness.contexts.staff);
    await s.goto(threadUrl);
    await s.fill('#answer-body', answer);
    await Promise.all([
      s.waitForURL(THREAD_PATH_RE),
      s.getByRole('button', { name: 'Post your answer' }).click(),
    ]);
    const started = Date.now();
    await s.locator('article.post.kind-answer', { hasText: answerStart }).waitFor();
    answered = true;

    await c.waitForFunction(() => {
      const count = document.getElementById('bell-count');
      return count && !count.hidden && count.textContent.trim() === '1';
    }, null, { timeout: LIVE_WITHIN_MS });
    t.diagnostic(`bell showed 1 after ${Date.now() - started} ms`);
    await c.locator('#bell.has-unread').waitFor();

    const banner = c.locator('#live-banner');
    await banner.waitFor({ state: 'visible', timeout: LIVE_WITHIN_MS });
    assert.match(await banner.innerText(), /^1 new answer — show$/);
    const show = banner.getByRole('link', { name: 'show' });
    postId = (await show.getAttribute('href')).match(/#post-(\d+)$/)?.[1];
    assert.ok(postId, `the banner links to the post: ${await show.getAttribute('href')}`);
    assert.equal(await c.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
    assert.equal(await c.locator(`#post-${postId}`).count(), 0, 'the answer is not on the page yet');

    const { check, failures } = a11yChecker(t);
    await check(c, 'thread with the live banner and bell');

    // The notifications page (another tab) lists it under the thread, quoting the answer.
    const tab = await harness.contexts.customer.newPage();
    try {
      await tab.goto('/notifications');
      const group = tab.locator('li.notification-group.unread', { hasText: question });
      await group.locator('.summary', { hasText: '1 new answer' }).waitFor();
      await group.locator('li.notification', { hasText: `${staff.name} answered your question` }).waitFor();
      assert.match(await group.locator('blockquote').innerText(), new RegExp(`^${answerStart}`));
      await check(tab, 'notifications');
    } finally {
      await tab.close();
    }
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });

  test('3. the email names the thread, quotes the answer and can unsubscribe in one click', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(answered, 'step 2 should have answered');
    // Waited for before the customer opens the answer: a notification read in the app before
    // its email goes out is (by design) not emailed.
    email = await mail().waitFor((m) => sentTo(customer.email)(m) && m.header('List-Unsubscribe') !== null, MAIL_TIMEOUT_MS);
    assert.deepEqual(email.to(), [customer.email]);
    assert.match(email.header('From'), /support@peerdesk\.test/);
    assert.ok(email.subject.includes(question), `subject: ${email.subject}`);
    assert.ok(email.text.includes(question), `the text names the thread:\n${email.text}`);
    assert.ok(email.text.includes(`${staff.name} answered your question`), email.text);
    assert.match(email.text, new RegExp(`^> ${answerStart}`, 'm'), 'the text quotes the answer');
    assert.ok(email.html.includes(answerStart), 'the HTML part quotes the answer');
    assert.match(email.header('List-Unsubscribe'), /^<https?:\/\/\S+>$/);
    assert.equal(email.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.match(email.header('Message-ID') ?? '', /^<.+@.+>$/);
    const link = email.links().find((l) => l.includes('#post-'));
    assert.ok(link, `a link to the answer in:\n${email.text}`);
    assert.ok(link.startsWith(harness.server.baseUrl + '/'), `${link} is on ${harness.server.baseUrl}`);
    assert.ok(link.endsWith(`#post-${postId}`), `${link} is the post the banner offered (${postId})`);
  });

  test('4. the banner\'s link shows the answer, and so does the email\'s', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(email && postId, 'steps 2 and 3 should have shown the banner and received the email');
    const c = await pageOf(harness.contexts.customer);
    await Promise.all([
      c.waitForURL((u) => THREAD_PATH_RE.test(u.pathname) && u.hash === `#post-${postId}`),
      c.locator('#live-banner').getByRole('link', { name: 'show' }).click(),
    ]);
    const post = c.locator(`article#post-${postId}`);
    await post.waitFor();
    assert.match(await post.innerText(), new RegExp(answerStart));
    // Opening the thread read its notification.
    assert.equal(await c.locator('#bell-count').isHidden(), true, 'the bell still counts the answer');

    await c.goto('/');
    const link = email.links().find((l) => l.includes('#post-'));
    const res = await c.goto(link);
    assert.equal(res.status(), 200);
    assert.ok(THREAD_PATH_RE.test(new URL(c.url()).pathname), c.url());
    await post.waitFor();
    assert.match(await post.innerText(), new RegExp(answerStart));
  });

  test('5. one-click unsubscribe (a POST without cookies) sets "Answers to my questions" to Never', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(email, 'step 3 should have received the email');
    const url = email.header('List-Unsubscribe').replace(/^<|>$/g, '');
    // As a mail client sends it (RFC 8058): no cookies, no CSRF token.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    assert.equal(res.status, 200);

    const c = await pageOf(harness.contexts.customer);
    await c.goto('/account/notifications');
    assert.equal(await c.getByRole('radio', { name: 'Answers to my questions Never', exact: true }).isChecked(), true,
      '"Never" is checked for answers');
    assert.equal(await c.getByRole('radio', { name: 'Comments on my posts At once', exact: true }).isChecked(), true,
      'other kinds are unchanged');
  });

  test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
    await harness.assertAllTranslated();
  });

  test('no console errors, page errors, CSP violations or error responses along the way', () => {
    harness.assertNoPageProblems();
  });
});

describe('a forgotten password is reset by an emailed link', () => {
  const { harness, mail } = mailHarness();
  const { newContext, signUp } = harness;

  const rita = { handle: 'rita', name: 'Rita Reset', email: 'rita@example.test', password: 'rita-old-password' };
  const newPassword = 'rita-brand-new-passphrase';

  let signedOut = false;
  let resetLink = null;
  let reset = false;

  const signOut = async (page) => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/'),
      page.locator('header').getByRole('button', { name: 'Sign out' }).click(),
    ]);
    await page.locator('header a[href="/login"]').waitFor();
  };

  test('1. a member signs up and signs out', { timeout: STEP_TIMEOUT_MS }, async () => {
    const page = await pageOf(await newContext('member'));
    await signUp(page, rita);
    await page.locator(`header a[href="/u/${rita.handle}"]`).waitFor();
    await signOut(page);
    signedOut = true;
  });

  test('2. "Forgot your password?" on the sign-in page emails a link', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    requireStep(signedOut, 'step 1 should have made the account');
    const page = await pageOf(harness.contexts.member);
    await page.goto('/login');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/password/forgot'),
      page.getByRole('link', { name: 'Forgot your password?' }).click(),
    ]);
    const { check, failures } = a11yChecker(t);
    await check(page, 'forgot password');
    await page.fill('#email', rita.email);
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/password/forgot'),
      page.getByRole('button', { name: 'Send the link' }).click(),
    ]);
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    assert.match(await page.locator('main [role=status]').innerText(), new RegExp(`If an account uses ${rita.email}, we sent it a link`));
    await page.getByRole('link', { name: 'Back to sign in' }).waitFor();
    await check(page, 'check your email');
    assert.deepEqual(failures, [], failures.join('\n\n'));

    const email = await mail().waitFor((m) => sentTo(rita.email)(m) && m.links().some((l) => l.includes('/password/reset/')), MAIL_TIMEOUT_MS);
    assert.ok(email.text.includes(`Hello ${rita.name}`), email.text);
    assert.equal(email.header('List-Unsubscribe'), null, 'account mail has no unsubscribe');
    resetLink = email.links().find((l) => l.includes('/password/reset/'));
    assert.ok(resetLink.startsWith(harness.server.baseUrl + '/password/reset/'), resetLink);

    // The answer to a form post is not shown again by the final sweep: check it here (an
    // unknown address gets the same page, and no email).
    await assertTranslatedNow(harness, harness.contexts.member, 'the "check your email" page', async (p) => {
      await p.goto('/password/forgot');
      await p.fill('#email', 'nobody@example.test');
      await Promise.all([
        p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/password/forgot'),
        p.locator('form[action="/password/forgot"] button[type=submit]').click(),
      ]);
      await p.locator('main [role=status]').waitFor();
    });
  });

  test('3. the emailed link saves a new password and signs her in', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    const link = requireStep(resetLink, 'step 2 should have received the reset link');
    // The link works once: the final sweep cannot show the form again.
    await assertTranslatedNow(harness, harness.contexts.member, 'the new-password form', (p) => p.goto(link));

    const page = await pageOf(harness.contexts.member);
    const res = await page.goto(link);
    assert.equal(res.status(), 200);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    const { check, failures } = a11yChecker(t);
    await check(page, 'choose a new password');
    await page.getByLabel('New password').fill(newPassword);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/account'),
      page.getByRole('button', { name: 'Save the new password' }).click(),
    ]);
    await page.locator(`header a[href="/u/${rita.handle}"]`).waitFor();
    assert.deepEqual(failures, [], failures.join('\n\n'));
    reset = true;
  });

  test('4. signed out and in again: the new password works, the old one does not', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(reset, 'step 3 should have saved the new password');
    const page = await pageOf(harness.contexts.member);
    await signOut(page);

    // The old password is refused: the server answers 401 with the form again. That response
    // and the console error Chromium logs for it are expected; anything else still counts.
    const before = harness.pageProblems.length;
    await page.goto('/login');
    await page.fill('#login', rita.handle);
    await page.fill('#password', rita.password);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal(refused.status(), 401);
    await page.locator('main .error[role=alert]').waitFor();
    assert.equal(await page.locator(`header a[href="/u/${rita.handle}"]`).count(), 0, 'signed in with the old password');
    const login = `${harness.server.baseUrl}/login`;
    const expected = [
      (p) => p === `[member] 401 for POST ${login} (on ${login})`,
      (p) => p.startsWith(`[member] console error on ${login}: `) && p.includes('status of 401'),
    ];
    // The console message may come a moment after the response.
    for (let waited = 0; waited < 2_000; waited += 50) {
      if (expected.every((e) => harness.pageProblems.slice(before).some(e))) break;
      await sleep(50);
    }
    const caused = harness.pageProblems.splice(before);
    assert.ok(caused.some(expected[0]), `the refusal was seen: ${caused.join('\n')}`);
    harness.pageProblems.push(...caused.filter((p) => !expected.some((e) => e(p))));

    await signIn(page, { handle: rita.handle, password: newPassword }, '/account');
    await page.locator(`header a[href="/u/${rita.handle}"]`).waitFor();
  });

  test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
    await harness.assertAllTranslated();
  });

  test('no console errors, page errors, CSP violations or error responses along the way', () => {
    harness.assertNoPageProblems();
  });
});

// Moderation in a real browser against the real server. Two journeys on one server, with an
// admin, a moderator and members who signed up through the form:
//
// 1. Spam: a member flags a spam answer from the thread page; a second member's flag hides it
//    at once (nobody else sees it any more, and its permalink is a 404 for them); the moderator
//    finds it in the review queue (the nav's "Review" link counts it), silences the author for
//    7 days and deletes the answer with a reason. The author sees "Deleted by a moderator:
//    <reason>" on the thread and is refused (403) when answering; the first flagger's
//    "My flags" shows that a moderator agreed and acted.
// 2. Tidying up: the moderator moves a thread to another category and merges a duplicate into
//    it through the thread page's forms; the duplicate's old address answers 301 to the
//    canonical thread, which now has the duplicate's answer.
//
// The new pages (review queue, my flags, watched words, the thread with its flag and
// moderation forms, the silenced author's refusal) pass axe and show no untranslated text in
// the pseudo-locale. Steps share state and run in order; a failed step makes later ones fail
// fast.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  useHarness, pageOf, signIn, requireStep, a11yChecker, untranslatedText, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

const admin = { handle: 'ada', name: 'Ada Admin', title: 'Community lead', email: 'ada@example.test', password: 'ada-password-123' };
const mod = { handle: 'mona', name: 'Mona Moderator', email: 'mona@example.test', password: 'mona-password-12' };
const alice = { handle: 'alice', name: 'Alice Asker', email: 'alice@example.test', password: 'alice-password-1' };
const bob = { handle: 'bob', name: 'Bob Builder', email: 'bob@example.test', password: 'bob-password-12' };
const spammer = { handle: 'spencer', name: 'Spencer Sells', email: 'spencer@example.test', password: 'spencer-password' };

const question = {
  title: 'Printer prints blank pages after the driver update',
  body: 'Since the last driver update every page comes out blank. The toner cartridge is new.',
};
const spamText = 'Cheap toner at https://toner-deals.example — 90% off today only, order now!';
const flagNote = 'An advert for a toner shop';
const deleteReason = 'Advertising is not allowed here';
const silencedMessage = 'Your account may read but not post for now. A moderator will lift this in time.';

const canonical = {
  title: 'How do I reset the network settings of my printer?',
  body: 'The printer lost its WiFi network after a router change. How do I start over?',
};
const duplicate = {
  title: 'Printer network reset after changing the router',
  body: 'New router, and the printer will not join it. Is there a way to reset its network setup?',
};
const mergedAnswer = 'Hold the WPS button for ten seconds until the light blinks, then join the new network.';

const harness = useHarness();
const { contexts, newContext, signUp } = harness;

let staffReady = false;
let threadUrl = null;
let spamId = null;
let hidden = false;
let reviewed = false;
let categoryReady = false;
let canonicalUrl = null;
let duplicateUrl = null;
let moved = false;
let merged = false;

const page = (name) => pageOf(requireStep(contexts[name], `an earlier step should have made the "${name}" browser`));
const spamPost = (p) => p.locator(`article#post-${spamId}`);
const pathOf = (url) => new URL(url, harness.server.baseUrl).pathname;

/**
 * Click `target` (a submit button) and wait until the page the post leads to has loaded:
 * the redirect's target, or an error page. (`waitForURL` would return at once when the form
 * posts back to the page it is on.)
 */
async function clickAndLoad(p, target) {
  const navigated = p.waitForEvent('framenavigated', { predicate: (f) => f === p.mainFrame() });
  await target.click();
  await navigated;
  await p.waitForLoadState();
}

/**
 * Runs `action`, in which `name`'s browser posts to `path` and is refused with `status`: that
 * response and the console error Chromium logs for it are expected, anything else still counts.
 */
async function expectRefusal(name, path, status, action) {
  const before = harness.pageProblems.length;
  const result = await action();
  const isResponse = (p) => p.startsWith(`[${name}] ${status} for POST ${harness.server.baseUrl}${path} `);
  const isConsole = (p) => p.startsWith(`[${name}] console error on `) && p.includes(`status of ${status}`);
  // The console message may come a moment after the response.
  for (let waited = 0; waited < 2_000; waited += 50) {
    const caused = harness.pageProblems.slice(before);
    if (caused.some(isResponse) && caused.some(isConsole)) break;
    await sleep(50);
  }
  const caused = harness.pageProblems.splice(before);
  assert.ok(caused.some(isResponse), `expected a ${status} for POST ${path}; saw:\n${caused.join('\n')}`);
  harness.pageProblems.push(...caused.filter((p) => !isResponse(p) && !isConsole(p)));
  return result;
}

/**
 * Shows what `action(page)` leads to in the pseudo-locale, in a new page of `name`'s browser,
 * and fails on text no message made: for pages the final sweep cannot show as they were
 * (a form post's answer, a queue that is empty by then).
 */
async function assertTranslatedNow(name, label, action) {
  const ctx = contexts[name];
  await ctx.addCookies([{ name: 'peerdesk_lang', value: 'en-XA', url: harness.server.baseUrl }]);
  const p = await ctx.newPage();
  try {
    await action(p);
    assert.equal(await p.getAttribute('html', 'lang'), 'en-XA', `${label} is not in the pseudo-locale`);
    const problems = await untranslatedText(p);
    assert.deepEqual(problems, [], `untranslated text on ${label} (not in ⟦ ⟧, not [data-user]):\n${problems.join('\n')}`);
  } finally {
    await p.close();
    await ctx.clearCookies({ name: 'peerdesk_lang' });
  }
}

/** GET `path` without cookies (nobody signed in), not following redirects. */
async function anonymousGet(path) {
  const res = await fetch(harness.server.baseUrl + path, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res;
}

/** Ask through the form; resolves to the new thread's URL. */
async function ask(p, q, category) {
  await p.goto('/ask');
  await p.fill('#title', q.title);
  if (category) await p.selectOption('#category', category);
  await p.fill('#body', q.body);
  await Promise.all([
    p.waitForURL(THREAD_PATH_RE),
    p.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  await p.getByRole('heading', { level: 1, name: q.title }).waitFor();
  return p.url().replace(/#.*$/, '');
}

/** Answer through the thread page's form. */
async function answer(p, url, text) {
  await p.goto(url);
  await p.fill('#answer-body', text);
  await clickAndLoad(p, p.getByRole('button', { name: 'Post your answer' }));
}

/** Flag the spam answer as spam through its Flag form on the thread page. */
async function flagSpam(p, note = '') {
  const post = spamPost(p);
  const details = post.locator('details.flag');
  await details.locator('summary', { hasText: 'Flag' }).click();
  const form = details.locator(`form.flag-form[action="/flag/post/${spamId}"]`);
  await form.getByLabel('Spam', { exact: true }).check();
  if (note) await form.getByLabel('Anything moderators should know').fill(note);
  await clickAndLoad(p, form.getByRole('button', { name: 'Send flag' }));
  assert.equal(p.url().replace(/#.*$/, ''), threadUrl, 'the flag form leads back to the thread');
}

test('setup: the admin makes a member a moderator; members sign up', { timeout: 2 * STEP_TIMEOUT_MS }, async () => {
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

  for (const [name, user] of [['mod', mod], ['alice', alice], ['bob', bob], ['spammer', spammer]]) {
    await signUp(await pageOf(await newContext(name)), user);
  }

  // The users admin: from /admin to the list, a search by handle, then the person's page.
  await a.goto('/admin');
  await clickAndLoad(a, a.getByRole('link', { name: /^Users \(\d+\)$/ }));
  assert.equal(pathOf(a.url()), '/admin/users');
  await a.fill('#u-q', mod.handle);
  await clickAndLoad(a, a.getByRole('button', { name: 'Show' }));
  await clickAndLoad(a, a.locator('table.users').getByRole('link', { name: mod.handle, exact: true }));
  const modPage = pathOf(a.url());
  assert.match(modPage, /^\/admin\/users\/\d+$/);
  await a.locator('#user-role').selectOption('moderator');
  await clickAndLoad(a, a.getByRole('button', { name: 'Set role' }));
  assert.equal(pathOf(a.url()), modPage, 'a role change comes back to the person\'s page');
  assert.equal(await a.locator('#user-role').inputValue(), 'moderator');

  // A role change signs the person out everywhere: Mona signs in again, as a moderator.
  const m = await page('mod');
  await signIn(m, mod, '/review');
  await m.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
  await m.locator('header a.review-link').waitFor();
  assert.equal(await m.locator('header a.review-link .badge.count').count(), 0, 'nothing waits yet');

  // Members have no review queue (through the request API: the page listeners would count the
  // 403 as a problem).
  assert.equal((await contexts.alice.request.get('/review', { maxRedirects: 0 })).status(), 403);
  assert.notEqual((await anonymousGet('/review')).status, 200, 'the queue is not public');
  staffReady = true;
});

describe('journey 1: a spam answer is flagged, hidden, reviewed and deleted; its author silenced', () => {
  test('1. a member asks, and a spammer answers with an advert', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(staffReady, 'the setup step should have made the accounts');
    threadUrl = await ask(await page('alice'), question);

    const s = await page('spammer');
    await answer(s, threadUrl, spamText);
    const post = s.locator('article.post.kind-answer', { hasText: 'toner-deals.example' });
    await post.waitFor();
    spamId = (await post.getAttribute('id')).replace(/^post-/, '');
    assert.match(spamId, /^\d+$/);
    assert.equal(await post.locator('.notice.moderated').count(), 0, 'the answer is published');
  });

  test('2. the asker flags it as spam from the thread page; one flag does not hide it', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    requireStep(spamId, 'step 1 should have posted the spam answer');
    const p = await page('alice');
    await p.goto(threadUrl);
    await spamPost(p).waitFor();
    // Nobody flags their own question.
    assert.equal(await p.locator('article.post.kind-question details.flag').count(), 0);

    // The open flag form passes axe, and is translated.
    const { check, failures } = a11yChecker(t);
    await spamPost(p).locator('details.flag summary').click();
    await spamPost(p).locator('form.flag-form').waitFor({ state: 'visible' });
    await check(p, 'thread with the flag form open (member)');
    await assertTranslatedNow('alice', 'the thread with the flag form open', async (x) => {
      await x.goto(threadUrl);
      await x.locator(`article#post-${spamId} details.flag summary`).click();
    });
    await p.reload();

    await flagSpam(p, flagNote);
    await spamPost(p).waitFor();
    assert.equal(await spamPost(p).locator('.notice.moderated').count(), 0, 'one flag does not hide it');
    assert.ok((await anonymousGet(`/p/${spamId}`)).status < 400, 'still public after one flag');
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });

  test('3. a second member\'s spam flag hides it at once: others no longer see it', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(spamId, 'step 1 should have posted the spam answer');
    const b = await page('bob');
    await b.goto(threadUrl);
    await flagSpam(b);
    // Bob is back on the thread, without the answer.
    await b.getByRole('heading', { level: 1, name: question.title }).waitFor();
    assert.equal(await spamPost(b).count(), 0, 'the second flagger no longer sees it');
    assert.ok(!(await b.locator('main').innerText()).includes('toner-deals'), 'the advert is gone from the page');

    // Nobody signed in: not on the thread, and its permalink is a 404.
    const anon = await pageOf(await newContext('anonymous'));
    await anon.goto(threadUrl);
    await anon.getByRole('heading', { level: 1, name: question.title }).waitFor();
    assert.equal(await spamPost(anon).count(), 0, 'anonymous visitors no longer see it');
    assert.ok(!(await anon.locator('main').innerText()).includes('toner-deals'));
    await anon.getByRole('heading', { level: 2, name: /^0 answers/ }).waitFor();
    assert.equal((await anonymousGet(`/p/${spamId}`)).status, 404);

    // Its author still sees it, and why.
    const s = await page('spammer');
    await s.goto(threadUrl);
    assert.match(await spamPost(s).locator('.notice.moderated').innerText(),
      /^Hidden for now: Members flagged it; it is hidden until a moderator reviews it\./);
    hidden = true;
  });

  test('4. the moderator sees it counted in the nav and waiting in the review queue', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    requireStep(hidden, 'step 3 should have hidden the answer');
    const m = await page('mod');
    await m.goto('/');
    const badge = m.locator('header a.review-link .badge.count');
    assert.equal((await badge.innerText()).trim(), '1');
    assert.equal(await badge.getAttribute('aria-label'), '1 item waits for review');
    await clickAndLoad(m, m.locator('header a.review-link'));
    assert.equal(pathOf(m.url()), '/review');

    const item = m.locator(`li.review-item#review-post-${spamId}`);
    await item.waitFor();
    // textContent: the badges are uppercased by CSS.
    assert.equal((await item.locator('.review-reasons .badge.flag-spam').textContent()).trim(), 'Spam × 2');
    const text = await item.innerText();
    assert.ok(text.includes(flagNote), 'the first flagger\'s note is shown');
    assert.ok(text.includes(spammer.name), 'the author is named');
    assert.ok(text.includes('toner-deals.example'), 'the flagged text is shown');
    await item.locator('.badge.state-hidden', { hasText: 'hidden' }).waitFor();
    assert.match(await m.locator('main p.muted').first().innerText(), /^1 flagged item, 0 waiting for approval\./);

    const { check, failures } = a11yChecker(t);
    await check(m, 'review queue with a flagged answer');
    await assertTranslatedNow('mod', 'the review queue with a flagged answer', (x) => x.goto('/review'));

    // On the thread the moderator sees the hidden answer, why, and the moderation forms.
    await m.goto(threadUrl);
    const post = spamPost(m);
    assert.match(await post.locator('.notice.moderated').innerText(), /^Hidden for now: Members flagged it/);
    const forms = post.locator(`form.moderate-form[action="/review/post/${spamId}"]`);
    await forms.getByRole('button', { name: 'Restore' }).waitFor();
    await forms.getByRole('button', { name: 'Delete' }).waitFor();
    assert.equal(await forms.getByRole('button', { name: 'Hide' }).count(), 0, 'it is hidden already');
    await m.locator('.thread-head form.merge-form').waitFor();
    await check(m, 'thread with moderation forms and a hidden answer');
    const dark = await contexts.mod.newPage();
    try {
      await dark.emulateMedia({ colorScheme: 'dark' });
      await dark.goto(threadUrl);
      await check(dark, 'thread with moderation forms and a hidden answer (dark)');
    } finally {
      await dark.close();
    }
    await assertTranslatedNow('mod', 'the thread with moderation forms', (x) => x.goto(threadUrl));
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });

  test('5. from the queue, the moderator silences the author for 7 days and deletes the answer with a reason', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(hidden, 'step 3 should have hidden the answer');
    const m = await page('mod');
    await m.goto('/review');
    const item = m.locator(`li.review-item#review-post-${spamId}`);

    // Silence first: once decided, the item (and its silence form) leaves the queue.
    const silence = item.locator('form.restrict-form[action$="/silence"]');
    await silence.locator('select[name=days]').selectOption('7');
    await clickAndLoad(m, silence.getByRole('button', { name: 'Silence' }));
    assert.equal(pathOf(m.url()), '/review');
    await item.locator('.badge', { hasText: 'silenced or suspended' }).waitFor();

    const decide = item.locator(`form.review-actions[action="/review/post/${spamId}"]`);
    await decide.getByLabel('Reason (shown to the author)').fill(deleteReason);
    await clickAndLoad(m, decide.getByRole('button', { name: 'Delete' }));
    assert.equal(pathOf(m.url()), '/review');
    assert.equal(await item.count(), 0, 'the decided item left the queue');
    await m.locator('main p.empty', { hasText: 'Nothing waits for review.' }).waitFor();
    assert.equal(await m.locator('header a.review-link .badge.count').count(), 0, 'the nav no longer counts it');

    // The moderator can still see it on the thread, deleted, and restore it.
    await m.goto(threadUrl);
    assert.equal(await spamPost(m).locator('.notice.moderated').innerText(), `Deleted by a moderator: ${deleteReason}`);
    await spamPost(m).locator('form.moderate-form').getByRole('button', { name: 'Restore' }).waitFor();
    reviewed = true;
  });

  test('6. the author sees why it was deleted, and may no longer answer (403)', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    requireStep(reviewed, 'step 5 should have deleted the answer and silenced its author');
    const s = await page('spammer');
    await s.goto(threadUrl);
    assert.equal(await spamPost(s).locator('.notice.moderated').innerText(), `Deleted by a moderator: ${deleteReason}`);
    // Still nobody else sees it.
    assert.equal((await anonymousGet(`/p/${spamId}`)).status, 404);

    const path = `${new URL(threadUrl).pathname.match(/^\/t\/\d+/)[0]}/answers`;
    await expectRefusal('spammer', path, 403, () => answer(s, threadUrl, 'Even cheaper toner at https://toner-deals.example!'));
    assert.equal(pathOf(s.url()), path);
    await s.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
    assert.equal(await s.locator('main p.lead[role=alert]').innerText(), silencedMessage);

    const { check, failures } = a11yChecker(t);
    await check(s, 'the silenced member\'s refused answer');
    await expectRefusal('spammer', path, 403, () => assertTranslatedNow('spammer', 'the silenced member\'s refused answer',
      (x) => answer(x, threadUrl, 'Toner, toner, toner at https://toner-deals.example')));
    assert.deepEqual(failures, [], failures.join('\n\n'));

    // Nothing was posted.
    await s.goto(threadUrl);
    assert.equal(await s.locator('article.post.kind-answer').count(), 1, 'only the deleted answer is there');
  });

  test('7. the first flagger\'s "My flags" says a moderator agreed and acted', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    requireStep(reviewed, 'step 5 should have decided on the flags');
    const p = await page('alice');
    await p.goto('/me/flags');
    await p.getByRole('heading', { level: 1, name: 'My flags' }).waitFor();
    const rows = p.locator('table.my-flags tbody tr');
    assert.equal(await rows.count(), 1);
    const row = rows.first();
    assert.match(await row.getAttribute('class'), /\bflag-agreed\b/);
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[1], 'Post', 'what was flagged');
    assert.equal(cells[2], `Spam — ${flagNote}`);
    assert.equal(cells[3], `A moderator agreed and acted — ${deleteReason}`);

    const { check, failures } = a11yChecker(t);
    await check(p, 'my flags');
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });

  // A flagged post the flagger may no longer open (hidden, deleted) is listed without a link.
  test('8. "My flags" links nowhere the flagger cannot go', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(reviewed, 'step 5 should have decided on the flags');
    const p = await page('alice');
    await p.goto('/me/flags');
    // Through the context's request API: the page listeners would count the 404 as a problem.
    for (const href of await p.locator('table.my-flags a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      const res = await contexts.alice.request.get(href, { maxRedirects: 0 });
      assert.ok(res.status() < 400, `"My flags" links to ${href}, which answers ${res.status()} to the flagger`);
    }
  });
});

describe('journey 2: a moderator moves a thread and merges a duplicate into it', () => {
  test('1. the admin adds a second category', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(staffReady, 'the setup step should have made the accounts');
    const a = await page('admin');
    await a.goto('/admin');
    await a.fill('#new-cat-name', 'Printers');
    await a.fill('#new-cat-slug', 'printers');
    await a.fill('#new-cat-desc', 'Printing, scanning and toner');
    await clickAndLoad(a, a.getByRole('button', { name: 'Create category' }));
    assert.equal(pathOf(a.url()), '/admin');
    assert.equal(await a.locator('#categories input[name=slug]').evaluateAll((els) => els.some((e) => e.value === 'printers')), true);
    categoryReady = true;
  });

  test('2. a member asks; another asks the same again, and is answered there', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(categoryReady, 'step 1 should have made the category');
    canonicalUrl = await ask(await page('alice'), canonical, 'general');
    duplicateUrl = await ask(await page('bob'), duplicate, 'general');
    const p = await page('alice');
    await answer(p, duplicateUrl, mergedAnswer);
    await p.locator('article.post.kind-answer', { hasText: 'WPS button' }).waitFor();
  });

  test('3. the moderator moves the first thread to the new category from its page', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(canonicalUrl && duplicateUrl, 'step 2 should have asked both questions');
    const m = await page('mod');
    await m.goto(canonicalUrl);
    const head = m.locator('.thread-head');
    assert.equal((await head.locator('a.category').innerText()).trim(), 'General');
    const form = head.locator('form.move-form');
    await form.getByLabel('Move to').selectOption('printers');
    await clickAndLoad(m, form.getByRole('button', { name: 'Move' }));
    assert.equal(m.url().replace(/#.*$/, ''), canonicalUrl, 'the thread keeps its address');
    assert.equal((await head.locator('a.category').innerText()).trim(), 'Printers');
    assert.equal(await head.locator('a.category').getAttribute('href'), '/c/printers');

    await m.goto('/c/printers');
    await m.locator('li.thread-row', { hasText: canonical.title }).waitFor();
    await m.goto('/c/general');
    await m.locator('li.thread-row', { hasText: question.title }).waitFor();
    assert.equal(await m.locator('li.thread-row', { hasText: canonical.title }).count(), 0, 'no longer in General');
    moved = true;
  });

  test('4. the moderator merges the duplicate into it through the thread page\'s merge form', { timeout: STEP_TIMEOUT_MS }, async (t) => {
    requireStep(moved, 'step 3 should have moved the thread');
    const m = await page('mod');
    await m.goto(duplicateUrl);
    const form = m.locator('.thread-head form.merge-form');
    // A thread's address works as well as its number.
    await form.getByLabel('Merge into thread').fill(canonicalUrl);
    await clickAndLoad(m, form.getByRole('button', { name: 'Merge' }));
    assert.equal(m.url().replace(/#.*$/, ''), canonicalUrl, 'the merge leads to the canonical thread');
    await m.getByRole('heading', { level: 1, name: canonical.title }).waitFor();
    await m.locator('article.post.kind-answer', { hasText: 'WPS button' }).waitFor();
    await m.getByRole('heading', { level: 2, name: /^1 answer/ }).waitFor();
    assert.equal((await m.locator('.thread-head a.category').innerText()).trim(), 'Printers');

    const { check, failures } = a11yChecker(t);
    await check(m, 'the canonical thread after the merge (moderator)');
    assert.deepEqual(failures, [], failures.join('\n\n'));
    merged = true;
  });

  test('5. the duplicate\'s old address answers 301 to the canonical thread, which has its answer', { timeout: STEP_TIMEOUT_MS }, async () => {
    requireStep(merged, 'step 4 should have merged the threads');
    const res = await anonymousGet(pathOf(duplicateUrl));
    assert.equal(res.status, 301);
    assert.equal(pathOf(res.headers.get('location')), pathOf(canonicalUrl));

    for (const name of ['anonymous', 'bob']) {
      const p = await pageOf(contexts[name] ?? await newContext(name));
      await p.goto(duplicateUrl);
      assert.equal(p.url().replace(/#.*$/, ''), canonicalUrl, `${name} lands on the canonical thread`);
      await p.getByRole('heading', { level: 1, name: canonical.title }).waitFor();
      await p.locator('article.post.kind-answer', { hasText: 'WPS button' }).waitFor();
    }
    // The duplicate is in no listing any more.
    const anon = await page('anonymous');
    await anon.goto('/');
    await anon.locator('li.thread-row', { hasText: canonical.title }).waitFor();
    assert.equal(await anon.locator('li.thread-row', { hasText: duplicate.title }).count(), 0);
  });
});

test('the admin\'s watched words page', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(staffReady, 'the setup step should have made the accounts');
  const a = await page('admin');
  await a.goto('/admin/watched-words');
  await a.getByRole('heading', { level: 1, name: 'Watched words' }).waitFor();
  await a.fill('#w-pattern', 'tonerdealz');
  await a.selectOption('#w-action', 'hold');
  await clickAndLoad(a, a.getByRole('button', { name: 'Add' }));
  assert.equal(pathOf(a.url()), '/admin/watched-words');
  await a.locator('table.words tr', { hasText: 'tonerdealz' }).locator('td', { hasText: 'Hold it for approval' }).waitFor();
  const { check, failures } = a11yChecker(t);
  await check(a, 'watched words');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 4 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated(10);
});

test('no console errors, page errors, CSP violations or error responses along the way', () => {
  harness.assertNoPageProblems();
});

// Peer help in a real browser against the real server, with badges on
// (PEERDESK_TRUST__BADGES=true; the other journeys turn them off). The cast signs up through
// the form, the admin through the setup link:
//
// A new member answers a question another member asked (first, so she also welcomes the asker);
// staff answer too and the asker votes that up; the asker accepts the member's answer. A moment
// later (the `reputation` consumer works after the request) the answerer
//   - sees the badges under the bell ("You earned the bronze badge “First answer” —
//     congratulations!"), linking to /badges/first_answer, which lists her;
//   - sees them on her profile, with "Reputation: 15", the history line "+15 answer accepted"
//     and the chart;
//   - has 15 beside her name on the thread, and the card over her name (hover or keyboard focus,
//     signed in or not) says "15 reputation", her trust level and her badge counts;
//   - is listed on /people under "Customers helping customers", apart from staff, this week and
//     all time.
// The new pages (profile, /badges, /badges/first_answer, /people, the thread with the card open)
// pass axe, show no message that failed to format ("{NUMBER()}") and no untranslated text in the
// pseudo-locale. A last step, marked TODO while the bug stands, checks that the card can be used
// (WCAG 1.4.13: the pointer can move onto it, Escape closes it; Tab from the name keeps focus).
// Steps share state and run in order; a failed step makes later ones fail fast.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  useHarness, pageOf, requireStep, a11yChecker, untranslatedText, STEP_TIMEOUT_MS, THREAD_PATH_RE,
} from './lib/harness.mjs';

/** How long the `reputation` consumer may take to pay, award and count after a request. */
const CONSUMER_WITHIN_MS = 10_000;

const staff = { handle: 'sam', name: 'Sam Staff', title: 'Support lead', email: 'sam@example.test', password: 'sam-password-123' };
const asker = { handle: 'alice', name: 'Alice Asker', email: 'alice@example.test', password: 'alice-password-1' };
const helper = { handle: 'nina', name: 'Nina Newcomer', email: 'nina@example.test', password: 'nina-password-12' };

const question = {
  title: 'Scanner saves every page as a separate PDF',
  body: 'When I scan a 10-page letter I get ten PDF files. How do I get one file with all pages?',
};
const helperAnswer = 'In the scan dialog tick "Combine pages into one file" before you press Scan.';
const staffAnswer = 'The desktop app has the same option under Settings, Output, Multi-page PDF.';

const harness = useHarness({ serverOptions: async () => ({ env: { PEERDESK_TRUST__BADGES: 'true' } }) });
const { contexts, newContext, signUp } = harness;

let castReady = false;
let threadUrl = null;
let helperPostId = null;
let accepted = false;
let rewarded = false;
/** The answerer's badge counts by tier as her profile lists them, for the card to agree with. */
let profileCounts = null;

const page = (name) => pageOf(requireStep(contexts[name], `an earlier step should have made the "${name}" browser`));
const pathOf = (url) => new URL(url, harness.server.baseUrl).pathname;
/** The text of `locator` as written, spaces collapsed (innerText would give the CSS's capitals). */
const textOf = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();
const requireThread = () => requireStep(threadUrl && helperPostId, 'step 2 should have asked and answered');

/**
 * Click `target` (a submit button) and wait until the page the post leads to has loaded
 * (`waitForURL` would return at once when the form posts back to the page it is on).
 */
async function clickAndLoad(p, target) {
  const navigated = p.waitForEvent('framenavigated', { predicate: (f) => f === p.mainFrame() });
  await target.click();
  await navigated;
  await p.waitForLoadState();
}

/**
 * Shows `url` again and again (a fresh load each time) until `ready(page)` resolves truthy,
 * for what the `reputation` consumer does a moment after a request. Resolves to that value.
 */
async function eventually(p, url, ready, what, withinMs = CONSUMER_WITHIN_MS) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    await p.goto(url);
    const value = await ready(p);
    if (value) return value;
    if (Date.now() > deadline) {
      const shown = (await p.locator('main').innerText()).replace(/\n+/g, ' | ');
      assert.fail(`not within ${withinMs} ms on ${url}: ${what}; the page shows:\n${shown}`);
    }
    await sleep(250);
  }
}

/**
 * Text a message left when it failed to format: Fluent prints what it could not resolve in
 * braces — `{NUMBER()}` (an unknown function), `{$count}` (a missing argument), `{badge-name}`
 * (a missing message). The pseudo-locale check cannot see these: they sit inside ⟦ ⟧.
 */
async function fluentErrors(p) {
  return p.evaluate(() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('script, style, template').forEach((el) => el.remove());
    const texts = [body.textContent];
    for (const el of body.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
      for (const attr of ['title', 'aria-label', 'placeholder', 'alt']) texts.push(el.getAttribute(attr) ?? '');
    }
    const found = new Set();
    for (const t of texts) {
      for (const m of t.matchAll(/\{(?:\$?[A-Za-z][\w-]*(?:\(\))?|-[\w-]+)\}/g)) {
        found.add(`"${m[0]}" in …${t.slice(Math.max(0, m.index - 30), m.index + 30).replace(/\s+/g, ' ').trim()}…`);
      }
    }
    return [...found];
  });
}

/** Fails when the page shows a message that failed to format (see `fluentErrors`). */
async function assertMessagesFormatted(p, label) {
  const errors = await fluentErrors(p);
  assert.deepEqual(errors, [], `messages that failed to format on ${label}:\n${errors.join('\n')}`);
}

/**
 * Shows what `action(page)` leads to in the pseudo-locale, in a new page of `name`'s browser,
 * and fails on text no message made (for states the final sweep cannot show: an open card).
 */
async function assertTranslatedNow(name, label, action) {
  const ctx = contexts[name];
  await ctx.addCookies([{ name: 'peerdesk_lang', value: 'en-XA', url: harness.server.baseUrl }]);
  const p = await ctx.newPage();
  try {
    await action(p);
    assert.equal(await p.getAttribute('html', 'lang'), 'en-XA', `${label} is not in the pseudo-locale`);
    const problems = [...await untranslatedText(p), ...await fluentErrors(p)];
    assert.deepEqual(problems, [], `untranslated text on ${label} (not in ⟦ ⟧, not [data-user]), or messages that failed to format:\n${problems.join('\n')}`);
  } finally {
    await p.close();
    await ctx.clearCookies({ name: 'peerdesk_lang' });
  }
}

/** The answerer's name link on her answer. */
const helperLink = (p) => p.locator(`article#post-${helperPostId} a.author[data-card="${helper.handle}"]`);

/**
 * Opens the card over the answerer's name on the thread page `p` shows (by hovering, or by
 * keyboard focus) and resolves to it: the element right after the link.
 */
async function openCard(p, how = 'hover') {
  const link = helperLink(p);
  const fetched = p.waitForResponse((r) => pathOf(r.url()) === `/u/${helper.handle}/card`);
  fetched.catch(() => {}); // awaited below; no unhandled rejection if hovering fails first
  if (how === 'focus') await link.focus();
  else await link.hover();
  assert.equal((await fetched).status(), 200);
  const card = link.locator('xpath=following-sibling::*[1]');
  await p.waitForFunction((a) => {
    const el = a.nextElementSibling;
    return el && el.classList.contains('user-card') && !el.hidden && el.textContent.trim() !== '';
  }, await link.elementHandle(), { timeout: 5_000 });
  assert.equal(await card.evaluate((el) => el.tagName.toLowerCase()), 'div');
  assert.match(await card.getAttribute('class'), /\buser-card\b/);
  // It holds a link, so it is no tooltip: the name points at it with aria-describedby.
  assert.equal(await link.getAttribute('aria-describedby'), await card.getAttribute('id'));
  await card.waitFor({ state: 'visible' });
  return card;
}

/** Shows the thread and opens the card over the answerer's name. */
async function threadWithCard(p, how = 'hover') {
  await p.goto(threadUrl);
  await helperLink(p).waitFor();
  return openCard(p, how);
}

/** The list right after the /people heading `heading` (empty when there is no such heading). */
async function leaderHandles(p, heading) {
  const h = p.locator('main h3', { hasText: heading });
  if (!(await h.count())) return [];
  return h.locator('xpath=following-sibling::*[1]').locator('li > a.author')
    .evaluateAll((as) => as.map((a) => a.dataset.card));
}

test('setup: staff set up the desk; two members sign up', { timeout: 2 * STEP_TIMEOUT_MS }, async () => {
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
  for (const [name, user] of [['asker', asker], ['helper', helper]]) {
    await signUp(await pageOf(await newContext(name)), user);
  }
  castReady = true;
});

test('1. a member asks; a new member answers first, staff answer too; the asker votes staff up', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireStep(castReady, 'the setup step should have made the accounts');
  const a = await page('asker');
  await a.goto('/ask');
  await a.fill('#title', question.title);
  await a.fill('#body', question.body);
  await Promise.all([
    a.waitForURL(THREAD_PATH_RE),
    a.getByRole('button', { name: 'Post your question' }).click(),
  ]);
  await a.getByRole('heading', { level: 1, name: question.title }).waitFor();
  threadUrl = a.url().replace(/#.*$/, '');

  const h = await page('helper');
  await h.goto(threadUrl);
  await h.fill('#answer-body', helperAnswer);
  await clickAndLoad(h, h.getByRole('button', { name: 'Post your answer' }));
  const post = h.locator('article.post.kind-answer', { hasText: 'Combine pages into one file' });
  await post.waitFor();
  helperPostId = (await post.getAttribute('id')).replace(/^post-/, '');
  assert.match(helperPostId, /^\d+$/);
  // Her name links to her profile, with her reputation (none yet) beside it.
  const link = helperLink(h);
  assert.equal(await link.getAttribute('href'), `/u/${helper.handle}`);
  assert.equal(await textOf(link), helper.name);
  assert.equal(await link.evaluate((a) => a.nextElementSibling?.matches('span.rep') && a.nextElementSibling.textContent.trim()), '0');

  const s = await page('staff');
  await s.goto(threadUrl);
  await s.fill('#answer-body', staffAnswer);
  await clickAndLoad(s, s.getByRole('button', { name: 'Post your answer' }));
  const staffPost = s.locator('article.post.kind-answer', { hasText: 'Multi-page PDF' });
  await staffPost.waitFor();
  const staffPostId = (await staffPost.getAttribute('id')).replace(/^post-/, '');

  // The asker votes the staff answer up (the page script posts it without a reload).
  await a.goto(threadUrl);
  const up = a.locator(`article#post-${staffPostId} button.vote-up`);
  const voted = a.waitForResponse((r) => r.request().method() === 'POST' && pathOf(r.url()) === `/p/${staffPostId}/vote`);
  await up.click();
  assert.equal((await voted).status(), 200);
  assert.equal(await up.getAttribute('aria-pressed'), 'true');

  // Someone who is not signed in reads the thread and looks at her card before anything is
  // paid (it is fetched, and cached for anonymous pages): later it must not show stale numbers.
  const anon = await pageOf(await newContext('anonymous'));
  const card = await threadWithCard(anon);
  assert.ok((await textOf(card)).includes(helper.name));
});

test('2. the asker accepts the new member\'s answer from the thread page', { timeout: STEP_TIMEOUT_MS }, async () => {
  requireThread();
  const a = await page('asker');
  await a.goto(threadUrl);
  const post = a.locator(`article#post-${helperPostId}`);
  const form = post.locator(`form[action="/p/${helperPostId}/accept"]`);
  await clickAndLoad(a, form.getByRole('button', { name: /^Accept/ }));
  assert.ok(THREAD_PATH_RE.test(pathOf(a.url())), `the accept leads back to the thread: ${a.url()}`);
  await post.locator('.accepted-mark').waitFor();
  assert.match(await post.getAttribute('class'), /\baccepted\b/);
  // Only the asker accepts: nobody else sees the form.
  const h = await page('helper');
  await h.goto(threadUrl);
  assert.equal(await h.locator(`form[action="/p/${helperPostId}/accept"]`).count(), 0);
  accepted = true;
});

test('3. the answerer sees her badges under the bell; the notification leads to the badge', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(accepted, 'step 2 should have accepted the answer');
  const h = await page('helper');
  const firstAnswer = 'You earned the bronze badge “First answer” — congratulations!';
  const solved = 'You earned the bronze badge “Problem solved” — congratulations!';

  // The bell counts them (the accept's own badge comes a moment after the request).
  await eventually(h, '/notifications', async (p) => (await p.locator('li.notification', { hasText: solved }).count()) > 0,
    `the notification "${solved}"`);
  const bell = h.locator('#bell-count');
  assert.equal(await bell.isVisible(), true, 'the bell counts the new badges');
  assert.ok(Number((await bell.innerText()).trim()) >= 2, `the bell counts at least 2: ${await bell.innerText()}`);

  const item = h.locator('li.notification', { hasText: firstAnswer });
  assert.equal(await item.count(), 1, `one "${firstAnswer}"; the page lists:\n${await textOf(h.locator('main'))}`);
  const link = item.getByRole('link', { name: firstAnswer, exact: true });
  assert.equal(await link.getAttribute('href'), '/badges/first_answer');
  assert.equal(await h.locator('li.notification', { hasText: solved }).getByRole('link').first().getAttribute('href'),
    '/badges/first_accepted');
  // She answered a member's first question first.
  await h.locator('li.notification a[href="/badges/welcomer"]', { hasText: '“Welcomer”' }).waitFor();

  const { check, failures } = a11yChecker(t);
  await check(h, 'notifications with badges');
  await assertMessagesFormatted(h, '/notifications');

  await clickAndLoad(h, link);
  assert.equal(pathOf(h.url()), '/badges/first_answer');
  await h.getByRole('heading', { level: 1, name: 'First answer' }).waitFor();
  await h.getByRole('heading', { level: 2, name: 'Who has it' }).waitFor();
  const holders = await h.locator('main ul a[href^="/u/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(holders.includes(`/u/${helper.handle}`), `she is listed: ${holders}`);
  assert.ok(holders.includes(`/u/${staff.handle}`), `staff answered too: ${holders}`);
  assert.equal(await textOf(h.locator(`main a[href="/u/${helper.handle}"]`)), helper.name);
  await check(h, '/badges/first_answer');
  await assertMessagesFormatted(h, '/badges/first_answer');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('4. her profile lists the badges, "Reputation: 15", "+15 answer accepted" and the chart', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(accepted, 'step 2 should have accepted the answer');
  const h = await page('helper');
  // Her name in the header leads to her profile.
  await h.goto('/');
  await clickAndLoad(h, h.locator(`header a[href="/u/${helper.handle}"]`));
  assert.equal(pathOf(h.url()), `/u/${helper.handle}`);

  // The consumer has paid her once the history has its line.
  const rep = h.locator('section.reputation');
  const line = rep.locator('ul.rep-history li', { hasText: 'answer accepted' });
  await eventually(h, `/u/${helper.handle}`, async () => (await line.count()) > 0, 'the history line "+15 answer accepted"');
  assert.equal(await line.count(), 1, `one "answer accepted" line in:\n${await textOf(rep)}`);
  assert.match(await textOf(line), /^\+15 answer accepted\b/);
  assert.equal(await textOf(line.locator('span.good')), '+15');
  assert.equal(await line.getByRole('link').getAttribute('href'), `/p/${helperPostId}`);
  const chart = rep.locator('svg.rep-chart');
  await chart.waitFor({ state: 'visible' });
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.ok(await chart.locator('rect.up').count() >= 1, 'the chart has a bar for today');

  const badges = h.locator('section.user-badges');
  await badges.getByRole('heading', { level: 2, name: 'Badges' }).waitFor();
  for (const [id, name] of [['first_answer', 'First answer'], ['first_accepted', 'Problem solved'], ['welcomer', 'Welcomer']]) {
    const a = badges.locator(`a.badge[href="/badges/${id}"]`);
    assert.equal(await a.count(), 1, `the profile lists "${name}": ${await textOf(badges)}`);
    assert.equal(await textOf(a), name);
    assert.match(await a.getAttribute('class'), /\btier-bronze\b/);
  }
  profileCounts = await badges.locator('a.badge').evaluateAll((as) => {
    const n = { gold: 0, silver: 0, bronze: 0 };
    for (const a of as) {
      const tier = ['gold', 'silver', 'bronze'].find((x) => a.classList.contains(`tier-${x}`));
      // "× 3" after a badge earned three times.
      const times = Number(a.parentElement.textContent.match(/×\s*(\d+)/)?.[1] ?? 1);
      n[tier] += times;
    }
    return n;
  });
  t.diagnostic(`profile badges: ${JSON.stringify(profileCounts)}`);
  rewarded = true;

  const { check, failures } = a11yChecker(t);
  await check(h, 'profile with badges and reputation');

  assert.match(await textOf(h.locator('main p.lead')), /\b15 reputation\b/);
  const heading = await textOf(rep.locator('h2'));
  assert.match(heading, /^Reputation: 15\b/, `the heading says "Reputation: 15" (only the accept paid her): "${heading}"`);
  await assertMessagesFormatted(h, 'the profile');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('5. on the thread, 15 beside her name, and the card over it shows her reputation and badges', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(rewarded && profileCounts, 'step 4 should have seen the reputation and badges');
  const expectedBadges = `${profileCounts.gold} gold · ${profileCounts.silver} silver · ${profileCounts.bronze} bronze`;
  const { check, failures } = a11yChecker(t);

  // The asker (signed in) hovers her name; anonymous readers (cached pages) see the same.
  for (const name of ['asker', 'anonymous']) {
    const p = await page(name);
    await p.goto(threadUrl);
    const rep = helperLink(p).locator('xpath=following-sibling::span[contains(concat(" ", @class, " "), " rep ")][1]');
    assert.equal(await textOf(rep), '15', `[${name}] the reputation beside her name`);

    const card = await openCard(p);
    const text = await textOf(card);
    t.diagnostic(`[${name}] card: ${text}`);
    assert.equal(await textOf(card.locator('strong').first()), helper.name, `[${name}] the card names her`);
    assert.ok(text.includes('15 reputation'), `[${name}] the card shows "15 reputation": ${text}`);
    assert.match(text, /Level [0-4] · (new|basic|member|regular|leader)/, `[${name}] the card shows her trust level: ${text}`);
    assert.ok(text.includes(expectedBadges), `[${name}] the card shows "${expectedBadges}" as her profile does: ${text}`);
    assert.match(text, /member since/i, `[${name}] ${text}`);
    assert.equal(await card.getByRole('link', { name: 'Profile' }).getAttribute('href'), `/u/${helper.handle}`);
    await check(p, `thread with the card open (${name})`);
    await assertMessagesFormatted(p, `the thread with the card open (${name})`);

    // Moving away hides it.
    await p.locator('h1').hover();
    await card.waitFor({ state: 'hidden' });
  }

  // Keyboard: focusing the name shows the card, leaving it hides it.
  const p = await page('asker');
  await p.goto(threadUrl);
  const card = await openCard(p, 'focus');
  assert.ok((await textOf(card)).includes('15 reputation'));
  await check(p, 'thread with the card open by keyboard focus');
  await p.keyboard.press('Shift+Tab');
  await card.waitFor({ state: 'hidden' });

  // The trust level on the card is the one her profile shows.
  const h = await page('helper');
  await h.goto(`/u/${helper.handle}`);
  const level = await textOf(h.locator('section.reputation h2 .badge'));
  const a = await page('anonymous');
  const anonCard = await threadWithCard(a);
  assert.ok((await textOf(anonCard)).includes(level), `the card shows her level "${level}": ${await textOf(anonCard)}`);
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('6. /people lists her among "Customers helping customers", apart from staff', { timeout: STEP_TIMEOUT_MS }, async (t) => {
  requireStep(rewarded, 'step 4 should have seen the reputation');
  const h = await page('helper');
  await h.goto('/');
  await clickAndLoad(h, h.locator('header').getByRole('link', { name: 'Top helpers' }));
  assert.equal(pathOf(h.url()), '/people');
  await h.getByRole('heading', { level: 1, name: 'Top helpers' }).waitFor();
  const tabs = h.getByRole('navigation', { name: 'Periods' });
  assert.equal(await tabs.getByRole('link', { name: 'This week' }).getAttribute('aria-current'), 'page', 'this week by default');

  await eventually(h, '/people', async (p) => (await leaderHandles(p, 'Customers helping customers')).includes(helper.handle),
    'her name under "Customers helping customers"');
  const peers = await leaderHandles(h, 'Customers helping customers');
  const staffList = await leaderHandles(h, 'Staff');
  t.diagnostic(`peers: ${peers.join(', ')}; staff: ${staffList.join(', ')}`);
  assert.equal(peers[0], helper.handle, `the one with an accepted answer comes first: ${peers}`);
  assert.ok(!peers.includes(staff.handle), `staff are not among the peers: ${peers}`);
  assert.ok(!staffList.includes(helper.handle), `she is not among staff: ${staffList}`);
  assert.ok(staffList.includes(staff.handle), `staff (voted up) are listed apart under "Staff": ${staffList}`);
  const row = h.locator('ol.leaders-list li', { has: h.locator(`a.author[data-card="${helper.handle}"]`) });
  assert.match(await textOf(row), /^Nina Newcomer 1 accepted answer, 15 reputation$/);

  const { check, failures } = a11yChecker(t);
  await check(h, '/people (this week)');
  await assertMessagesFormatted(h, '/people');

  // All time lists her too.
  await clickAndLoad(h, tabs.getByRole('link', { name: 'All time' }));
  assert.equal(new URL(h.url()).searchParams.get('period'), 'all');
  assert.equal(await tabs.getByRole('link', { name: 'All time' }).getAttribute('aria-current'), 'page');
  assert.equal((await leaderHandles(h, 'Customers helping customers'))[0], helper.handle);
  await check(h, '/people (all time)');

  // And the catalogue, linked from there, counts who holds each badge.
  await clickAndLoad(h, h.locator('main').getByRole('link', { name: 'Badges', exact: true }));
  assert.equal(pathOf(h.url()), '/badges');
  await h.getByRole('heading', { level: 1, name: 'Badges' }).waitFor();
  const entry = (id) => h.locator('li.badge-entry', { has: h.locator(`a.badge[href="/badges/${id}"]`) });
  assert.equal(await h.locator('li.badge-entry').count(), 25, 'the whole catalogue');
  assert.match(await textOf(entry('first_accepted')), /Problem solved\s+Bronze — A first answer accepted by the asker\..*· 1 person$/s);
  assert.match(await textOf(entry('first_answer')), /· 2 people$/, 'she and staff answered');
  await check(h, '/badges');
  await assertMessagesFormatted(h, '/badges');
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('7. profile, /badges, /badges/first_answer, /people and the thread with the card open, in the pseudo-locale', { timeout: 2 * STEP_TIMEOUT_MS }, async () => {
  requireStep(rewarded, 'step 4 should have seen the reputation');
  for (const [label, path] of [
    ['the profile', `/u/${helper.handle}`],
    ['/badges', '/badges'],
    ['/badges/first_answer', '/badges/first_answer'],
    ['/people', '/people'],
    ['/notifications', '/notifications'],
  ]) {
    await assertTranslatedNow('helper', label, (p) => p.goto(path));
  }
  for (const name of ['asker', 'anonymous']) {
    await assertTranslatedNow(name, `the thread with the card open (${name})`, (p) => threadWithCard(p));
  }
});

// WCAG 1.4.13 (content on hover or focus): the card is hoverable, dismissible, and Tab from the
// name keeps focus.
test('8. the card can be used: the pointer can move onto it, Escape closes it, Tab from the name keeps focus', {
  timeout: STEP_TIMEOUT_MS,
}, async () => {
  requireThread();
  const p = await page('asker');
  const problems = [];
  const focused = () => p.evaluate(() => {
    const el = document.activeElement;
    return !el || el === document.body ? 'body' : `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}"`;
  });

  // Hoverable: from the name onto the card, whose "Profile" link one may want to click.
  let card = await threadWithCard(p);
  const box = await card.boundingBox();
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
  if (!(await card.isVisible())) {
    problems.push('hoverable: the card disappears when the pointer moves from the name onto it (its "Profile" link cannot be clicked)');
  }

  // Dismissible: Escape closes it without moving the pointer or the focus.
  await p.goto(threadUrl);
  card = await openCard(p);
  await p.keyboard.press('Escape');
  if (await card.isVisible()) problems.push('dismissible: Escape does not close the card shown on hover');
  await p.goto(threadUrl);
  card = await openCard(p, 'focus');
  await p.keyboard.press('Escape');
  if (await card.isVisible()) problems.push('dismissible: Escape does not close the card shown on keyboard focus');

  // Tab from the name goes on to something visible (the card's link, or what follows).
  await p.goto(threadUrl);
  card = await openCard(p, 'focus');
  await p.keyboard.press('Tab');
  const now = await focused();
  if (now === 'body') {
    problems.push('focus: Tab from the name moves focus into the card ("Profile"), which the name\'s blur hides at once: focus falls back to <body>');
  }
  assert.deepEqual(problems, [], `the card over a name:\n${problems.join('\n')}`);
});

test('every page along the way, in the pseudo-locale: no untranslated text', { timeout: 2 * STEP_TIMEOUT_MS }, async () => {
  await harness.assertAllTranslated(8);
});

test('no console errors, page errors, CSP violations or error responses along the way', () => {
  harness.assertNoPageProblems();
});

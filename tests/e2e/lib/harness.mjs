// The shared harness of the step-by-step browser tests (journey, search): one
// real server and one real browser per test file, browser contexts with bounded
// timeouts that collect every page's console errors, page errors, CSP reports
// and >=400 responses, and the helpers the steps have in common.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { launchBrowser, checkA11y } from './browser.mjs';

// tests/e2e/lib -> tests/e2e/test-results
export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results');

// Bounded waits everywhere: a debug build on a small machine is slow, but never this slow.
export const ACTION_TIMEOUT_MS = 10_000;
export const NAVIGATION_TIMEOUT_MS = 15_000;
export const STEP_TIMEOUT_MS = 60_000;

export const THREAD_PATH_RE = /\/t\/(\d+)\/[^/?#]+(?:#.*)?$/;

/**
 * Text on the page that no message made: in the pseudo-locale (en-XA) every message comes
 * wrapped in ⟦ ⟧, so any word left after removing those groups (outside user content, marked
 * `data-user`, and `translate="no"`) is a string someone forgot to translate. Also checks the
 * attributes people read (placeholder, title, aria-label, alt, button values).
 * Resolves to a list of problems (empty when all is well).
 */
export async function untranslatedText(page) {
  return page.evaluate(() => {
    const SKIP = '[data-user], [translate="no"], script, style, template, noscript';
    const strip = (t) => {
      for (;;) {
        const next = t.replace(/⟦[^⟦⟧]*⟧/g, ' ');
        if (next === t) return t;
        t = next;
      }
    };
    const words = (t) => strip(t).match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
    const problems = [];
    let text = '';
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          text += child.nodeValue;
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.matches(SKIP)) { text += ' '; continue; }
          for (const attr of ['placeholder', 'title', 'aria-label', 'alt']) {
            const v = child.getAttribute(attr);
            if (v && words(v).length) problems.push(`${child.tagName.toLowerCase()}[${attr}="${v}"]`);
          }
          if (child.matches('input[type=submit], input[type=button], input[type=reset]') && words(child.value).length) {
            problems.push(`input value "${child.value}"`);
          }
          walk(child);
          text += ' ';
        }
      }
    };
    walk(document.body);
    const left = strip(text).replace(/\s+/g, ' ');
    for (const m of left.matchAll(/\p{L}[\p{L}\p{M}'’-]*/gu)) {
      problems.push(`"${m[0]}" in …${left.slice(Math.max(0, m.index - 40), m.index + 40).trim()}…`);
    }
    return problems;
  });
}

/**
 * Register the `before` (start the server, launch the browser) and `after` hooks
 * of a test file; call it once, at the top level, before the tests.
 *
 * `after` closes every context made by `newContext`, then the browser, and stops
 * the server even if closing failed.
 *
 * @param {object} [opts]
 * @param {() => Promise<object>} [opts.serverOptions] options for `startServer`, made once
 *   other services (e.g. a sign-in provider) are up
 * @param {Set<string>} [opts.expectedMissing] paths whose >=400 response (and the
 *   console error it causes) is expected; none by default: the theme ships an
 *   icon and /favicon.ico serves it
 */
export function useHarness({ expectedMissing = new Set(), serverOptions = async () => ({}) } = {}) {
  let server;
  let browser;
  /** Browser contexts by name; each is closed in `after`. */
  const contexts = {};
  /** Console errors, page errors, CSP reports and >=400 responses from every page, checked at the end. */
  const pageProblems = [];
  /** Every address each context's pages showed, for the pseudo-locale sweep. */
  const visited = [];
  /**
   * While the sweep shows pages again, what they log is not a problem of the journey: some
   * addresses answered once (a setup link) or only to a form post (then 4xx to a GET).
   */
  let sweeping = false;

  before(async () => {
    server = await startServer(await serverOptions());
    browser = await launchBrowser();
  });

  after(async () => {
    try {
      for (const ctx of Object.values(contexts)) {
        await ctx.close().catch(() => {});
      }
      await browser?.close();
    } finally {
      await server?.stop();
    }
  });

  function watchPage(name, page) {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith(server.baseUrl)) visited.push({ name, url: frame.url() });
    });
    page.on('console', (msg) => {
      if (sweeping || msg.type() !== 'error') return;
      const source = msg.location().url;
      if (source && expectedMissing.has(new URL(source, server.baseUrl).pathname)) return;
      pageProblems.push(`[${name}] console error on ${page.url()}: ${msg.text()}${source ? ` (${source})` : ''}`);
    });
    page.on('pageerror', (err) => sweeping || pageProblems.push(`[${name}] page error on ${page.url()}: ${err.message}`));
    // Name the failing URL (the console message above does not).
    page.on('response', (res) => {
      if (sweeping) return;
      if (res.status() >= 400 && !expectedMissing.has(new URL(res.url()).pathname)) {
        pageProblems.push(`[${name}] ${res.status()} for ${res.request().method()} ${res.url()} (on ${page.url()})`);
      }
    });
  }

  return {
    /** The running server (set by `before`). */
    get server() {
      return server;
    },
    contexts,
    pageProblems,

    /** A fresh context (own cookies) with bounded timeouts and problem collection. */
    async newContext(name, options = {}) {
      const ctx = await browser.newContext({ baseURL: server.baseUrl, ...options });
      ctx.setDefaultTimeout(ACTION_TIMEOUT_MS);
      ctx.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      ctx.on('page', (page) => watchPage(name, page));
      contexts[name] = ctx;
      return ctx;
    },

    /** Sign up through the form; resolves once the home page is reached. */
    async signUp(page, user) {
      const res = await page.goto('/signup');
      assert.equal(res.status(), 200);
      await page.fill('#handle', user.handle);
      await page.fill('#name', user.name);
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await Promise.all([
        page.waitForURL(server.baseUrl + '/'),
        page.getByRole('button', { name: 'Create account' }).click(),
      ]);
    },

    /**
     * Shows again every page the steps visited, now in the pseudo-locale (each context keeps
     * its cookies, so signed-in pages stay signed in), and fails on text no message made.
     * `minPages`: how many pages at least must have been checked.
     */
    async assertAllTranslated(minPages = 3) {
      const seen = new Set();
      const problems = [];
      let checked = 0;
      sweeping = true;
      try {
        for (const { name, url } of visited) {
          const u = new URL(url);
          u.hash = '';
          const key = `${name} ${u.pathname}${u.search}`;
          if (seen.has(key) || !contexts[name]) continue;
          seen.add(key);
          const ctx = contexts[name];
          await ctx.addCookies([{ name: 'peerdesk_lang', value: 'en-XA', url: server.baseUrl }]);
          const page = await ctx.newPage();
          try {
            const res = await page.goto(u.toString());
            if (!res || res.status() !== 200) continue;
            // A signed-in user's saved language wins over the cookie: such pages are not en-XA.
            if ((await page.getAttribute('html', 'lang')) !== 'en-XA') continue;
            checked += 1;
            for (const p of await untranslatedText(page)) problems.push(`[${name}] ${u.pathname}${u.search}: ${p}`);
          } finally {
            await page.close();
            await ctx.clearCookies({ name: 'peerdesk_lang' });
          }
        }
      } finally {
        sweeping = false;
      }
      console.log(`pseudo-locale sweep: ${checked} pages checked, ${problems.length} problems`);
      assert.ok(checked >= minPages, `only ${checked} pages could be checked in the pseudo-locale`);
      assert.deepEqual(problems, [], `untranslated text (not in ⟦ ⟧, not [data-user]):\n${problems.join('\n')}`);
    },

    /** The final step of a file: nothing went wrong on any page along the way. */
    assertNoPageProblems() {
      assert.deepEqual(pageProblems, [], pageProblems.join('\n'));
    },
  };
}

/** The single page of a context, opened on first use. */
export async function pageOf(ctx) {
  return ctx.pages()[0] ?? ctx.newPage();
}

/** Sign in through the form and wait for the redirect to `next` (a path). */
export async function signIn(page, user, next) {
  await page.goto('/login?next=' + encodeURIComponent(next));
  await page.fill('#login', user.handle);
  await page.fill('#password', user.password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === next),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/**
 * Step guard: fail fast, with `message`, when an earlier step did not leave
 * `value` behind, instead of timing out further on. Returns `value`.
 */
export function requireStep(value, message) {
  assert.ok(value, message);
  return value;
}

/** Collects blocking axe failures (and lists minor/moderate ones as diagnostics). */
export function a11yChecker(t) {
  const failures = [];
  const check = (page, label) => checkA11y(page).then(
    (all) => all.forEach((v) => t.diagnostic(
      `axe ${v.impact} ${v.id} on ${label}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)),
    (err) => failures.push(`${label}: ${err.message}`),
  );
  return { check, failures };
}

/** Save a full-page screenshot as test-results/`name`. */
export async function saveScreenshot(page, name) {
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, name), fullPage: true });
}

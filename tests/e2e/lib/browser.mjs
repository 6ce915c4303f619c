// Headless Chromium (Debian's package, driven by playwright-core) and an axe-core check.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Launch headless Chromium. playwright-core downloads no browser: we use the system one. */
export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // --no-sandbox: tests run as root in CI, where Chromium's sandbox refuses to start.
    // The rest keeps Chromium from phoning home (there is no network here) or doing
    // background work that slows a 2-core machine.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
}

let axeSource = null;
function loadAxeSource() {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Run axe-core (WCAG 2 A and AA rules) on the page as it is now and throw if
 * any violation has impact "serious" or "critical".
 *
 * The server sends a strict nonce-based Content-Security-Policy, which blocks an
 * injected <script> tag. page.evaluate goes through the DevTools protocol, which
 * CSP does not govern, so axe loads without weakening the page's real CSP (a
 * context with bypassCSP would hide CSP mistakes the tests should catch).
 *
 * @param {import('playwright-core').Page} page
 * @param {object} [opts]
 * @param {string[]} [opts.disableRules] axe rule ids to skip (say why at the call site)
 * @param {string[]} [opts.exclude] CSS selectors to leave out of the check
 * @returns {Promise<object[]>} all violations (including minor/moderate ones that did not fail)
 */
export async function checkA11y(page, opts = {}) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) {
    await page.evaluate(loadAxeSource());
  }

  const results = await page.evaluate(async ({ disableRules, exclude }) => {
    const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
    const rules = Object.fromEntries(disableRules.map((id) => [id, { enabled: false }]));
    const r = await window.axe.run(context, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      rules,
      resultTypes: ['violations'],
    });
    // Return only plain data (axe results hold DOM references).
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
    }));
  }, { disableRules: opts.disableRules ?? [], exclude: opts.exclude ?? [] });

  const blocking = results.filter((v) => BLOCKING_IMPACTS.has(v.impact));
  if (blocking.length) {
    const lines = blocking.map((v) => {
      const nodes = v.nodes.map((n) => `    - ${JSON.stringify(n.target)} ${n.html}`).join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    });
    throw new Error(`accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
  }
  return results;
}

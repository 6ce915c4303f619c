// Smallest real browser test: the server starts, the home page renders and
// passes the accessibility check.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, checkA11y } from './lib/browser.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('home page renders and is accessible', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  try {
    const res = await page.goto(server.baseUrl + '/');
    assert.equal(res.status(), 200);
    assert.match(await page.title(), /Peerdesk/);
    await checkA11y(page);
  } finally {
    await page.close();
  }
});

// Start a real `peerdesk serve` on a free loopback port with its own throwaway
// SQLite database and search index, for browser tests to drive.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// tests/e2e/lib -> repo root
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const SETUP_URL_RE = /http:\/\/\S+\/setup\/\S+/;
// tracing may colour its output; colour codes would otherwise end up inside the URL.
const ANSI_RE = /\x1b\[[0-9;]*[A-Za-z]/g;

const READY_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
const STOP_GRACE_MS = 5_000;

/** Ask the kernel for a free port on 127.0.0.1 (bind to 0, read it back, release it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Posting rates far above what a journey does, per member and per address. */
function scriptedRates() {
  const env = {};
  for (const who of ['PER_USER', 'PER_IP']) {
    for (const action of ['QUESTIONS', 'ANSWERS', 'COMMENTS', 'VOTES', 'FLAGS']) {
      env[`PEERDESK_LIMITS__${who}__${action}`] = '["100000/minute"]';
    }
  }
  return env;
}

/** What members below level 3 may do (vote, flag, links, comment anywhere), from level 0. */
function everyPrivilege() {
  const env = {};
  for (const p of ['VOTE_UP', 'FLAG', 'LINKS', 'VOTE_DOWN', 'COMMENT_ANYWHERE', 'HIGHER_RATES']) {
    env[`PEERDESK_TRUST__PRIVILEGES__${p}`] = '0';
  }
  return env;
}

/** The binary under test: $PEERDESK_BIN (relative paths are taken from the repo root), else the debug build. */
export function peerdeskBin() {
  return path.resolve(REPO_ROOT, process.env.PEERDESK_BIN || 'target/debug/peerdesk');
}

/**
 * Start the server and wait until GET /healthz answers 200.
 *
 * @param {object} [opts]
 * @param {Record<string,string>} [opts.env] extra environment for the server (wins over the defaults)
 * @param {string} [opts.configToml] a peerdesk.toml for the server (e.g. sign-in providers)
 * @returns {Promise<{baseUrl: string, port: number, dataDir: string, setupUrl: () => string|null,
 *   waitForSetupUrl: (timeoutMs?: number) => Promise<string>, output: () => string, stop: () => Promise<void>}>}
 */
export async function startServer(opts = {}) {
  const bin = peerdeskBin();
  if (!existsSync(bin)) {
    throw new Error(`peerdesk binary not found at ${bin}: run \`cargo build --bin peerdesk\` or set PEERDESK_BIN`);
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'peerdesk-e2e-'));

  // Drop any PEERDESK_* from the outer environment (e.g. the Rust harness's
  // PEERDESK_TEST_POSTGRES_URL) so config comes only from what we set here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PEERDESK_')));
  Object.assign(env, {
    PEERDESK_SERVER__BIND: `127.0.0.1:${port}`,
    PEERDESK_SERVER__BASE_URL: baseUrl,
    PEERDESK_DATABASE__URL: `sqlite://${dataDir}/peerdesk.db`,
    PEERDESK_SEARCH__DIR: `${dataDir}/search-index`,
    // The journeys are shown again in the pseudo-locale to find untranslated text.
    PEERDESK_I18N__PSEUDO_LOCALE: 'true',
    // Journeys script their sign-ups and start with brand-new accounts: the moderation
    // journey turns the new-account rules back on.
    PEERDESK_MODERATION__SIGN_UP_MIN_SECONDS: '0',
    PEERDESK_MODERATION__DUPLICATE_MINUTES: '0',
    // Every journey's cast posts from 127.0.0.1, and some post dozens of answers in a row.
    ...scriptedRates(),
    // Brand-new accounts vote, flag, link and comment like level-2 members (the peer journey
    // sets its own).
    ...everyPrivilege(),
    // Badges and their notifications only in the peer journey (the bell counts elsewhere).
    PEERDESK_TRUST__BADGES: 'false',
    ...opts.env,
  });

  // Settings that env variables cannot express (lists of tables) come as a config file.
  const args = ['serve'];
  if (opts.configToml) {
    const file = path.join(dataDir, 'peerdesk.toml');
    await writeFile(file, opts.configToml);
    args.unshift('--config', file);
  }
  const child = spawn(bin, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });

  // Keep everything the server prints: tests read the setup link from it, and
  // it is what you want to see when a test fails.
  let out = '';
  let exited = null; // {code, signal, error?} once the process is gone (or never started)
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited ??= { code, signal }; resolve(exited); });
    // A failed spawn (e.g. not executable) emits 'error' and possibly no 'exit'.
    child.on('error', (error) => {
      if (child.pid === undefined) { exited ??= { code: null, signal: null, error }; resolve(exited); }
    });
  });

  // Never leave a server behind if the test process dies without calling stop().
  const killOnExit = () => { if (!exited) child.kill('SIGKILL'); };
  process.on('exit', killOnExit);

  const output = () => out.replace(ANSI_RE, '');
  const setupUrl = () => output().match(SETUP_URL_RE)?.[0] ?? null;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      child.kill('SIGTERM');
      const done = await Promise.race([exitPromise, sleep(STOP_GRACE_MS).then(() => null)]);
      if (!done) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    process.off('exit', killOnExit);
    await rm(dataDir, { recursive: true, force: true });
  };

  const waitForSetupUrl = async (timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const url = setupUrl();
      if (url) return url;
      if (exited || Date.now() > deadline) {
        throw new Error(`no setup link (${SETUP_URL_RE}) in server output:\n${output()}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  };

  // Bounded polling of /healthz.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = null;
  for (;;) {
    if (exited) {
      const log = output();
      await stop();
      if (exited.error) throw new Error(`could not start ${bin}: ${exited.error.message}`);
      throw new Error(`peerdesk exited early (code ${exited.code}, signal ${exited.signal}); output:\n${log}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
      lastError = new Error(`/healthz answered ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const log = output();
      await stop();
      throw new Error(`peerdesk not ready after ${READY_TIMEOUT_MS} ms (${lastError?.message}); output:\n${log}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }

  return { baseUrl, port, dataDir, setupUrl, waitForSetupUrl, output, stop };
}

// A real SMTP server for browser tests that need the emails the server sends: `startMailSink()`
// runs aiosmtpd (Debian's python3-aiosmtpd, which scripts/test installs) on a free loopback
// port, storing every message in a temporary Maildir; `messages()` reads them back parsed and
// `waitFor()` polls for one. The MIME parsing is by hand (as in tests/http/mail_sink.rs), just
// enough for what lettre sends: multipart/alternative of text/plain and text/html, each 7bit,
// 8bit, quoted-printable or base64, in UTF-8; subjects possibly RFC 2047 encoded.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { openSync, closeSync, readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './server.mjs';

const START_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 50;
const STOP_GRACE_MS = 3_000;

let python = null;
/**
 * The first Python that can import aiosmtpd: `python3` on PATH may be a pyenv or venv build
 * that doesn't see Debian's package in /usr/lib/python3/dist-packages.
 */
function aiosmtpdPython() {
  python ??= ['python3', '/usr/bin/python3'].find(
    (p) => spawnSync(p, ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status === 0,
  ) ?? null;
  if (!python) {
    throw new Error('no python3 can import aiosmtpd: apt-get install python3-aiosmtpd (scripts/test does)');
  }
  return python;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(200, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Start aiosmtpd; resolves once it accepts connections.
 *
 * @returns {Promise<{port: number, host: string, dir: string, messages: () => Mail[],
 *   waitFor: (predicate?: (m: Mail) => boolean, timeoutMs?: number) => Promise<Mail>,
 *   stop: () => Promise<void>, log: () => string}>} `log`: what aiosmtpd printed
 */
export async function startMailSink() {
  const py = aiosmtpdPython();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'peerdesk-mail-'));
  const maildir = path.join(dir, 'Maildir');
  const logFile = path.join(dir, 'aiosmtpd.log');
  const port = await freePort();

  // aiosmtpd's output goes to a file, shown if it fails to start.
  const logFd = openSync(logFile, 'w');
  // -n: don't try to setuid to `nobody` (it would when run as root).
  const child = spawn(py, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const log = () => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } };

  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited ??= { code, signal }; resolve(exited); });
    child.on('error', (error) => { exited ??= { code: null, signal: null, error }; resolve(exited); });
  });
  // Never leave the sink behind if the test process dies without calling stop().
  const killOnExit = () => { if (!exited) child.kill('SIGKILL'); };
  process.on('exit', killOnExit);

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
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (await canConnect(port)) break;
    if (exited) {
      const out = log();
      await stop();
      throw new Error(`aiosmtpd exited (${exited.error?.message ?? `code ${exited.code}, signal ${exited.signal}`}) before listening on 127.0.0.1:${port}; its output:\n${out}`);
    }
    if (Date.now() > deadline) {
      const out = log();
      await stop();
      throw new Error(`aiosmtpd did not accept connections on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms; its output:\n${out}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }

  /** Every message received so far, oldest first. */
  const messages = () => {
    const files = [];
    // Delivered messages are in new/ (cur/ once "read"); tmp/ holds half-written ones.
    for (const sub of ['new', 'cur']) {
      let names;
      try { names = readdirSync(path.join(maildir, sub)); } catch { continue; }
      for (const name of names) {
        const file = path.join(maildir, sub, name);
        try { files.push({ file, name, mtime: statSync(file).mtimeMs }); } catch { /* moved meanwhile */ }
      }
    }
    files.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
    return files.map(({ file }) => parseMail(readFileSync(file)));
  };

  /**
   * Polls until a message matching `predicate` has arrived and resolves to the first such
   * message; rejects after `timeoutMs`, listing what did arrive.
   */
  const waitFor = async (predicate = () => true, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const all = messages();
      const found = all.find((m) => predicate(m));
      if (found) return found;
      if (Date.now() > end) {
        const received = all.map((m) => `  to ${m.to().join(', ')}: ${JSON.stringify(m.subject)}`).join('\n');
        throw new Error(`no matching email within ${timeoutMs} ms; ${all.length} received:\n${received}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  };

  return { port, host: '127.0.0.1', dir, messages, waitFor, stop, log };
}

/**
 * One received email.
 * @typedef {object} Mail
 * @property {[string, string][]} headers in order, folded lines unfolded, values not decoded;
 *   aiosmtpd adds X-MailFrom, X-RcptTo (the SMTP envelope) and X-Peer
 * @property {(name: string) => string|null} header the first header called `name` (any case)
 * @property {string} subject the decoded Subject ("" if none)
 * @property {() => string[]} to the envelope recipients (X-RcptTo), else the To header's addresses
 * @property {string} text the decoded text/plain part ("" if none), `\n` line ends
 * @property {string} html the decoded text/html part ("" if none), `\n` line ends
 * @property {() => string[]} links every http(s) URL in the text part, in order
 * @property {string} raw the message as stored
 */

/** Parse a stored message (Buffer or string). */
export function parseMail(bytes) {
  const raw = Buffer.isBuffer(bytes) ? bytes.toString('latin1') : bytes;
  // aiosmtpd's Maildir stores `\n` line ends; accept CRLF too. Headers and QP/base64 bodies are
  // ASCII; an 8bit body is decoded as UTF-8 from these latin1 "bytes" below.
  const unix = raw.replace(/\r\n/g, '\n');
  const { headers, body } = splitHeaders(unix);
  const parts = { text: null, html: null };
  collectParts(headers, body, parts);
  const header = (name) => findHeader(headers, name);
  return {
    headers,
    header,
    subject: decodeRfc2047(header('Subject') ?? ''),
    to: () => addresses(header('X-RcptTo') ?? header('To') ?? ''),
    text: parts.text ?? '',
    html: parts.html ?? '',
    links: () => links(parts.text ?? ''),
    raw: Buffer.from(raw, 'latin1').toString('utf8'),
  };
}

function findHeader(headers, name) {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
}

/** Splits a message or MIME part (with `\n` line ends) into its headers and body. */
function splitHeaders(s) {
  let head;
  let body;
  if (s.startsWith('\n')) {
    head = '';
    body = s.slice(1);
  } else {
    const at = s.indexOf('\n\n');
    head = at < 0 ? s : s.slice(0, at);
    body = at < 0 ? '' : s.slice(at + 2);
  }
  const headers = [];
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line)) {
      // A folded header goes on with leading whitespace; unfolding just drops the line break.
      if (headers.length) headers[headers.length - 1][1] += line;
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1)]);
    }
  }
  // Headers are ASCII (lettre encodes the rest); should raw UTF-8 come anyway, it reads right.
  for (const h of headers) h[1] = Buffer.from(h[1].trim(), 'latin1').toString('utf8');
  return { headers, body };
}

/** A parameter of a header value such as `multipart/alternative; boundary="abc"`. */
function param(value, name) {
  for (const p of value.split(';').slice(1)) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === name) return p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return null;
}

/** Fills `parts.text` / `parts.html` from the first text/plain and text/html parts. */
function collectParts(headers, body, parts) {
  const contentType = findHeader(headers, 'Content-Type') ?? 'text/plain';
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (mime.startsWith('multipart/')) {
    const boundary = param(contentType, 'boundary');
    if (!boundary) throw new Error(`multipart without a boundary: ${contentType}`);
    for (const part of splitMultipart(body, boundary)) {
      const p = splitHeaders(part);
      collectParts(p.headers, p.body, parts);
    }
    return;
  }
  const key = { 'text/plain': 'text', 'text/html': 'html' }[mime];
  if (key && parts[key] === null) {
    parts[key] = decodeBody(findHeader(headers, 'Content-Transfer-Encoding'), body);
  }
}

/** The parts of a multipart body; the preamble and epilogue are dropped. */
function splitMultipart(body, boundary) {
  const delimiter = `--${boundary}`;
  const close = `--${boundary}--`;
  const parts = [];
  let current = null; // null while in the preamble
  for (const line of body.split('\n')) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === close) {
      // The line break before a delimiter belongs to it, so joining with "\n" is exact.
      if (current) parts.push(current.join('\n'));
      if (trimmed === close) return parts;
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

/** `body` holds bytes as latin1 characters; the result is UTF-8 text with `\n` line ends. */
function decodeBody(transferEncoding, body) {
  const encoding = (transferEncoding ?? '7bit').trim().toLowerCase();
  let bytes;
  if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  // 7bit, 8bit and binary bodies are the text itself.
  else bytes = Buffer.from(body, 'latin1');
  return bytes.toString('utf8').replace(/\r\n/g, '\n');
}

function decodeQuotedPrintable(body) {
  const out = [];
  const lines = body.split('\n');
  lines.forEach((line, i) => {
    // Encoders must encode trailing whitespace, so any left was added in transit.
    let l = line.replace(/[ \t]+$/, '');
    // A trailing `=` is a soft line break: the line goes on without one.
    const soft = l.endsWith('=');
    if (soft) l = l.slice(0, -1);
    decodeHexEscapes(l, false, out);
    if (!soft && i < lines.length - 1) out.push(0x0a);
  });
  return Buffer.from(out);
}

/** Decodes `=XX` escapes (and `_` as a space in RFC 2047 "Q" words); a stray `=` stays as is. */
function decodeHexEscapes(s, underscoreIsSpace, out) {
  for (let i = 0; i < s.length;) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 3;
    } else {
      out.push(underscoreIsSpace && s[i] === '_' ? 0x20 : s.charCodeAt(i) & 0xff);
      i += 1;
    }
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded-words (`=?utf-8?b?...?=`, `=?utf-8?q?...?=`) in a header value. The
 * charset is taken to be UTF-8 (or ASCII), which is all lettre writes. Adjacent words are
 * decoded together: a character's bytes may be split between two of them.
 */
export function decodeRfc2047(value) {
  let out = '';
  let run = []; // bytes of a run of adjacent encoded-words
  let plainFrom = 0;
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(plainFrom, m.index);
    // Whitespace between two encoded-words is folding, not text (RFC 2047 section 6.2).
    if (!run.length || between.trim() !== '') {
      out += Buffer.from(run).toString('utf8') + between;
      run = [];
    }
    const [, , encoding, text] = m;
    if (encoding.toLowerCase() === 'b') run.push(...Buffer.from(text, 'base64'));
    else decodeHexEscapes(text, true, run);
    plainFrom = m.index + m[0].length;
  }
  return out + Buffer.from(run).toString('utf8') + value.slice(plainFrom);
}

/** The bare addresses in an address list such as `"Doe, Jane" <jane@example.com>, bob@example.com`. */
function addresses(list) {
  const out = [];
  let inQuotes = false;
  let start = 0;
  // A comma appended at the end closes the last address.
  const s = `${list},`;
  for (let i = 0; i < s.length; i += 1) {
    if (s[i] === '"') inQuotes = !inQuotes;
    else if (s[i] === ',' && !inQuotes) {
      const one = s.slice(start, i).trim();
      const open = one.lastIndexOf('<');
      const close = one.lastIndexOf('>');
      const address = (open >= 0 && open < close ? one.slice(open + 1, close) : one).trim();
      if (address) out.push(address);
      start = i + 1;
    }
  }
  return out;
}

/** Every http:// or https:// URL in `text`, in order. */
function links(text) {
  const out = [];
  for (const word of text.split(/[\s<>"]+/)) {
    const start = word.search(/https?:\/\//);
    if (start < 0) continue;
    // Sentence punctuation and closing brackets after a URL aren't part of it.
    out.push(word.slice(start).replace(/[.,;:!?)\]']+$/, ''));
  }
  return out;
}

// Real OAuth2 / OpenID Connect servers for the tests (npm `oauth2-mock-server`), on loopback:
//
//   oidc    a standard OpenID Connect provider (discovery, JWKS, ID tokens with nonce, PKCE)
//   github  the same server playing a GitHub-style provider: OAuth2 plus a user API
//           (`/userinfo` answers like GitHub's `/user`), no ID token used
//   slow    a TCP port that accepts connections and never answers (timeouts)
//
// Who signs in is chosen by the `login_hint` the app passes through (default "alice"):
// `<name>` -> subject "<name>-sub", email <name>@example.org (verified), username <name>;
// a hint starting with "corp-" gets an @corp.example address; one containing "lead" is in the
// group "support-leads"; "unverified" makes email_verified false; "noemail" shares no email.
// The client id picks how the ID token goes wrong: "wrong-audience", "expired", "bad-signature"
// (anything else: a correct token).
//
// Run: node lib/oauth-provider.mjs  -> prints one JSON line {"oidc","github","slow"} and runs
// until killed. Also importable: `startProviders()`.

import net from 'node:net';
import { OAuth2Server } from 'oauth2-mock-server';

function person(hint) {
  const name = (hint || 'alice').replace(/[^a-z0-9-]/gi, '').slice(0, 40) || 'alice';
  const domain = name.startsWith('corp-') ? 'corp.example' : 'example.org';
  const p = {
    sub: `${name}-sub`,
    name: `${name[0].toUpperCase()}${name.slice(1)} Example`,
    preferred_username: name,
    email: `${name}@${domain}`,
    email_verified: !name.includes('unverified'),
    groups: name.includes('lead') ? ['support-leads'] : [],
  };
  if (name.includes('noemail')) {
    delete p.email;
    delete p.email_verified;
  }
  return p;
}

/** Remembers which login_hint each authorization code was issued for. */
function trackHints(server) {
  const hints = new Map();
  server.service.on('beforeAuthorizeRedirect', (redirect, req) => {
    const code = redirect.url.searchParams.get('code');
    const hint = new URL(req.url, 'http://localhost').searchParams.get('login_hint');
    if (code) hints.set(code, hint || 'alice');
  });
  return hints;
}

function clientIdOf(req) {
  const auth = req.headers?.authorization || '';
  if (auth.startsWith('Basic ')) {
    return decodeURIComponent(Buffer.from(auth.slice(6), 'base64').toString().split(':')[0]);
  }
  return req.body?.client_id || '';
}

async function startOidc() {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  const hints = trackHints(server);
  server.service.on('beforeTokenSigning', (token, req) => {
    const p = person(hints.get(req.body?.code));
    Object.assign(token.payload, p);
    const client = clientIdOf(req);
    if (client === 'wrong-audience') token.payload.aud = 'someone-else';
    if (client === 'expired') {
      token.payload.iat -= 7200;
      token.payload.nbf -= 7200;
      token.payload.exp = Math.floor(Date.now() / 1000) - 3600;
    }
  });
  server.service.on('beforeResponse', (response, req) => {
    if (clientIdOf(req) === 'bad-signature' && response.body.id_token) {
      const [h, b, s] = response.body.id_token.split('.');
      const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      response.body.id_token = [h, b, flipped].join('.');
    }
  });
  await server.start(0, '127.0.0.1');
  // "localhost" may resolve to ::1 first; the server listens on 127.0.0.1 only.
  server.issuer.url = `http://127.0.0.1:${server.address().port}`;
  return server;
}

async function startGithub() {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  const hints = trackHints(server);
  server.service.on('beforeTokenSigning', (token, req) => {
    // The access token carries who it is for, so the user API can answer for that person.
    if (req.body?.code) token.payload.hint = hints.get(req.body.code) || 'alice';
  });
  server.service.on('beforeUserinfo', (response, req) => {
    const bearer = (req.headers.authorization || '').replace(/^Bearer /, '');
    let hint = 'alice';
    try {
      hint = JSON.parse(Buffer.from(bearer.split('.')[1], 'base64url').toString()).hint || hint;
    } catch {
      response.statusCode = 401;
      response.body = { message: 'Bad credentials' };
      return;
    }
    const p = person(hint);
    // GitHub's /user: a numeric id, the login, and the public (verified) email or null.
    response.body = {
      id: 1000 + [...p.sub].reduce((a, c) => (a * 31 + c.charCodeAt(0)) % 100000, 7),
      login: p.preferred_username,
      name: p.name,
      email: p.email && p.email_verified ? p.email : null,
    };
  });
  await server.start(0, '127.0.0.1');
  server.issuer.url = `http://127.0.0.1:${server.address().port}`;
  return server;
}

/** A port that accepts connections and never answers. */
async function startSlow() {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, sockets, url: `http://127.0.0.1:${server.address().port}` };
}

export async function startProviders() {
  const oidc = await startOidc();
  const github = await startGithub();
  const slow = await startSlow();
  return {
    urls: { oidc: oidc.issuer.url, github: github.issuer.url, slow: slow.url },
    async stop() {
      for (const s of slow.sockets) s.destroy();
      slow.server.close();
      await oidc.stop();
      await github.stop();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const providers = await startProviders();
  process.stdout.write(JSON.stringify(providers.urls) + '\n');
  const stop = async () => {
    await providers.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started by a test process: end with it (its end of our stdin closes).
  process.stdin.on('end', stop);
  process.stdin.resume();
}

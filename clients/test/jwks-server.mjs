// A stand-in for an app's auth provider, made with node:crypto only: a JWKS endpoint on
// 127.0.0.1 (port 0) publishing an RS256 and an ES256 key, and a JWT signer for those keys.
// `rotate()` replaces both keys (new kids), as a provider rotating its signing keys would.
import http from 'node:http';
import crypto from 'node:crypto';
import { apiOk } from './helpers.mjs';

function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

function newKeys() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    RS256: { kid: `rs-${crypto.randomUUID()}`, ...rsa },
    ES256: { kid: `es-${crypto.randomUUID()}`, ...ec },
  };
}

/**
 * Signs a JWT. `alg` RS256 or ES256 uses the given key pair; `header` fields override the defaults
 * (alg, typ, kid), so a test can lie about the kid.
 */
export function signJwt(payload, { alg, key, header = {} }) {
  const head = b64url({ alg, typ: 'JWT', kid: key.kid, ...header });
  const body = b64url(payload);
  const input = Buffer.from(`${head}.${body}`);
  const signature = alg === 'ES256'
    ? crypto.sign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
    : crypto.sign('sha256', input, key.privateKey);
  return `${head}.${body}.${signature.toString('base64url')}`;
}

/** `alg: none`, no signature. */
export function unsignedJwt(payload) {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

/** HS256 with `secret` (e.g. the text of a public key: the classic algorithm-confusion forgery). */
export function hs256Jwt(payload, secret, kid) {
  const head = b64url({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) });
  const body = b64url(payload);
  const mac = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}

/** Replaces the payload of a signed JWT, keeping its header and signature. */
export function tamper(jwt, payload) {
  const [head, , signature] = jwt.split('.');
  return `${head}.${b64url(payload)}.${signature}`;
}

export class JwksServer {
  static ISSUER = 'https://auth.mandate-tests.example';
  static AUDIENCE = 'mandate-client-suites';

  #server;
  #keys = newKeys();
  /** How many times the JWKS was fetched. */
  fetches = 0;

  static async start() {
    const jwks = new JwksServer();
    jwks.#server = http.createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/jwks.json') {
        jwks.fetches++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(jwks.jwks()));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise((resolve) => jwks.#server.listen(0, '127.0.0.1', resolve));
    return jwks;
  }

  get url() {
    return `http://127.0.0.1:${this.#server.address().port}/jwks.json`;
  }

  /** The published key set (public halves only). */
  jwks() {
    return {
      keys: Object.entries(this.#keys).map(([alg, k]) => ({
        ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg, use: 'sig',
      })),
    };
  }

  /** The current key for an algorithm: {kid, publicKey, privateKey}. */
  key(alg = 'RS256') {
    return this.#keys[alg];
  }

  /** Publishes new keys in place of the old ones. */
  rotate() {
    this.#keys = newKeys();
  }

  /** Standard claims for `sub`, valid now for 10 minutes; `claims` override or add. */
  claims(sub, claims = {}) {
    const now = Math.floor(Date.now() / 1000);
    return { sub, iss: JwksServer.ISSUER, aud: JwksServer.AUDIENCE, iat: now, nbf: now - 5, exp: now + 600, ...claims };
  }

  /** A valid token for `sub` signed with the current key of `alg`. */
  token(sub, { alg = 'RS256', claims = {}, header = {} } = {}) {
    return signJwt(this.claims(sub, claims), { alg, key: this.key(alg), header });
  }

  /** Points the app's JWT settings at this server (issuer and audience enforced). Returns the settings. */
  async configure(extra = {}) {
    return apiOk('PUT', '/v1/jwt_settings', {
      jwks_url: this.url, issuer: JwksServer.ISSUER, audience: JwksServer.AUDIENCE, ...extra,
    });
  }

  close() {
    this.#server.closeAllConnections?.();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

// Shared helpers for the client suites: configuration, raw HTTP, P-256 authorization keys.
import crypto from 'node:crypto';

const DEFAULT_URL = 'http://127.0.0.1:8080';

/** Base URL of the Mandate server, without a trailing slash (the Privy SDKs sign `${base}/v1/...`). */
export const MANDATE_URL = (process.env.MANDATE_URL || DEFAULT_URL).replace(/\/+$/, '');
export const APP_ID = process.env.MANDATE_APP_ID || '';
export const APP_SECRET = process.env.MANDATE_APP_SECRET || '';

if (!APP_ID || !APP_SECRET) {
  throw new Error('Set MANDATE_APP_ID and MANDATE_APP_SECRET (and MANDATE_URL, default ' + DEFAULT_URL + ')');
}

export function basicAuth(appId = APP_ID, appSecret = APP_SECRET) {
  return 'Basic ' + Buffer.from(`${appId}:${appSecret}`).toString('base64');
}

/**
 * Raw request with app credentials. `body` is an object (JSON-encoded) or a string (sent as is).
 * Returns {status, headers, text, json} (json is null when the body is not JSON).
 */
export async function api(method, path, body, headers = {}) {
  const all = {
    authorization: basicAuth(),
    'privy-app-id': APP_ID,
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...headers,
  };
  const response = await fetch(MANDATE_URL + path, {
    method,
    headers: all,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Like api() but throws unless the status is 2xx; returns the parsed body. */
export async function apiOk(method, path, body, headers = {}) {
  const r = await api(method, path, body, headers);
  if (r.status < 200 || r.status > 299) {
    throw new Error(`${method} ${path} -> ${r.status} ${r.text}`);
  }
  return r.json;
}

/** A fresh P-256 key pair as Privy wants it: base64 SPKI DER public key, base64 PKCS#8 DER private key. */
export function generateP256() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
  };
}

/** RFC 8785 canonical JSON (enough for request bodies: objects, arrays, strings, finite numbers, bools, null). */
export function canonicalize(value) {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return '[' + value.map((v) => canonicalize(v === undefined ? null : v)).join(',') + ']';
  }
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalize(value[k])).join(',') + '}';
}

/**
 * A Privy authorization signature made with node:crypto (independent of the SDKs): ECDSA P-256 /
 * SHA-256 over the canonical payload, DER, base64. `headers` are the privy-* headers sent
 * (privy-app-id is added).
 */
export function authorizationSignature(privateKeyPkcs8, { method, path, body, headers = {} }) {
  const payload = {
    version: 1,
    method,
    url: MANDATE_URL + path,
    body: body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0) ? '' : body,
    headers: { 'privy-app-id': APP_ID, ...headers },
  };
  const key = crypto.createPrivateKey({ key: Buffer.from(privateKeyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  return crypto.sign('sha256', Buffer.from(canonicalize(payload), 'utf8'), key).toString('base64');
}

/** Sends a request signed by the given PKCS#8 keys; `privyHeaders` (expiry, idempotency) are signed and sent. */
export async function signedApi(method, path, body, keys, privyHeaders = {}) {
  const signatures = keys.map((k) => authorizationSignature(k, { method, path, body, headers: privyHeaders }));
  return api(method, path, body, { ...privyHeaders, 'privy-authorization-signature': signatures.join(',') });
}

/** Asserts a Privy-style error body. */
export function isErrorBody(json) {
  return json !== null && typeof json === 'object' && typeof json.error === 'string' && json.error.length > 0
    && typeof json.code === 'string' && json.code.length > 0;
}

export function randomId(prefix = 'k') {
  return `${prefix}-${crypto.randomUUID()}`;
}

export function hex(bytes) {
  return '0x' + Buffer.from(bytes).toString('hex');
}

// User JWTs as authorization: the app's auth provider is a loopback JWKS server (jwks-server.mjs),
// the app points Mandate at it (PUT /v1/jwt_settings), and Privy's own SDKs turn a user's JWT into a
// session key themselves (@privy-io/node: authorization_context.user_jwts, HPKE exchange over
// POST /v1/wallets/authenticate; @privy-io/server-auth: walletApi.generateUserSigner over
// /api/v1/user_signers/authenticate). Every wallet signature is checked with ethers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as ethers from 'ethers';
import { PrivyClient, APIError } from '@privy-io/node';
import { PrivyClient as ServerAuthClient } from '@privy-io/server-auth';
import { MANDATE_URL, APP_ID, APP_SECRET, api, generateP256, randomId } from './helpers.mjs';
import { JwksServer, tamper } from './jwks-server.mjs';

const DEAD = '0x000000000000000000000000000000000000dEaD';
const TX = { type: 2, chain_id: 8453, to: DEAD, nonce: 1, value: '0x1', gas_limit: 21000, max_fee_per_gas: '0x3b9aca00', max_priority_fee_per_gas: 1 };

async function rejectsWith(status, promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof APIError, `expected an APIError, got ${e}`);
    assert.equal(e.status, status, `expected ${status}, got ${e.status}: ${e.message}`);
    if (code) {
      assert.equal(e.error?.code, code, JSON.stringify(e.error));
    }
    return e;
  }
  assert.fail(`expected a ${status} error, but the call succeeded`);
}

const asUser = (...jwts) => ({ authorization_context: { user_jwts: jwts } });
const keys = (...privateKeys) => ({ authorization_context: { authorization_private_keys: privateKeys } });

/** A node SDK client that records each request and the JSON of each /authenticate response. */
function client() {
  const sent = [];
  const exchanges = [];
  const recordingFetch = async (url, init) => {
    sent.push({ url: String(url), method: init?.method, headers: new Headers(init?.headers), body: init?.body });
    const response = await fetch(url, init);
    if (String(url).endsWith('/v1/wallets/authenticate')) {
      exchanges.push({ status: response.status, request: JSON.parse(init.body), body: await response.clone().json() });
    }
    return response;
  };
  return { privy: new PrivyClient({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: MANDATE_URL, fetch: recordingFetch }), sent, exchanges };
}

describe('user JWTs through the Privy SDKs (JWKS on a loopback server)', () => {
  const { privy, sent, exchanges } = client();
  const eth = () => privy.wallets().ethereum();
  const sub = randomId('jwt-user');
  let jwks;
  let jwt;
  let user;
  let wallet;

  before(async () => {
    jwks = await JwksServer.start();
    const settings = await jwks.configure();
    assert.equal(settings.jwks_url, jwks.url);
    jwt = jwks.token(sub);
    user = await privy.users().create({ linked_accounts: [{ type: 'custom_auth', custom_user_id: sub }] });
    wallet = await privy.wallets().create({ chain_type: 'ethereum', owner: { user_id: user.id } });
  });

  after(() => jwks?.close());

  it('GET /v1/jwt_settings returns what was stored', async () => {
    const r = await api('GET', '/v1/jwt_settings');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.jwks_url, jwks.url);
    assert.equal(r.json.issuer, JwksServer.ISSUER);
    assert.equal(r.json.audience, JwksServer.AUDIENCE);
    assert.deepEqual([...r.json.allowed_algorithms].sort(), ['ES256', 'RS256']);
  });

  it('signMessage with user_jwts: the SDK exchanges the JWT over HPKE, then signs with the session key', async () => {
    const { signature } = await eth().signMessage(wallet.id, { message: 'signed by the user', ...asUser(jwt) });
    assert.equal(ethers.verifyMessage('signed by the user', signature), wallet.address);

    assert.equal(exchanges.length, 1);
    const [exchange] = exchanges;
    assert.equal(exchange.status, 200, JSON.stringify(exchange.body));
    assert.equal(exchange.request.user_jwt, jwt);
    assert.equal(exchange.request.encryption_type, 'HPKE');
    const key = exchange.body.encrypted_authorization_key;
    assert.equal(key.encryption_type, 'HPKE');
    assert.equal(Buffer.from(key.encapsulated_key, 'base64').length, 65, 'uncompressed P-256 point');
    assert.ok(Buffer.from(key.ciphertext, 'base64').length > 100);
    const ttl = exchange.body.expires_at - Date.now();
    assert.ok(ttl > 60_000 && ttl <= 15 * 60_000 + 5_000, `expires_at is ms, ~15 min ahead (ttl ${ttl} ms)`);
    assert.deepEqual(exchange.body.wallets.map((w) => w.id), [wallet.id]);
    assert.equal(exchange.body.wallets[0].owner_id, wallet.owner_id);

    const rpc = sent[sent.length - 1];
    assert.match(rpc.url, new RegExp(`/v1/wallets/${wallet.id}/rpc$`));
    assert.ok(rpc.headers.get('privy-authorization-signature')?.length > 0);
  });

  it('signTransaction with the same JWT (the SDK reuses its cached session key)', async () => {
    const { signed_transaction: signed } = await eth().signTransaction(wallet.id, { params: { transaction: TX }, ...asUser(jwt) });
    const tx = ethers.Transaction.from(signed);
    assert.equal(tx.from, wallet.address);
    assert.equal(tx.chainId, 8453n);
    assert.equal(exchanges.length, 1, 'no second exchange: the session key is reusable');
  });

  it('an ES256 token for the same user works too', async () => {
    const es = jwks.token(sub, { alg: 'ES256' });
    const { signature } = await eth().signMessage(wallet.id, { message: 'es256', ...asUser(es) });
    assert.equal(ethers.verifyMessage('es256', signature), wallet.address);
  });

  it('the user updates display_name and additional_signers; the added signer can sign, then is removed', async () => {
    const renamed = await privy.wallets().update(wallet.id, { display_name: 'user wallet', ...asUser(jwt) });
    assert.equal(renamed.display_name, 'user wallet');
    assert.equal((await privy.wallets().get(wallet.id)).display_name, 'user wallet');

    const appKey = generateP256();
    const signer = await privy.keyQuorums().create({ public_keys: [appKey.publicKey], authorization_threshold: 1 });
    await rejectsWith(401, privy.wallets().update(wallet.id, { additional_signers: [{ signer_id: signer.id }] }));
    const updated = await privy.wallets().update(wallet.id, { additional_signers: [{ signer_id: signer.id }], ...asUser(jwt) });
    assert.deepEqual(updated.additional_signers.map((s) => s.signer_id), [signer.id]);
    const { signature } = await eth().signMessage(wallet.id, { message: 'app signer', ...keys(appKey.privateKey) });
    assert.equal(ethers.verifyMessage('app signer', signature), wallet.address);
    assert.equal((await privy.users()._get(user.id)).linked_accounts.find((a) => a.id === wallet.id)?.delegated, true);

    await privy.wallets().update(wallet.id, { additional_signers: [], ...asUser(jwt) });
    await rejectsWith(401, eth().signMessage(wallet.id, { message: 'removed', ...keys(appKey.privateKey) }));
  });

  it('without the user\'s key the wallet is refused: app secret alone, a stranger key', async () => {
    await rejectsWith(401, eth().signMessage(wallet.id, { message: 'app only' }));
    await rejectsWith(401, eth().signMessage(wallet.id, { message: 'stranger', ...keys(generateP256().privateKey) }));
    await rejectsWith(401, privy.wallets().update(wallet.id, { display_name: 'hijack', ...keys(generateP256().privateKey) }));
  });

  it('bad tokens are refused at the exchange with 401 invalid_user_jwt', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      jwks.token(sub, { claims: { exp: now - 3600 } }),
      jwks.token(sub, { claims: { aud: 'someone-else' } }),
      jwks.token(sub, { claims: { iss: 'https://evil.example' } }),
      tamper(jwt, jwks.claims(randomId('other'))),
    ];
    for (const token of bad) {
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'bad token', ...asUser(token) }), 'invalid_user_jwt');
    }
    assert.equal((await privy.wallets().get(wallet.id)).display_name, 'user wallet');
  });

  it('a new sub becomes a user on first use; its JWT cannot act on another user\'s wallet', async () => {
    const newSub = randomId('first-use');
    const newJwt = jwks.token(newSub);
    const r = await api('POST', '/v1/signer/authenticate', undefined, { authorization: `Bearer ${newJwt}` });
    assert.equal(r.status, 200, r.text);
    const created = await privy.users()._get(r.json.user_id);
    assert.equal(created.linked_accounts.find((a) => a.type === 'custom_auth')?.custom_user_id, newSub);
    const account = created.linked_accounts.find((a) => a.type === 'wallet');
    assert.equal(account?.id, r.json.wallet_id);
    const own = await privy.wallets().get(r.json.wallet_id);
    // The new user's own wallet signs with its JWT ...
    const { signature } = await eth().signMessage(own.id, { message: 'mine', ...asUser(newJwt) });
    assert.equal(ethers.verifyMessage('mine', signature), own.address);
    // ... but not the first user's.
    await rejectsWith(401, eth().signMessage(wallet.id, { message: 'not mine', ...asUser(newJwt) }));
    await rejectsWith(401, privy.wallets().update(wallet.id, { display_name: 'not mine', ...asUser(newJwt) }));
  });

  it('@privy-io/server-auth: generateUserSigner (/api/v1/user_signers/authenticate), then sign and update with the key', async () => {
    const base = new ServerAuthClient(APP_ID, APP_SECRET, { apiURL: MANDATE_URL, walletApi: { apiURL: MANDATE_URL } });
    const { authorizationKey, expiresAt, wallets } = await base.walletApi.generateUserSigner({ userJwt: jwks.token(sub) });
    assert.ok(expiresAt instanceof Date && expiresAt.getTime() > Date.now() + 60_000, `expiresAt ${expiresAt}`);
    assert.deepEqual(wallets.map((w) => w.id), [wallet.id]);
    assert.equal(wallets[0].address, wallet.address);

    const asTheUser = new ServerAuthClient(APP_ID, APP_SECRET, { apiURL: MANDATE_URL, walletApi: { apiURL: MANDATE_URL } });
    asTheUser.walletApi.updateAuthorizationKey(authorizationKey);
    const { signature } = await asTheUser.walletApi.ethereum.signMessage({ walletId: wallet.id, message: 'server-auth user signer' });
    assert.equal(ethers.verifyMessage('server-auth user signer', signature), wallet.address);
    const appKey = generateP256();
    const signer = await privy.keyQuorums().create({ public_keys: [appKey.publicKey], authorization_threshold: 1 });
    const updated = await asTheUser.walletApi.updateWallet({ id: wallet.id, additionalSigners: [{ signerId: signer.id }] });
    assert.deepEqual(updated.additionalSigners.map((s) => s.signerId), [signer.id]);
    await privy.wallets().update(wallet.id, { additional_signers: [], ...asUser(jwt) });

    await assert.rejects(base.walletApi.generateUserSigner({ userJwt: jwks.token(sub, { claims: { aud: 'nope' } }) }),
      (e) => e.status === 401);
  });

  it('key rotation: after the JWKS switches to new keys, a token signed by a new key works and old-key tokens stop', async () => {
    const oldToken = jwks.token(sub); // signed by the old key, never used yet
    const fetchesBefore = jwks.fetches;
    jwks.rotate();
    const rotated = jwks.token(sub);
    assert.notEqual(JSON.parse(Buffer.from(rotated.split('.')[0], 'base64url')).kid,
      JSON.parse(Buffer.from(oldToken.split('.')[0], 'base64url')).kid);
    const { signature } = await eth().signMessage(wallet.id, { message: 'after rotation', ...asUser(rotated) });
    assert.equal(ethers.verifyMessage('after rotation', signature), wallet.address);
    assert.ok(jwks.fetches > fetchesBefore, 'Mandate refetched the JWKS for the unknown kid');
    const es = jwks.token(sub, { alg: 'ES256' });
    const again = await eth().signMessage(wallet.id, { message: 'rotated es256', ...asUser(es) });
    assert.equal(ethers.verifyMessage('rotated es256', again.signature), wallet.address);

    const stale = await api('POST', '/v1/wallets/authenticate', {
      user_jwt: oldToken, encryption_type: 'HPKE', recipient_public_key: generateP256().publicKey,
    });
    assert.equal(stale.status, 401, stale.text);
    assert.equal(stale.json.code, 'invalid_user_jwt');
  });
});

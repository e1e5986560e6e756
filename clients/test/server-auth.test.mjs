// The real @privy-io/server-auth SDK (deprecated but widely used) pointed at Mandate through both
// of its base URLs; it talks to /api/v1/... and signs with `walletApi.authorizationPrivateKey`.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as ethers from 'ethers';
import { PrivyClient } from '@privy-io/server-auth';
import { MANDATE_URL, APP_ID, APP_SECRET, apiOk, generateP256, randomId } from './helpers.mjs';

const DEAD = '0x000000000000000000000000000000000000dEaD';

function client(authKey) {
  return new PrivyClient(APP_ID, APP_SECRET, {
    apiURL: MANDATE_URL,
    walletApi: { apiURL: MANDATE_URL, ...(authKey ? { authorizationPrivateKey: 'wallet-auth:' + authKey.privateKey } : {}) },
  });
}

/** Awaits a call that must fail with server-auth's PrivyApiError of the given status. */
async function rejectsWith(status, promise) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.status, status, `expected ${status}, got ${e.status}: ${e.message}`);
    assert.equal(typeof e.type, 'string', 'error code mapped from the {error, code} body');
    assert.ok(e.message.length > 0, 'error message mapped from the {error, code} body');
    return e;
  }
  assert.fail(`expected a ${status} error, but the call succeeded`);
}

const authKey = generateP256();
const privy = client(authKey);
const walletApi = privy.walletApi;

describe('@privy-io/server-auth: ownerless wallet (/api/v1)', () => {
  let wallet;

  before(async () => {
    wallet = await walletApi.createWallet({ chainType: 'ethereum' });
  });

  it('createWallet maps the Privy wallet', () => {
    assert.equal(typeof wallet.id, 'string');
    assert.equal(wallet.chainType, 'ethereum');
    assert.ok(ethers.isAddress(wallet.address));
    assert.equal(wallet.ownerId, null);
    assert.deepEqual(wallet.policyIds, []);
    assert.deepEqual(wallet.additionalSigners, []);
    assert.ok(wallet.createdAt instanceof Date && Math.abs(wallet.createdAt.getTime() - Date.now()) < 10 * 60 * 1000,
      'createdAt (ms) maps to a current Date');
  });

  it('getWallet returns it', async () => {
    const got = await walletApi.getWallet({ id: wallet.id });
    assert.equal(got.id, wallet.id);
    assert.equal(got.address, wallet.address);
    assert.equal(got.createdAt.getTime(), wallet.createdAt.getTime());
  });

  it('createWallet with idempotencyKey returns the same wallet twice', async () => {
    const idempotencyKey = randomId('sa');
    const a = await walletApi.createWallet({ chainType: 'ethereum', idempotencyKey });
    const b = await walletApi.createWallet({ chainType: 'ethereum', idempotencyKey });
    assert.equal(b.id, a.id);
  });

  it('ethereum.signMessage: string (utf-8) and Uint8Array (hex)', async () => {
    const text = 'hello from server-auth';
    const a = await walletApi.ethereum.signMessage({ walletId: wallet.id, message: text });
    assert.equal(a.encoding, 'hex');
    assert.equal(ethers.verifyMessage(text, a.signature), wallet.address);
    const bytes = crypto.randomBytes(24);
    const b = await walletApi.ethereum.signMessage({ walletId: wallet.id, message: new Uint8Array(bytes) });
    assert.equal(ethers.verifyMessage(bytes, b.signature), wallet.address);
  });

  it('generic rpc personal_sign with a 0x-hex message and wallet_id in the body', async () => {
    const bytes = crypto.randomBytes(8);
    const r = await walletApi.rpc({ walletId: wallet.id, method: 'personal_sign', params: { message: '0x' + bytes.toString('hex') } });
    assert.equal(r.method, 'personal_sign');
    assert.equal(ethers.verifyMessage(bytes, r.data.signature), wallet.address);
  });

  it('ethereum.signTransaction (camelCase input, JSON-number and hex quantities)', async () => {
    const { signedTransaction, encoding } = await walletApi.ethereum.signTransaction({
      walletId: wallet.id,
      transaction: {
        to: DEAD, nonce: 3, chainId: 8453, value: '0x1', type: 2, gasLimit: 21000,
        maxFeePerGas: '0x3b9aca00', maxPriorityFeePerGas: '0x1', data: '0xabcdef',
      },
    });
    assert.equal(encoding, 'rlp');
    const tx = ethers.Transaction.from(signedTransaction);
    assert.equal(tx.from, wallet.address);
    assert.equal(tx.to, DEAD);
    assert.equal(tx.nonce, 3);
    assert.equal(tx.chainId, 8453n);
    assert.equal(tx.value, 1n);
    assert.equal(tx.gasLimit, 21000n);
    assert.equal(tx.maxFeePerGas, 1000000000n);
    assert.equal(tx.maxPriorityFeePerGas, 1n);
    assert.equal(tx.data, '0xabcdef');
  });

  it('ethereum.signTransaction legacy (type 0)', async () => {
    const { signedTransaction } = await walletApi.ethereum.signTransaction({
      walletId: wallet.id,
      transaction: { to: DEAD, nonce: 0, chainId: 10, value: 5, type: 0, gasLimit: 21000, gasPrice: 1000 },
    });
    const tx = ethers.Transaction.from(signedTransaction);
    assert.equal(tx.type, 0);
    assert.equal(tx.from, wallet.address);
    assert.equal(tx.chainId, 10n);
    assert.equal(tx.gasPrice, 1000n);
  });

  it('ethereum.signTypedData (primaryType → primary_type)', async () => {
    const domain = { name: 'Test', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' };
    const types = { Greeting: [{ name: 'text', type: 'string' }, { name: 'n', type: 'uint256' }] };
    const message = { text: 'hi', n: 42 };
    const { signature } = await walletApi.ethereum.signTypedData({
      walletId: wallet.id, typedData: { domain, types, message, primaryType: 'Greeting' },
    });
    assert.equal(ethers.verifyTypedData(domain, types, message, signature), wallet.address);
  });

  it('ethereum.secp256k1Sign', async () => {
    const hash = ethers.hexlify(crypto.randomBytes(32));
    const { signature } = await walletApi.ethereum.secp256k1Sign({ walletId: wallet.id, hash });
    assert.equal(ethers.recoverAddress(hash, signature), wallet.address);
  });

  it('ethereum.sign7702Authorization (y_parity → yParity)', async () => {
    const contract = '0x1234567890AbcdEF1234567890aBcdef12345678';
    const a = await walletApi.ethereum.sign7702Authorization({ walletId: wallet.id, contract, chainId: 1, nonce: 0 });
    assert.ok(a.yParity === 0 || a.yParity === 1, `yParity mapped: ${JSON.stringify(a)}`);
    const signer = ethers.verifyAuthorization(
      { address: contract, chainId: 1n, nonce: 0n },
      { r: ethers.zeroPadValue(a.r, 32), s: ethers.zeroPadValue(a.s, 32), yParity: a.yParity },
    );
    assert.equal(signer, wallet.address);
  });
});

describe('@privy-io/server-auth: wallet owned by the authorization key', () => {
  let wallet;

  before(async () => {
    wallet = await walletApi.createWallet({ chainType: 'ethereum', owner: { publicKey: authKey.publicKey } });
  });

  it('createWallet with owner.publicKey sets ownerId', () => {
    assert.equal(typeof wallet.ownerId, 'string');
    assert.ok(wallet.ownerId.length > 0);
  });

  it('signs through the SDK with the authorization key', async () => {
    const { signature } = await walletApi.ethereum.signMessage({ walletId: wallet.id, message: 'owned' });
    assert.equal(ethers.verifyMessage('owned', signature), wallet.address);
    const { signedTransaction } = await walletApi.ethereum.signTransaction({
      walletId: wallet.id,
      transaction: { to: DEAD, nonce: 1, chainId: 1, type: 2, gasLimit: 21000, maxFeePerGas: 2, maxPriorityFeePerGas: 1 },
    });
    assert.equal(ethers.Transaction.from(signedTransaction).from, wallet.address);
    const hash = ethers.hexlify(crypto.randomBytes(32));
    const { signature: raw } = await walletApi.ethereum.secp256k1Sign({ walletId: wallet.id, hash });
    assert.equal(ethers.recoverAddress(hash, raw), wallet.address);
  });

  it('a client without the key, or with another key, is refused with 401', async () => {
    await rejectsWith(401, client(null).walletApi.ethereum.signMessage({ walletId: wallet.id, message: 'no key' }));
    await rejectsWith(401, client(generateP256()).walletApi.ethereum.signMessage({ walletId: wallet.id, message: 'other key' }));
    await rejectsWith(401, client(generateP256()).walletApi.updateWallet({ id: wallet.id, additionalSigners: [] }));
  });

  it('updateWallet with additionalSigners: the signer can then sign', async () => {
    const signerKey = generateP256();
    const signerClient = client(signerKey);
    await rejectsWith(401, signerClient.walletApi.ethereum.signMessage({ walletId: wallet.id, message: 'before' }));

    // server-auth has no key-quorum API: create the signer quorum over raw HTTP (/api/v1).
    const quorum = await apiOk('POST', '/api/v1/key_quorums', { public_keys: [signerKey.publicKey], authorization_threshold: 1 });
    const updated = await walletApi.updateWallet({ id: wallet.id, additionalSigners: [{ signerId: quorum.id }] });
    assert.deepEqual(updated.additionalSigners.map((s) => s.signerId), [quorum.id]);
    assert.equal(updated.ownerId, wallet.ownerId);
    const got = await walletApi.getWallet({ id: wallet.id });
    assert.deepEqual(got.additionalSigners.map((s) => s.signerId), [quorum.id]);

    const { signature } = await signerClient.walletApi.ethereum.signMessage({ walletId: wallet.id, message: 'as signer' });
    assert.equal(ethers.verifyMessage('as signer', signature), wallet.address);
    // The signer can sign but not administer the wallet.
    await rejectsWith(401, signerClient.walletApi.updateWallet({ id: wallet.id, additionalSigners: [] }));
  });

  it('updateWallet to a new owner hands the wallet over', async () => {
    const next = generateP256();
    const other = await walletApi.createWallet({ chainType: 'ethereum', owner: { publicKey: authKey.publicKey } });
    const updated = await walletApi.updateWallet({ id: other.id, owner: { publicKey: next.publicKey } });
    assert.notEqual(updated.ownerId, other.ownerId);
    const { signature } = await client(next).walletApi.ethereum.signMessage({ walletId: other.id, message: 'new owner' });
    assert.equal(ethers.verifyMessage('new owner', signature), other.address);
    await rejectsWith(401, walletApi.ethereum.signMessage({ walletId: other.id, message: 'old owner' }));
  });
});

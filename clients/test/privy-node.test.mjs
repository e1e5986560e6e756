// The real @privy-io/node SDK pointed at Mandate (only `apiUrl` changes). Every signature the
// wallet produces is verified with ethers; every authorization signature is made by the SDK.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as ethers from 'ethers';
import { PrivyClient, APIError } from '@privy-io/node';
import { MANDATE_URL, APP_ID, APP_SECRET, api, generateP256, randomId } from './helpers.mjs';

const DEAD = '0x000000000000000000000000000000000000dEaD';

/** A client that also records the headers of every request it sends. */
function client(options = {}) {
  const sent = [];
  const recordingFetch = async (url, init) => {
    sent.push({ url: String(url), method: init?.method, headers: new Headers(init?.headers) });
    return fetch(url, init);
  };
  const privy = new PrivyClient({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: MANDATE_URL, fetch: recordingFetch, ...options });
  return { privy, sent, last: () => sent[sent.length - 1] };
}

/** Awaits a call that must fail with an APIError of the given status; returns the error. */
async function rejectsWith(status, promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof APIError, `expected an APIError, got ${e}`);
    assert.equal(e.status, status, `expected ${status}, got ${e.status}: ${e.message}`);
    assert.equal(typeof e.error?.error, 'string', `error body has "error": ${JSON.stringify(e.error)}`);
    return e;
  }
  assert.fail(`expected a ${status} error, but the call succeeded`);
}

function auth(...privateKeys) {
  return { authorization_context: { authorization_private_keys: privateKeys } };
}

async function assertCanSign(privy, walletId, address, keys, message = `hello ${crypto.randomUUID()}`) {
  const { signature } = await privy.wallets().ethereum().signMessage(walletId, { message, ...auth(...keys) });
  assert.equal(ethers.verifyMessage(message, signature), address);
}

describe('@privy-io/node: wallets (app credentials only)', () => {
  const { privy, last } = client();
  let wallet;

  before(async () => {
    wallet = await privy.wallets().create({ chain_type: 'ethereum' });
  });

  it('create returns a Privy Wallet', () => {
    assert.equal(typeof wallet.id, 'string');
    assert.ok(ethers.isAddress(wallet.address));
    assert.equal(wallet.chain_type, 'ethereum');
    assert.equal(wallet.owner_id, null);
    assert.deepEqual(wallet.policy_ids, []);
    assert.deepEqual(wallet.additional_signers, []);
    assert.ok(Math.abs(wallet.created_at - Date.now()) < 10 * 60 * 1000, 'created_at is in milliseconds');
    assert.equal(last().headers.get('privy-client'), 'node:0.35.0');
  });

  it('get returns the same wallet', async () => {
    const got = await privy.wallets().get(wallet.id);
    assert.equal(got.id, wallet.id);
    assert.equal(got.address, wallet.address);
    assert.equal(got.created_at, wallet.created_at);
  });

  it('list (auto-paginated) contains the wallet', async () => {
    let found = null;
    let seen = 0;
    for await (const w of privy.wallets().list({ chain_type: 'ethereum', limit: 50 })) {
      seen++;
      if (w.id === wallet.id) {
        found = w;
        break;
      }
    }
    assert.ok(found, `wallet not listed after ${seen} wallets`);
    assert.equal(found.address, wallet.address);
  });

  it('list honours limit and returns a cursor to the next page', async () => {
    await privy.wallets().create({ chain_type: 'ethereum' });
    const page = await privy.wallets().list({ limit: 1 });
    assert.equal(page.data.length, 1);
    assert.ok(page.hasNextPage(), 'more than one wallet exists, so there is a next page');
    const next = await page.getNextPage();
    assert.equal(next.data.length, 1);
    assert.notEqual(next.data[0].id, page.data[0].id);
  });

  it('get of an unknown wallet is a 404 NotFoundError', async () => {
    await rejectsWith(404, privy.wallets().get('doesnotexist000000000000'));
  });

  it('create with idempotency_key: the same key twice returns the same wallet', async () => {
    const key = randomId('idem');
    const a = await privy.wallets().create({ chain_type: 'ethereum', idempotency_key: key });
    assert.equal(last().headers.get('privy-idempotency-key'), key);
    const b = await privy.wallets().create({ chain_type: 'ethereum', idempotency_key: key });
    assert.equal(b.id, a.id);
    assert.equal(b.address, a.address);
    const c = await privy.wallets().create({ chain_type: 'ethereum', idempotency_key: randomId('idem') });
    assert.notEqual(c.id, a.id);
  });

  it('idempotency key reused with a different body is 400 with Privy\'s message', async () => {
    const key = randomId('idem');
    await privy.wallets().create({ chain_type: 'ethereum', idempotency_key: key });
    const e = await rejectsWith(400, privy.wallets().create({ chain_type: 'ethereum', display_name: 'other', idempotency_key: key }));
    assert.match(e.error.error, /^Idempotency key was reused for a request with a new body/);
    assert.equal(e.error.code, 'invalid_data');
  });

  it('ethereum().signMessage: utf-8 string, 0x-hex string and Uint8Array', async () => {
    const eth = privy.wallets().ethereum();
    const text = 'hello from @privy-io/node';
    assert.equal(ethers.verifyMessage(text, (await eth.signMessage(wallet.id, { message: text })).signature), wallet.address);
    const bytes = crypto.randomBytes(16);
    assert.equal(ethers.verifyMessage(bytes, (await eth.signMessage(wallet.id, { message: '0x' + bytes.toString('hex') })).signature), wallet.address);
    assert.equal(ethers.verifyMessage(bytes, (await eth.signMessage(wallet.id, { message: new Uint8Array(bytes) })).signature), wallet.address);
  });

  it('ethereum().signTransaction (EIP-1559)', async () => {
    const transaction = {
      type: 2, chain_id: 8453, to: DEAD, nonce: 4, value: '0x2386f26fc10000', gas_limit: 21000,
      max_fee_per_gas: '0x3b9aca00', max_priority_fee_per_gas: 1,
    };
    const { signed_transaction: signed, encoding } = await privy.wallets().ethereum().signTransaction(wallet.id, { params: { transaction } });
    assert.equal(encoding, 'rlp');
    const tx = ethers.Transaction.from(signed);
    assert.equal(tx.from, wallet.address);
    assert.equal(tx.to, DEAD);
    assert.equal(tx.chainId, 8453n);
    assert.equal(tx.nonce, 4);
    assert.equal(tx.value, 10n ** 16n);
    assert.equal(tx.gasLimit, 21000n);
    assert.equal(tx.maxFeePerGas, 10n ** 9n);
    assert.equal(tx.maxPriorityFeePerGas, 1n);
  });

  it('ethereum().signTransaction (legacy, EIP-155)', async () => {
    const transaction = { type: 0, chain_id: 1, to: DEAD, nonce: 0, value: 1, gas_limit: 21000, gas_price: '0x4a817c800' };
    const { signed_transaction: signed } = await privy.wallets().ethereum().signTransaction(wallet.id, { params: { transaction } });
    const tx = ethers.Transaction.from(signed);
    assert.equal(tx.type, 0);
    assert.equal(tx.from, wallet.address);
    assert.equal(tx.chainId, 1n);
    assert.equal(tx.gasPrice, 20000000000n);
  });

  it('ethereum().signTypedData', async () => {
    const domain = { name: 'Test', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' };
    const types = { Greeting: [{ name: 'text', type: 'string' }, { name: 'n', type: 'uint256' }] };
    const message = { text: 'hi', n: 42 };
    const { signature } = await privy.wallets().ethereum().signTypedData(wallet.id, {
      params: { typed_data: { domain, types, primary_type: 'Greeting', message } },
    });
    assert.equal(ethers.verifyTypedData(domain, types, message, signature), wallet.address);
  });

  it('ethereum().signSecp256k1', async () => {
    const hash = ethers.hexlify(crypto.randomBytes(32));
    const { signature } = await privy.wallets().ethereum().signSecp256k1(wallet.id, { params: { hash } });
    assert.equal(ethers.recoverAddress(hash, signature), wallet.address);
  });

  it('ethereum().sign7702Authorization', async () => {
    const contract = '0x1234567890AbcdEF1234567890aBcdef12345678';
    const { authorization: a } = await privy.wallets().ethereum().sign7702Authorization(wallet.id, {
      params: { contract, chain_id: 1, nonce: 2 },
    });
    assert.equal(ethers.getAddress(a.contract), contract);
    const signer = ethers.verifyAuthorization(
      { address: contract, chainId: 1n, nonce: 2n },
      { r: ethers.zeroPadValue(a.r, 32), s: ethers.zeroPadValue(a.s, 32), yParity: a.y_parity },
    );
    assert.equal(signer, wallet.address);
  });

  it('rawSign with {hash} and with {bytes, encoding, hash_function}', async () => {
    const hash = ethers.hexlify(crypto.randomBytes(32));
    const a = await privy.wallets().rawSign(wallet.id, { params: { hash } });
    assert.equal(ethers.recoverAddress(hash, a.signature), wallet.address);
    const b = await privy.wallets().rawSign(wallet.id, { params: { bytes: 'abc', encoding: 'utf-8', hash_function: 'sha256' } });
    assert.equal(ethers.recoverAddress(ethers.sha256(ethers.toUtf8Bytes('abc')), b.signature), wallet.address);
  });

  it('rpc with an idempotency key: same body replays, a different body is 400', async () => {
    const key = randomId('rpc');
    const eth = privy.wallets().ethereum();
    const first = await eth.signMessage(wallet.id, { message: 'idempotent', idempotency_key: key });
    const again = await eth.signMessage(wallet.id, { message: 'idempotent', idempotency_key: key });
    assert.equal(again.signature, first.signature);
    const e = await rejectsWith(400, eth.signMessage(wallet.id, { message: 'something else', idempotency_key: key }));
    assert.match(e.error.error, /^Idempotency key was reused for a request with a new body/);
  });

  it('a request_expiry in the past is 400 request_expired', async () => {
    const e = await rejectsWith(400, privy.wallets().ethereum().signMessage(wallet.id, {
      message: 'too late', request_expiry: Date.now() - 60_000,
    }));
    assert.equal(e.error.code, 'request_expired');
  });
});

// The authorization flows, once with the SDK's default request expiry (now + 15 min, signed) and
// once with request expiry disabled (no header).
for (const variant of [
  { label: 'default request expiry', options: {}, expectExpiry: true },
  { label: 'requestExpiry disabled', options: { requestExpiry: { disabled: true } }, expectExpiry: false },
]) {
  describe(`@privy-io/node: owners, key quorums, signers (${variant.label})`, () => {
    const { privy, last } = client(variant.options);
    const eth = () => privy.wallets().ethereum();

    function assertExpiryHeader() {
      const expiry = last().headers.get('privy-request-expiry');
      if (variant.expectExpiry) {
        assert.match(expiry ?? '', /^\d+$/, 'the SDK sent privy-request-expiry');
        assert.ok(Number(expiry) > Date.now(), 'expiry is in the future');
      } else {
        assert.equal(expiry, null, 'no privy-request-expiry header');
      }
    }

    it('wallet owned by one P-256 key: signing needs that key', async () => {
      const owner = generateP256();
      const stranger = generateP256();
      const wallet = await privy.wallets().create({ chain_type: 'ethereum', owner: { public_key: owner.publicKey } });
      assert.equal(typeof wallet.owner_id, 'string');
      assert.ok(wallet.owner_id.length > 0, 'owner_id is the key quorum created for the key');

      await assertCanSign(privy, wallet.id, wallet.address, [owner.privateKey]);
      assertExpiryHeader();
      assert.ok(last().headers.get('privy-authorization-signature').length > 0);

      const tx = { type: 2, chain_id: 1, to: DEAD, nonce: 0, gas_limit: 21000, max_fee_per_gas: 2, max_priority_fee_per_gas: 1 };
      const { signed_transaction } = await eth().signTransaction(wallet.id, { params: { transaction: tx }, ...auth(owner.privateKey) });
      assert.equal(ethers.Transaction.from(signed_transaction).from, wallet.address);

      const hash = ethers.hexlify(crypto.randomBytes(32));
      const raw = await privy.wallets().rawSign(wallet.id, { params: { hash }, ...auth(owner.privateKey) });
      assert.equal(ethers.recoverAddress(hash, raw.signature), wallet.address);

      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'no signature' }));
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'wrong key', ...auth(stranger.privateKey) }));
      await rejectsWith(401, privy.wallets().rawSign(wallet.id, { params: { hash } }));
    });

    it('2-of-3 key quorum owning a wallet: two keys sign, one key is 401', async () => {
      const [a, b, c] = [generateP256(), generateP256(), generateP256()];
      const quorum = await privy.keyQuorums().create({
        public_keys: [a.publicKey, b.publicKey, c.publicKey], authorization_threshold: 2, display_name: 'two of three',
      });
      assert.equal(quorum.authorization_threshold, 2);
      assert.equal(quorum.display_name, 'two of three');
      assert.deepEqual(quorum.authorization_keys.map((k) => k.public_key).sort(), [a, b, c].map((k) => k.publicKey).sort());
      const fetched = await privy.keyQuorums().get(quorum.id);
      assert.equal(fetched.id, quorum.id);
      assert.equal(fetched.authorization_threshold, 2);

      const wallet = await privy.wallets().create({ chain_type: 'ethereum', owner_id: quorum.id });
      assert.equal(wallet.owner_id, quorum.id);

      await assertCanSign(privy, wallet.id, wallet.address, [a.privateKey, b.privateKey]);
      await assertCanSign(privy, wallet.id, wallet.address, [c.privateKey, a.privateKey]);
      assertExpiryHeader();
      for (const single of [a, b, c]) {
        await rejectsWith(401, eth().signMessage(wallet.id, { message: 'one key', ...auth(single.privateKey) }));
      }
      const outsider = generateP256();
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'one key + outsider', ...auth(a.privateKey, outsider.privateKey) }));
      // The same key twice is one approval, not two.
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'same key twice', ...auth(b.privateKey, b.privateKey) }));
    });

    it('PATCH owner to a new key: the new key signs, the old owner can no longer sign or PATCH', async () => {
      const oldOwner = generateP256();
      const newOwner = generateP256();
      const wallet = await privy.wallets().create({ chain_type: 'ethereum', owner: { public_key: oldOwner.publicKey } });

      await rejectsWith(401, privy.wallets().update(wallet.id, { owner: { public_key: newOwner.publicKey } }));
      await rejectsWith(401, privy.wallets().update(wallet.id, { owner: { public_key: newOwner.publicKey }, ...auth(newOwner.privateKey) }));

      const updated = await privy.wallets().update(wallet.id, { owner: { public_key: newOwner.publicKey }, ...auth(oldOwner.privateKey) });
      assertExpiryHeader();
      assert.equal(updated.id, wallet.id);
      assert.equal(updated.address, wallet.address);
      assert.notEqual(updated.owner_id, wallet.owner_id);
      assert.equal((await privy.wallets().get(wallet.id)).owner_id, updated.owner_id);

      await assertCanSign(privy, wallet.id, wallet.address, [newOwner.privateKey]);
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'old owner', ...auth(oldOwner.privateKey) }));
      await rejectsWith(401, privy.wallets().update(wallet.id, { display_name: 'hijack', ...auth(oldOwner.privateKey) }));

      const renamed = await privy.wallets().update(wallet.id, { display_name: 'renamed', ...auth(newOwner.privateKey) });
      assert.equal(renamed.display_name, 'renamed');
    });

    it('PATCH additional_signers: the added signer quorum can sign', async () => {
      const owner = generateP256();
      const signerKey = generateP256();
      const wallet = await privy.wallets().create({ chain_type: 'ethereum', owner: { public_key: owner.publicKey } });
      const signer = await privy.keyQuorums().create({ public_keys: [signerKey.publicKey], authorization_threshold: 1 });

      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'not yet', ...auth(signerKey.privateKey) }));
      await rejectsWith(401, privy.wallets().update(wallet.id, { additional_signers: [{ signer_id: signer.id }], ...auth(signerKey.privateKey) }));

      const updated = await privy.wallets().update(wallet.id, {
        additional_signers: [{ signer_id: signer.id }], ...auth(owner.privateKey),
      });
      assertExpiryHeader();
      assert.deepEqual(updated.additional_signers.map((s) => s.signer_id), [signer.id]);
      assert.equal(updated.owner_id, wallet.owner_id);

      await assertCanSign(privy, wallet.id, wallet.address, [signerKey.privateKey]);
      await assertCanSign(privy, wallet.id, wallet.address, [owner.privateKey]);
      // A signer may sign, but it does not own the wallet.
      await rejectsWith(401, privy.wallets().update(wallet.id, { additional_signers: [], ...auth(signerKey.privateKey) }));

      const removed = await privy.wallets().update(wallet.id, { additional_signers: [], ...auth(owner.privateKey) });
      assert.deepEqual(removed.additional_signers, []);
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'removed', ...auth(signerKey.privateKey) }));
    });

    it('ownerless wallet: PATCH without a signature sets an owner', async () => {
      const owner = generateP256();
      const wallet = await privy.wallets().create({ chain_type: 'ethereum' });
      const updated = await privy.wallets().update(wallet.id, { owner: { public_key: owner.publicKey } });
      assert.equal(typeof updated.owner_id, 'string');
      await assertCanSign(privy, wallet.id, wallet.address, [owner.privateKey]);
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'now owned' }));
    });

    it('update a key quorum (2-of-2 -> 1-of-2, signed by the current quorum), then delete it', async () => {
      const [a, b] = [generateP256(), generateP256()];
      const quorum = await privy.keyQuorums().create({ public_keys: [a.publicKey, b.publicKey], authorization_threshold: 2 });
      const wallet = await privy.wallets().create({ chain_type: 'ethereum', owner_id: quorum.id });
      await rejectsWith(401, eth().signMessage(wallet.id, { message: 'one of two', ...auth(a.privateKey) }));

      const update = { public_keys: [a.publicKey, b.publicKey], authorization_threshold: 1 };
      await rejectsWith(401, privy.keyQuorums().update(quorum.id, update));
      await rejectsWith(401, privy.keyQuorums().update(quorum.id, { ...update, ...auth(a.privateKey) }));
      const updated = await privy.keyQuorums().update(quorum.id, { ...update, ...auth(a.privateKey, b.privateKey) });
      assertExpiryHeader();
      assert.equal(updated.id, quorum.id);
      assert.equal(updated.authorization_threshold, 1);
      assert.equal((await privy.keyQuorums().get(quorum.id)).authorization_threshold, 1);

      await assertCanSign(privy, wallet.id, wallet.address, [a.privateKey]);
      await assertCanSign(privy, wallet.id, wallet.address, [b.privateKey]);

      const outsider = generateP256();
      await rejectsWith(401, privy.keyQuorums().delete(quorum.id, { ...auth(outsider.privateKey) }));
      const other = await privy.keyQuorums().create({ public_keys: [outsider.publicKey], authorization_threshold: 1 });
      const deleted = await privy.keyQuorums().delete(other.id, { ...auth(outsider.privateKey) });
      assertExpiryHeader();
      assert.equal(deleted.success, true);
      await rejectsWith(404, privy.keyQuorums().get(other.id));
    });

    it('a request_expiry in the past is 400 request_expired, even when correctly signed', async () => {
      const owner = generateP256();
      const wallet = await privy.wallets().create({ chain_type: 'ethereum', owner: { public_key: owner.publicKey } });
      const e = await rejectsWith(400, eth().signMessage(wallet.id, {
        message: 'expired', request_expiry: Date.now() - 1000, ...auth(owner.privateKey),
      }));
      assert.equal(e.error.code, 'request_expired');
      assert.match(last().headers.get('privy-request-expiry'), /^\d+$/);
      // An explicit expiry in the future is signed and accepted, whatever the client default.
      const { signature } = await eth().signMessage(wallet.id, {
        message: 'in time', request_expiry: Date.now() + 60_000, ...auth(owner.privateKey),
      });
      assert.equal(ethers.verifyMessage('in time', signature), wallet.address);
    });
  });
}

describe('raw HTTP: request expiry edge cases', () => {
  it('an expiry in seconds (looks like the distant past) is 400 request_expired', async () => {
    const wallet = (await api('POST', '/v1/wallets', { chain_type: 'ethereum' })).json;
    const r = await api('POST', `/v1/wallets/${wallet.id}/rpc`, { method: 'personal_sign', params: { message: 'x', encoding: 'utf-8' } }, {
      'privy-request-expiry': String(Math.floor(Date.now() / 1000) + 600),
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json?.code, 'request_expired');
  });
});

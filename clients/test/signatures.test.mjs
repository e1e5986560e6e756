// Raw HTTP (no Privy SDK): every signature Mandate returns is checked by ethers AND viem, two
// implementations independent of Mandate's code and of each other.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as ethers from 'ethers';
import {
  recoverAddress as viemRecoverAddress,
  recoverMessageAddress,
  recoverTypedDataAddress,
  recoverTransactionAddress,
  parseTransaction,
  keccak256 as viemKeccak256,
  sha256 as viemSha256,
  toBytes,
  getAddress,
} from 'viem';
import { recoverAuthorizationAddress } from 'viem/utils';
import { api, apiOk, isErrorBody, hex } from './helpers.mjs';

const DEAD = '0x000000000000000000000000000000000000dEaD';
const CONTRACT = '0x1234567890AbcdEF1234567890aBcdef12345678';

let wallet; // {id, address}

async function rpc(body) {
  return apiOk('POST', `/v1/wallets/${wallet.id}/rpc`, body);
}

/** Checks the shape every ECDSA signature response has: 0x + 65 bytes r‖s‖v, v in {27, 28}. */
function assertRsv(signature) {
  assert.match(signature, /^0x[0-9a-f]{130}$/i, 'signature is 0x + 65 bytes hex');
  const v = parseInt(signature.slice(130), 16);
  assert.ok(v === 27 || v === 28, `v is 27 or 28, got ${v}`);
  // Canonical (low-S) signatures, as Ethereum requires for transactions and most verifiers.
  const s = BigInt('0x' + signature.slice(66, 130));
  assert.ok(s <= ethers.N / 2n, 's is in the lower half of the curve order');
}

before(async () => {
  const created = await apiOk('POST', '/v1/wallets', { chain_type: 'ethereum' });
  assert.equal(created.chain_type, 'ethereum');
  assert.equal(created.owner_id, null);
  assert.ok(ethers.isAddress(created.address), 'address is an Ethereum address');
  assert.equal(created.address, ethers.getAddress(created.address), 'address is EIP-55 checksummed');
  wallet = created;
});

describe('personal_sign', () => {
  async function sign(params) {
    const response = await rpc({ method: 'personal_sign', params });
    assert.equal(response.method, 'personal_sign');
    assert.equal(response.data.encoding, 'hex');
    assertRsv(response.data.signature);
    return response.data.signature;
  }

  for (const message of ['hello from mandate', 'héllo wörld ✓ 🌍 (multi-byte UTF-8)', '']) {
    it(`utf-8 ${JSON.stringify(message).slice(0, 30)}`, async () => {
      const signature = await sign({ message, encoding: 'utf-8' });
      assert.equal(ethers.verifyMessage(message, signature), wallet.address);
      assert.equal(await recoverMessageAddress({ message, signature }), wallet.address);
    });
  }

  it('hex with 0x prefix signs the raw bytes', async () => {
    const bytes = crypto.randomBytes(37);
    const signature = await sign({ message: hex(bytes), encoding: 'hex' });
    assert.equal(ethers.verifyMessage(bytes, signature), wallet.address);
    assert.equal(await recoverMessageAddress({ message: { raw: bytes }, signature }), wallet.address);
    // and not the hex text itself
    assert.notEqual(ethers.verifyMessage(hex(bytes), signature), wallet.address);
  });

  it('hex without 0x prefix (what @privy-io/node sends) signs the raw bytes', async () => {
    const bytes = Buffer.from('deadbeef00ff', 'hex');
    const signature = await sign({ message: bytes.toString('hex'), encoding: 'hex' });
    assert.equal(ethers.verifyMessage(bytes, signature), wallet.address);
    assert.equal(await recoverMessageAddress({ message: { raw: hex(bytes) }, signature }), wallet.address);
  });

  it('is deterministic for the same message (RFC 6979)', async () => {
    const a = await sign({ message: 'same', encoding: 'utf-8' });
    const b = await sign({ message: 'same', encoding: 'utf-8' });
    assert.equal(a, b);
  });
});

describe('eth_signTypedData_v4', () => {
  const domain = {
    name: 'Ether Mail',
    version: '1',
    chainId: 1,
    verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC',
  };
  const types = {
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallets', type: 'address[]' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person[]' },
      { name: 'contents', type: 'string' },
      { name: 'amount', type: 'uint256' },
      { name: 'delta', type: 'int32' },
      { name: 'flag', type: 'bool' },
      { name: 'tag', type: 'bytes32' },
      { name: 'blob', type: 'bytes' },
    ],
  };
  const message = {
    from: { name: 'Cow', wallets: ['0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826', '0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF'] },
    to: [{ name: 'Bob', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB'] }],
    contents: 'Hello, Bob!',
    amount: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
    delta: -42,
    flag: true,
    tag: '0x' + 'ab'.repeat(32),
    blob: '0xdeadbeef',
  };
  const domainType = [
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
  ];

  async function sign(typedData) {
    const response = await rpc({ method: 'eth_signTypedData_v4', params: { typed_data: typedData } });
    assert.equal(response.method, 'eth_signTypedData_v4');
    assert.equal(response.data.encoding, 'hex');
    assertRsv(response.data.signature);
    return response.data.signature;
  }

  it('without types.EIP712Domain (domain type derived from the domain)', async () => {
    const signature = await sign({ domain, types, primary_type: 'Mail', message });
    assert.equal(ethers.verifyTypedData(domain, types, message, signature), wallet.address);
    assert.equal(
      await recoverTypedDataAddress({ domain, types, primaryType: 'Mail', message, signature }),
      wallet.address,
    );
  });

  it('with types.EIP712Domain', async () => {
    const signature = await sign({ domain, types: { EIP712Domain: domainType, ...types }, primary_type: 'Mail', message });
    assert.equal(ethers.verifyTypedData(domain, types, message, signature), wallet.address);
    assert.equal(
      await recoverTypedDataAddress({
        domain, types: { EIP712Domain: domainType, ...types }, primaryType: 'Mail', message, signature,
      }),
      wallet.address,
    );
  });

  it('with a partial domain and an EIP712Domain listing only its fields', async () => {
    const partial = { name: 'Partial', chainId: 8453 };
    const simple = { Greeting: [{ name: 'text', type: 'string' }, { name: 'n', type: 'uint256' }] };
    const msg = { text: 'hi', n: 42 };
    const signature = await sign({
      domain: partial,
      types: { EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }], ...simple },
      primary_type: 'Greeting',
      message: msg,
    });
    assert.equal(ethers.verifyTypedData(partial, simple, msg, signature), wallet.address);
    assert.equal(
      await recoverTypedDataAddress({ domain: partial, types: simple, primaryType: 'Greeting', message: msg, signature }),
      wallet.address,
    );
  });

  it('with an EIP712Domain in non-canonical field order (the given order is hashed)', async () => {
    const reordered = [domainType[2], domainType[0], domainType[3], domainType[1]];
    const simple = { Greeting: [{ name: 'text', type: 'string' }] };
    const msg = { text: 'order matters' };
    const signature = await sign({ domain, types: { EIP712Domain: reordered, ...simple }, primary_type: 'Greeting', message: msg });
    // ethers: domain separator with the explicit EIP712Domain type, then the EIP-712 digest by hand.
    const domainSeparator = ethers.TypedDataEncoder.from({ EIP712Domain: reordered }).hash(domain);
    const structHash = ethers.TypedDataEncoder.from(simple).hash(msg);
    const digest = ethers.keccak256(ethers.concat(['0x1901', domainSeparator, structHash]));
    assert.equal(ethers.recoverAddress(digest, signature), wallet.address);
    assert.equal(
      await recoverTypedDataAddress({
        domain, types: { EIP712Domain: reordered, ...simple }, primaryType: 'Greeting', message: msg, signature,
      }),
      wallet.address,
    );
  });
});

describe('eth_signTransaction', () => {
  async function signTx(transaction) {
    const response = await rpc({ method: 'eth_signTransaction', params: { transaction } });
    assert.equal(response.method, 'eth_signTransaction');
    assert.equal(response.data.encoding, 'rlp');
    assert.match(response.data.signed_transaction, /^0x[0-9a-f]+$/i);
    return response.data.signed_transaction;
  }

  const q = (v) => (v === undefined ? undefined : BigInt(v));

  /** Decodes with ethers and viem, checks the sender and that every field round-trips. */
  async function verify(signed, input, expectedType) {
    const tx = ethers.Transaction.from(signed);
    assert.equal(tx.type, expectedType, 'ethers: type');
    assert.equal(tx.from, wallet.address, 'ethers: recovered sender');
    assert.equal(tx.to, input.to === undefined ? null : ethers.getAddress(input.to), 'ethers: to');
    assert.equal(tx.value, q(input.value ?? 0), 'ethers: value');
    assert.equal(BigInt(tx.nonce), q(input.nonce ?? 0), 'ethers: nonce');
    assert.equal(tx.gasLimit, q(input.gas_limit), 'ethers: gas_limit');
    assert.equal(tx.data, (input.data ?? '0x').toLowerCase(), 'ethers: data');
    if (input.chain_id !== undefined) {
      assert.equal(tx.chainId, q(input.chain_id), 'ethers: chain_id');
    }
    if (expectedType < 2) {
      assert.equal(tx.gasPrice, q(input.gas_price), 'ethers: gas_price');
    } else {
      assert.equal(tx.maxFeePerGas, q(input.max_fee_per_gas), 'ethers: max_fee_per_gas');
      assert.equal(tx.maxPriorityFeePerGas, q(input.max_priority_fee_per_gas), 'ethers: max_priority_fee_per_gas');
    }
    if (tx.signature) {
      const s = BigInt(tx.signature.s);
      assert.ok(s <= ethers.N / 2n, 'ethers: low-S');
    }

    const parsed = parseTransaction(signed);
    const viemType = { 0: 'legacy', 1: 'eip2930', 2: 'eip1559', 4: 'eip7702' }[expectedType];
    assert.equal(parsed.type, viemType, 'viem: type');
    assert.equal(parsed.to ? getAddress(parsed.to) : null, input.to === undefined ? null : getAddress(input.to), 'viem: to');
    assert.equal(parsed.value ?? 0n, q(input.value ?? 0), 'viem: value');
    assert.equal(BigInt(parsed.nonce ?? 0), q(input.nonce ?? 0), 'viem: nonce');
    assert.equal(parsed.gas, q(input.gas_limit), 'viem: gas');
    assert.equal(parsed.data ?? '0x', (input.data ?? '0x').toLowerCase(), 'viem: data');
    if (input.chain_id !== undefined) {
      assert.equal(BigInt(parsed.chainId), q(input.chain_id), 'viem: chainId');
    }
    assert.equal(await recoverTransactionAddress({ serializedTransaction: signed }), wallet.address, 'viem: sender');
    return { tx, parsed };
  }

  it('type 0 (legacy) with chain_id is EIP-155 protected; hex quantities', async () => {
    const input = {
      type: 0, chain_id: '0x1', to: DEAD, nonce: '0x5', value: '0xde0b6b3a7640000',
      gas_limit: '0x5208', gas_price: '0x3b9aca00', data: '0x',
    };
    const { tx, parsed } = await verify(await signTx(input), input, 0);
    assert.equal(tx.chainId, 1n);
    const v = Number(parsed.v);
    assert.ok(v === 37 || v === 38, `EIP-155 v = chainId*2+35/36, got ${v}`);
  });

  it('type 0 (legacy) with JSON-number quantities and calldata', async () => {
    const input = {
      type: 0, chain_id: 137, to: DEAD, nonce: 12, value: 1000, gas_limit: 60000, gas_price: 30000000000,
      data: '0xa9059cbb000000000000000000000000000000000000000000000000000000000000dead0000000000000000000000000000000000000000000000000000000000000001',
    };
    const { parsed } = await verify(await signTx(input), input, 0);
    const v = Number(parsed.v);
    assert.ok(v === 137 * 2 + 35 || v === 137 * 2 + 36, `EIP-155 v for chain 137, got ${v}`);
  });

  it('type 1 (EIP-2930) with an access list', async () => {
    const accessList = [
      { address: CONTRACT, storage_keys: ['0x' + '00'.repeat(31) + '01', '0x' + 'ff'.repeat(32)] },
      { address: DEAD, storage_keys: [] },
    ];
    const input = {
      type: 1, chain_id: '0xaa36a7', to: CONTRACT, nonce: 3, value: '0x0', gas_limit: 80000, gas_price: '0x2540be400',
      data: '0x01020304', access_list: accessList,
    };
    const { tx, parsed } = await verify(await signTx(input), input, 1);
    const expected = accessList.map((e) => ({ address: getAddress(e.address), storageKeys: e.storage_keys }));
    assert.deepEqual(tx.accessList.map((e) => ({ address: e.address, storageKeys: e.storageKeys })), expected);
    assert.deepEqual(parsed.accessList.map((e) => ({ address: getAddress(e.address), storageKeys: e.storageKeys })), expected);
  });

  it('type 2 (EIP-1559) with hex quantities', async () => {
    const input = {
      type: 2, chain_id: '0x2105', to: DEAD, nonce: '0x0', value: '0x1', gas_limit: '0x5208',
      max_fee_per_gas: '0x3b9aca00', max_priority_fee_per_gas: '0x1',
    };
    await verify(await signTx(input), input, 2);
  });

  it('type 2 (EIP-1559) with JSON-number quantities (as server-auth sends them)', async () => {
    const input = {
      type: 2, chain_id: 8453, to: DEAD, nonce: 3, value: 123456789, gas_limit: 21000,
      max_fee_per_gas: 1000000000, max_priority_fee_per_gas: 1,
    };
    await verify(await signTx(input), input, 2);
  });

  it('type 2 contract creation (no to)', async () => {
    const input = {
      type: 2, chain_id: 1, nonce: 9, gas_limit: 300000, max_fee_per_gas: '0x77359400',
      max_priority_fee_per_gas: '0x3b9aca00', data: '0x6080604052348015600f57600080fd5b50',
    };
    const { tx } = await verify(await signTx(input), input, 2);
    assert.equal(tx.to, null);
  });

  it('type 4 (EIP-7702) with an authorization from eth_sign7702Authorization and one from an ethers wallet', async () => {
    const own = await rpc({ method: 'eth_sign7702Authorization', params: { contract: CONTRACT, chain_id: 1, nonce: 8 } });
    const other = ethers.Wallet.createRandom();
    const foreign = other.authorizeSync({ address: CONTRACT, chainId: 1n, nonce: 0n });
    const input = {
      type: 4, chain_id: 1, to: wallet.address, nonce: 7, value: '0x0', gas_limit: 100000,
      max_fee_per_gas: '0x3b9aca00', max_priority_fee_per_gas: '0x3b9aca00', data: '0x',
      authorization_list: [
        own.data.authorization,
        {
          contract: foreign.address, chain_id: Number(foreign.chainId), nonce: Number(foreign.nonce),
          r: foreign.signature.r, s: foreign.signature.s, y_parity: foreign.signature.yParity,
        },
      ],
    };
    const { tx, parsed } = await verify(await signTx(input), input, 4);
    assert.equal(tx.authorizationList.length, 2);
    assert.equal(parsed.authorizationList.length, 2);
    const signers = [wallet.address, other.address];
    for (let i = 0; i < 2; i++) {
      const a = tx.authorizationList[i];
      assert.equal(a.address, getAddress(CONTRACT));
      assert.equal(a.chainId, 1n);
      assert.equal(ethers.verifyAuthorization({ address: a.address, chainId: a.chainId, nonce: a.nonce }, a.signature), signers[i]);
      assert.equal(await recoverAuthorizationAddress({ authorization: parsed.authorizationList[i] }), signers[i]);
    }
    assert.equal(tx.authorizationList[0].nonce, 8n);
  });

  it('omitted type defaults to an EIP-1559 transaction', async () => {
    const input = {
      chain_id: 1, to: DEAD, nonce: 1, gas_limit: 21000, max_fee_per_gas: 2, max_priority_fee_per_gas: 1,
    };
    await verify(await signTx(input), input, 2);
  });
});

describe('secp256k1_sign', () => {
  it('signs a 32-byte hash as is', async () => {
    const hash = hex(crypto.randomBytes(32));
    const response = await rpc({ method: 'secp256k1_sign', params: { hash } });
    assert.equal(response.method, 'secp256k1_sign');
    assert.equal(response.data.encoding, 'hex');
    assertRsv(response.data.signature);
    assert.equal(ethers.recoverAddress(hash, response.data.signature), wallet.address);
    assert.equal(await viemRecoverAddress({ hash, signature: response.data.signature }), wallet.address);
  });
});

describe('eth_sign7702Authorization', () => {
  for (const [label, params] of [
    ['numbers', { contract: CONTRACT, chain_id: 8453, nonce: 5 }],
    ['hex quantities', { contract: CONTRACT.toLowerCase(), chain_id: '0x1', nonce: '0x0' }],
    ['chain_id 0 (any chain)', { contract: CONTRACT, chain_id: 0, nonce: 1 }],
  ]) {
    it(`signs an authorization (${label})`, async () => {
      const response = await rpc({ method: 'eth_sign7702Authorization', params });
      assert.equal(response.method, 'eth_sign7702Authorization');
      const a = response.data.authorization;
      assert.equal(getAddress(a.contract), getAddress(params.contract));
      assert.equal(BigInt(a.chain_id), BigInt(params.chain_id));
      assert.equal(BigInt(a.nonce), BigInt(params.nonce));
      assert.match(a.r, /^0x[0-9a-f]{1,64}$/i);
      assert.match(a.s, /^0x[0-9a-f]{1,64}$/i);
      assert.ok(a.y_parity === 0 || a.y_parity === 1, 'y_parity is 0 or 1');
      const recovered = await recoverAuthorizationAddress({
        authorization: { address: getAddress(params.contract), chainId: Number(params.chain_id), nonce: Number(params.nonce) },
        signature: { r: a.r, s: a.s, yParity: a.y_parity },
      });
      assert.equal(recovered, wallet.address);
      const viaEthers = ethers.verifyAuthorization(
        { address: params.contract, chainId: BigInt(params.chain_id), nonce: BigInt(params.nonce) },
        { r: ethers.zeroPadValue(a.r, 32), s: ethers.zeroPadValue(a.s, 32), yParity: a.y_parity },
      );
      assert.equal(viaEthers, wallet.address);
    });
  }
});

describe('raw_sign', () => {
  async function rawSign(params) {
    const response = await apiOk('POST', `/v1/wallets/${wallet.id}/raw_sign`, { params });
    assert.equal(response.method, 'raw_sign');
    assert.equal(response.data.encoding, 'hex');
    assertRsv(response.data.signature);
    return response.data.signature;
  }

  async function assertSigned(digest, signature) {
    assert.equal(ethers.recoverAddress(digest, signature), wallet.address);
    assert.equal(await viemRecoverAddress({ hash: digest, signature }), wallet.address);
  }

  it('{hash}', async () => {
    const hash = hex(crypto.randomBytes(32));
    await assertSigned(hash, await rawSign({ hash }));
  });

  it('{bytes, encoding: utf-8, hash_function: keccak256}', async () => {
    const text = 'raw bytes ✓';
    const signature = await rawSign({ bytes: text, encoding: 'utf-8', hash_function: 'keccak256' });
    assert.equal(ethers.keccak256(ethers.toUtf8Bytes(text)), viemKeccak256(toBytes(text)));
    await assertSigned(ethers.keccak256(ethers.toUtf8Bytes(text)), signature);
  });

  it('{bytes, encoding: utf-8, hash_function: sha256}', async () => {
    const text = 'sha me';
    const signature = await rawSign({ bytes: text, encoding: 'utf-8', hash_function: 'sha256' });
    await assertSigned(ethers.sha256(ethers.toUtf8Bytes(text)), signature);
  });

  it('{bytes, encoding: hex, hash_function: keccak256} with and without 0x', async () => {
    const bytes = crypto.randomBytes(45);
    const digest = ethers.keccak256(bytes);
    await assertSigned(digest, await rawSign({ bytes: hex(bytes), encoding: 'hex', hash_function: 'keccak256' }));
    await assertSigned(digest, await rawSign({ bytes: bytes.toString('hex'), encoding: 'hex', hash_function: 'keccak256' }));
  });

  it('{bytes, encoding: hex, hash_function: sha256}', async () => {
    const bytes = crypto.randomBytes(20);
    const signature = await rawSign({ bytes: hex(bytes), encoding: 'hex', hash_function: 'sha256' });
    assert.equal(ethers.sha256(bytes), viemSha256(bytes));
    await assertSigned(ethers.sha256(bytes), signature);
  });
});

describe('invalid requests give 4xx {error, code}', () => {
  const cases = [
    ['unknown method', 'rpc', { method: 'eth_frobnicate', params: {} }],
    ['personal_sign with malformed hex', 'rpc', { method: 'personal_sign', params: { message: '0xzz', encoding: 'hex' } }],
    ['personal_sign without params', 'rpc', { method: 'personal_sign' }],
    ['personal_sign without encoding', 'rpc', { method: 'personal_sign', params: { message: 'hi' } }],
    ['secp256k1_sign with a short hash', 'rpc', { method: 'secp256k1_sign', params: { hash: '0x1234' } }],
    ['secp256k1_sign with non-hex', 'rpc', { method: 'secp256k1_sign', params: { hash: '0x' + 'zz'.repeat(32) } }],
    ['eth_signTransaction without transaction', 'rpc', { method: 'eth_signTransaction', params: {} }],
    ['eth_signTransaction with a non-numeric quantity', 'rpc',
      { method: 'eth_signTransaction', params: { transaction: { type: 2, chain_id: 1, nonce: 'seven', gas_limit: 21000, max_fee_per_gas: 1, max_priority_fee_per_gas: 1 } } }],
    ['eth_signTypedData_v4 without primary_type', 'rpc',
      { method: 'eth_signTypedData_v4', params: { typed_data: { domain: {}, types: {}, message: {} } } }],
    ['eth_sign7702Authorization without contract', 'rpc', { method: 'eth_sign7702Authorization', params: { chain_id: 1 } }],
    ['missing method', 'rpc', { params: { message: 'hi', encoding: 'utf-8' } }],
    ['raw_sign without params', 'raw_sign', {}],
    ['raw_sign with empty params', 'raw_sign', { params: {} }],
    ['raw_sign with a 31-byte hash', 'raw_sign', { params: { hash: '0x' + '11'.repeat(31) } }],
    ['raw_sign bytes without hash_function', 'raw_sign', { params: { bytes: 'hi', encoding: 'utf-8' } }],
    ['raw_sign with malformed hex bytes', 'raw_sign', { params: { bytes: '0xabc', encoding: 'hex', hash_function: 'keccak256' } }],
  ];
  for (const [label, endpoint, body] of cases) {
    it(label, async () => {
      const r = await api('POST', `/v1/wallets/${wallet.id}/${endpoint}`, body);
      assert.ok(r.status >= 400 && r.status < 500, `expected 4xx, got ${r.status} ${r.text}`);
      assert.ok(isErrorBody(r.json), `expected {error, code}, got ${r.text}`);
    });
  }

  it('body that is not JSON', async () => {
    const r = await api('POST', `/v1/wallets/${wallet.id}/rpc`, '{"method":');
    assert.equal(r.status, 400, r.text);
    assert.ok(isErrorBody(r.json), r.text);
  });

  it('unknown wallet is 404', async () => {
    const r = await api('POST', '/v1/wallets/doesnotexist000000000000/rpc', { method: 'personal_sign', params: { message: 'a', encoding: 'utf-8' } });
    assert.equal(r.status, 404, r.text);
    assert.ok(isErrorBody(r.json), r.text);
  });

  it('wrong app secret is 401 "Invalid app ID or app secret."', async () => {
    const r = await api('GET', `/v1/wallets/${wallet.id}`, undefined, {
      authorization: 'Basic ' + Buffer.from(`${process.env.MANDATE_APP_ID}:privy_app_secret_wrong`).toString('base64'),
    });
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json?.error, 'Invalid app ID or app secret.');
  });
});

// Solana wallets through the real @privy-io/node SDK (only `apiUrl` changes); transactions are built,
// decoded and verified with @solana/kit. Sends go to the local litesvm RPC in MANDATE_SOLANA_RPC_URL
// (devnet's caip2), when that is set.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { PrivyClient, APIError } from '@privy-io/node';
import { createSolanaKitSigner } from '@privy-io/node/solana-kit';
import {
  AccountRole, address, appendTransactionMessageInstructions, compileTransaction, createTransactionMessage,
  getBase58Encoder, getBase64EncodedWireTransaction, getPublicKeyFromAddress, getTransactionDecoder, pipe,
  setTransactionMessageFeePayer, setTransactionMessageLifetimeUsingBlockhash, signatureBytes, verifySignature,
} from '@solana/kit';
import { MANDATE_URL, APP_ID, APP_SECRET, generateP256 } from './helpers.mjs';

const SYSTEM = address('11111111111111111111111111111111');
const RECIPIENT = address('4tFqt2qzaNsnZqcpjPiyqYw9LdRzxaZdX2ewPncYEWLA');
const DEVNET = 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1';
const RPC_URL = process.env.MANDATE_SOLANA_RPC_URL || '';
// A recent-looking blockhash for signing only; the dummy (all ones) asks Mandate to fill it on sends.
const BLOCKHASH = 'cGfHiC6Kgg3FpFZvgwGcswsCRtp4aBP2fzuXRQPizuN';

const privy = new PrivyClient({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: MANDATE_URL });
const auth = (...keys) => ({ authorization_context: { authorization_private_keys: keys.map((k) => k.privateKey) } });

function u32(n) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; }
function u64(n) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; }

function transferTx(from, to, lamports, { version = 'legacy', feePayer = from, blockhash = BLOCKHASH } = {}) {
  const message = pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayer(address(feePayer), m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight: 1000n }, m),
    (m) => appendTransactionMessageInstructions([{
      programAddress: SYSTEM,
      accounts: [{ address: address(from), role: AccountRole.WRITABLE_SIGNER }, { address: to, role: AccountRole.WRITABLE }],
      data: Uint8Array.from([...u32(2), ...u64(lamports)]),
    }], m),
  );
  return compileTransaction(message);
}

async function verifies(addr, bytes, signature) {
  return verifySignature(await getPublicKeyFromAddress(address(addr)), signatureBytes(signature), bytes);
}

async function rejectsWith(status, promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof APIError, `expected an APIError, got ${e}`);
    assert.equal(e.status, status, `expected ${status}, got ${e.status}: ${e.message}`);
    return e;
  }
  assert.fail(`expected a ${status} error, but the call succeeded`);
}

async function rpc(method, params) {
  const response = await fetch(RPC_URL, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

describe('@privy-io/node: Solana wallets', () => {
  const owner = generateP256();
  const agent = generateP256();
  let wallet;

  before(async () => {
    const agentQuorum = await privy.keyQuorums().create({ public_keys: [agent.publicKey], authorization_threshold: 1 });
    const cap = await privy.policies().create({
      version: '1.0', name: 'SOL cap', chain_type: 'solana',
      rules: [{
        name: 'up to 0.001 SOL to one recipient', method: 'signTransaction', action: 'ALLOW',
        conditions: [
          { field_source: 'solana_system_program_instruction', field: 'Transfer.lamports', operator: 'lte', value: '1000000' },
          { field_source: 'solana_system_program_instruction', field: 'Transfer.to', operator: 'in', value: [RECIPIENT] },
        ],
      }, {
        name: 'sends under the cap', method: 'signAndSendTransaction', action: 'ALLOW',
        conditions: [{ field_source: 'solana_system_program_instruction', field: 'Transfer.lamports', operator: 'lte', value: '1000000' }],
      }],
    });
    wallet = await privy.wallets().create({
      chain_type: 'solana', owner: { public_key: owner.publicKey },
      additional_signers: [{ signer_id: agentQuorum.id, override_policy_ids: [cap.id] }],
    });
  });

  it('create returns a Solana wallet whose address is its base58 ed25519 public key', async () => {
    assert.equal(wallet.chain_type, 'solana');
    assert.equal(getBase58Encoder().encode(wallet.address).length, 32);
    await getPublicKeyFromAddress(address(wallet.address)); // a valid ed25519 point
    const listed = [];
    for await (const w of privy.wallets().list({ chain_type: 'solana' })) listed.push(w);
    assert.ok(listed.some((w) => w.id === wallet.id));
    assert.ok(listed.every((w) => w.chain_type === 'solana'));
  });

  it('signMessage: ed25519 over the raw bytes, for Uint8Array and base64 input', async () => {
    const bytes = new TextEncoder().encode('hello, Privy!');
    const { signature, encoding } = await privy.wallets().solana().signMessage(wallet.id, { message: bytes, ...auth(owner) });
    assert.equal(encoding, 'base64');
    assert.ok(await verifies(wallet.address, bytes, Buffer.from(signature, 'base64')));
    const again = await privy.wallets().solana().signMessage(wallet.id, { message: Buffer.from(bytes).toString('base64'), ...auth(owner) });
    assert.equal(again.signature, signature, 'ed25519 is deterministic');
  });

  for (const version of ['legacy', 0]) {
    it(`signTransaction (${version}): the wallet's slot is signed over the exact message bytes`, async () => {
      const tx = transferTx(wallet.address, RECIPIENT, 5000, { version });
      const { signed_transaction, encoding } = await privy.wallets().solana().signTransaction(wallet.id, {
        transaction: getBase64EncodedWireTransaction(tx), ...auth(owner) });
      assert.equal(encoding, 'base64');
      const signed = getTransactionDecoder().decode(Buffer.from(signed_transaction, 'base64'));
      assert.deepEqual(Buffer.from(signed.messageBytes), Buffer.from(tx.messageBytes));
      assert.ok(await verifies(wallet.address, tx.messageBytes, signed.signatures[wallet.address]));
    });
  }

  it('signTransaction when the app pays the fee: the wallet signs its own slot, the payer slot stays empty', async () => {
    const payer = 'US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx';
    const tx = transferTx(wallet.address, RECIPIENT, 5000, { feePayer: payer });
    const signer = createSolanaKitSigner(privy, { walletId: wallet.id, address: address(wallet.address), authorizationContext: auth(owner).authorization_context });
    const [dictionary] = await signer.signTransactions([tx]);
    assert.ok(await verifies(wallet.address, tx.messageBytes, dictionary[wallet.address]));
  });

  it('a signer held to a transfer cap: allowed under it, policy_violation over it or to another recipient', async () => {
    const under = transferTx(wallet.address, RECIPIENT, 1_000_000, { version: 0 });
    await privy.wallets().solana().signTransaction(wallet.id, { transaction: getBase64EncodedWireTransaction(under), ...auth(agent) });
    const over = transferTx(wallet.address, RECIPIENT, 1_000_001, { version: 0 });
    const e = await rejectsWith(400, privy.wallets().solana().signTransaction(wallet.id, {
      transaction: getBase64EncodedWireTransaction(over), ...auth(agent) }));
    assert.equal(e.error.code, 'policy_violation');
    const elsewhere = transferTx(wallet.address, address('US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx'), 10, {});
    assert.equal((await rejectsWith(400, privy.wallets().solana().signTransaction(wallet.id, {
      transaction: getBase64EncodedWireTransaction(elsewhere), ...auth(agent) }))).error.code, 'policy_violation');
  });

  it('bad input and transactions the wallet need not sign are 400 invalid_data', async () => {
    for (const transaction of ['not base64!', 'AAAA']) {
      const e = await rejectsWith(400, privy.wallets().solana().signTransaction(wallet.id, { transaction, ...auth(owner) }));
      assert.equal(e.error.code, 'invalid_data');
    }
    const notMine = transferTx('US517G5965aydkZ46HS38QLi7UQiSojurfbQfKCELFx', RECIPIENT, 1);
    const e = await rejectsWith(400, privy.wallets().solana().signTransaction(wallet.id, {
      transaction: getBase64EncodedWireTransaction(notMine), ...auth(owner) }));
    assert.match(e.error.error, /required signers/);
    await rejectsWith(401, privy.wallets().solana().signMessage(wallet.id, { message: 'aGk=' }));
  });

  it('signAndSendTransaction with the dummy blockhash lands on the cluster', { skip: !RPC_URL && 'MANDATE_SOLANA_RPC_URL is not set' }, async () => {
    await rpc('requestAirdrop', [wallet.address, 1_000_000_000]);
    const before = (await rpc('getBalance', [RECIPIENT])).value;
    const tx = transferTx(wallet.address, RECIPIENT, 950_000, { blockhash: SYSTEM });
    const signer = createSolanaKitSigner(privy, { walletId: wallet.id, address: address(wallet.address),
      authorizationContext: auth(agent).authorization_context, caip2: DEVNET });
    const [signature] = await signer.signAndSendTransactions([tx]);
    assert.equal(signature.length, 64);
    assert.equal((await rpc('getBalance', [RECIPIENT])).value, before + 950_000);
    const over = transferTx(wallet.address, RECIPIENT, 2_000_000, { blockhash: SYSTEM });
    const e = await rejectsWith(400, privy.wallets().solana().signAndSendTransaction(wallet.id, {
      transaction: getBase64EncodedWireTransaction(over), caip2: DEVNET, ...auth(agent) }));
    assert.equal(e.error.code, 'policy_violation');
  });
});

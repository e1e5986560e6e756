// Users, user-owned wallets, signers and policies through the real @privy-io/node SDK (raw fetch only
// where the SDK has no call): the "offline actions" recipe from the signer docs. A user owns a wallet
// (the user signs with a session key the SDK gets from the user's JWT), the app's signer is added
// with an override policy, its requests are held to that policy and explained when denied, and the
// owner finally removes it. Every wallet signature is checked with ethers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as ethers from 'ethers';
import { PrivyClient, APIError } from '@privy-io/node';
import { PrivyClient as ServerAuthClient } from '@privy-io/server-auth';
import { MANDATE_URL, APP_ID, APP_SECRET, api, signedApi, generateP256, randomId } from './helpers.mjs';
import { JwksServer } from './jwks-server.mjs';

const ALLOWED_TO = '0x1111111111111111111111111111111111111111';
const OTHER_TO = '0x2222222222222222222222222222222222222222';
const TOKEN = '0x3333333333333333333333333333333333333333';
const CONTRACT = '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC';
const OTHER_CONTRACT = '0x4444444444444444444444444444444444444444';
const DEAD = '0x000000000000000000000000000000000000dEaD';
const SMALL = 5n * 10n ** 15n; // 0.005 ETH
const LARGE = 2n * 10n ** 16n; // 0.02 ETH
const TOKEN_CAP = 1_000_000n;
const ERC20 = new ethers.Interface(['function transfer(address to, uint256 amount) returns (bool)']);
const TRANSFER_ABI = [{
  type: 'function', name: 'transfer', stateMutability: 'nonpayable',
  inputs: [{ name: 'to', type: 'address' }, { name: 'amount', type: 'uint256' }],
  outputs: [{ name: '', type: 'bool' }],
}];

/** ETH ≤ 0.01 only to ALLOWED_TO; ERC-20 transfer ≤ TOKEN_CAP on TOKEN; typed data for CONTRACT; a time window. */
function scopePolicy(name, start, end, owner) {
  return {
    version: '1.0', name, chain_type: 'ethereum', owner,
    rules: [
      {
        name: 'small ETH to treasury', method: 'eth_signTransaction', action: 'ALLOW', conditions: [
          { field_source: 'ethereum_transaction', field: 'to', operator: 'eq', value: ALLOWED_TO },
          { field_source: 'ethereum_transaction', field: 'value', operator: 'lte', value: '0x2386F26FC10000' },
        ],
      },
      {
        name: 'token transfer cap', method: 'eth_signTransaction', action: 'ALLOW', conditions: [
          { field_source: 'ethereum_transaction', field: 'to', operator: 'eq', value: TOKEN },
          { field_source: 'ethereum_calldata', field: 'transfer.amount', operator: 'lte', value: String(TOKEN_CAP), abi: TRANSFER_ABI },
        ],
      },
      {
        name: 'one verifying contract', method: 'eth_signTypedData_v4', action: 'ALLOW', conditions: [
          { field_source: 'ethereum_typed_data_domain', field: 'verifyingContract', operator: 'eq', value: CONTRACT },
        ],
      },
      {
        name: 'never the burn address', method: '*', action: 'DENY', conditions: [
          { field_source: 'ethereum_transaction', field: 'to', operator: 'eq', value: DEAD },
        ],
      },
      {
        name: 'not before start', method: '*', action: 'DENY', conditions: [
          { field_source: 'system', field: 'current_unix_timestamp', operator: 'lt', value: String(start) },
        ],
      },
      {
        name: 'not after end', method: '*', action: 'DENY', conditions: [
          { field_source: 'system', field: 'current_unix_timestamp', operator: 'gt', value: String(end) },
        ],
      },
    ],
  };
}

function messagesOnly(name, owner) {
  return {
    version: '1.0', name, chain_type: 'ethereum', owner,
    rules: [{ name: 'messages', method: 'personal_sign', action: 'ALLOW', conditions: [] }],
  };
}

function tx(to, value, data = '0x') {
  return {
    type: 2, chain_id: 1, nonce: 0, to, value: '0x' + value.toString(16), data, gas_limit: 60000,
    max_fee_per_gas: '0x3b9aca00', max_priority_fee_per_gas: 1,
  };
}

function typedData(verifyingContract) {
  return {
    domain: { name: 'Orders', version: '1', chainId: 1, verifyingContract },
    types: { Order: [{ name: 'amount', type: 'uint256' }] },
    primary_type: 'Order',
    message: { amount: '5' },
  };
}

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

const keys = (...privateKeys) => ({ authorization_context: { authorization_private_keys: privateKeys } });
const asUser = (jwt) => ({ authorization_context: { user_jwts: [jwt] } });

describe('@privy-io/node: a user-owned wallet, an app signer with an override policy, and the owner revoking it', () => {
  const privy = new PrivyClient({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: MANDATE_URL });
  const eth = () => privy.wallets().ethereum();
  const agent = generateP256(); // the app's signer, held to `scope`
  const helper = generateP256(); // a signer without an override policy
  const messenger = generateP256(); // a signer whose override allows messages only
  const late = generateP256(); // a signer whose policy's time window has ended
  const customUserId = randomId('custom');
  let jwks;
  let jwt;
  let user;
  let wallet;
  let quorums;
  let scope;
  let ownerPolicy;

  before(async () => {
    jwks = await JwksServer.start();
    await jwks.configure();
    jwt = jwks.token(customUserId);
    user = await privy.users().create({
      linked_accounts: [{ type: 'custom_auth', custom_user_id: customUserId }],
      custom_metadata: { plan: 'pro' },
    });
    const owner = { user_id: user.id };
    const now = Math.floor(Date.now() / 1000);
    scope = await privy.policies().create(scopePolicy('agent scope', now - 3600, now + 3600, owner));
    const expired = await privy.policies().create(scopePolicy('ended window', now - 7200, now - 3600, owner));
    const messages = await privy.policies().create(messagesOnly('messenger scope', owner));
    ownerPolicy = await privy.policies().create(messagesOnly('owner: messages only', owner));
    const quorum = (k, display_name) => privy.keyQuorums().create({ public_keys: [k.publicKey], authorization_threshold: 1, display_name });
    quorums = {
      agent: await quorum(agent, 'agent'), helper: await quorum(helper, 'helper'),
      messenger: await quorum(messenger, 'messenger'), late: await quorum(late, 'late'),
    };
    wallet = await privy.wallets().create({ chain_type: 'ethereum', owner, policy_ids: [ownerPolicy.id] });
    quorums.signers = [
      { signer_id: quorums.agent.id, override_policy_ids: [scope.id] },
      { signer_id: quorums.helper.id },
      { signer_id: quorums.messenger.id, override_policy_ids: [messages.id] },
      { signer_id: quorums.late.id, override_policy_ids: [expired.id] },
    ];
  });

  after(() => jwks?.close());

  function walletAccount(u) {
    const found = u.linked_accounts.filter((a) => a.type === 'wallet' && a.id === wallet.id);
    assert.equal(found.length, 1, `the wallet is in linked_accounts once: ${JSON.stringify(u.linked_accounts)}`);
    return found[0];
  }

  /** A 400 policy_violation explained by the deciding rule (or "no rule matched"), for this party and policy. */
  async function denied(promise, { rule, party, policyId }) {
    const e = await rejectsWith(400, promise);
    assert.equal(e.error.code, 'policy_violation');
    assert.equal(e.error.error, 'RPC request denied due to policy violation');
    const d = e.error.policy_decision;
    assert.equal(d?.decision, 'DENY', JSON.stringify(e.error));
    if (rule) {
      assert.equal(d.rule?.name, rule, JSON.stringify(d));
      assert.equal(d.rule.action, 'DENY');
      assert.equal(typeof d.rule.id, 'string');
    } else {
      assert.equal(d.rule, null, JSON.stringify(d));
      assert.match(d.reason, /no rule matched/);
    }
    assert.deepEqual(d.party, party);
    assert.equal(d.policy_id, policyId);
    return d;
  }

  const asAgent = () => ({ party: { type: 'signer', key_quorum_id: quorums.agent.id }, policyId: scope.id });

  it('users().create returns a Privy User with the custom_auth account', () => {
    assert.match(user.id, /^did:privy:/);
    assert.ok(Math.abs(user.created_at - Date.now() / 1000) < 600, 'created_at is in seconds');
    const custom = user.linked_accounts.find((a) => a.type === 'custom_auth');
    assert.equal(custom?.custom_user_id, customUserId);
    assert.deepEqual(user.custom_metadata, { plan: 'pro' });
    assert.equal(user.is_guest, false);
    assert.ok(Array.isArray(user.mfa_methods));
  });

  it('users().create with email and phone accounts; users()._get returns them', async () => {
    const email = `${crypto.randomUUID()}@example.com`;
    const created = await privy.users().create({
      linked_accounts: [{ type: 'email', address: email }, { type: 'phone', number: '+15555550123' }],
    });
    const got = await privy.users()._get(created.id);
    assert.equal(got.id, created.id);
    assert.equal(got.linked_accounts.find((a) => a.type === 'email')?.address, email);
    assert.ok(got.linked_accounts.some((a) => a.type === 'phone'), JSON.stringify(got.linked_accounts));
    await rejectsWith(404, privy.users()._get('did:privy:doesnotexist0000000000000'));
  });

  it('the user-owned wallet is in the user\'s linked_accounts, not delegated while it has no signers', async () => {
    assert.equal(typeof wallet.owner_id, 'string');
    assert.deepEqual(wallet.policy_ids, [ownerPolicy.id]);
    const account = walletAccount(await privy.users()._get(user.id));
    assert.equal(account.address, wallet.address);
    assert.equal(account.chain_type, 'ethereum');
    assert.equal(account.delegated, false);
  });

  it('the app cannot add signers to the user\'s wallet; the owner (user JWT) can', async () => {
    await rejectsWith(401, privy.wallets().update(wallet.id, { additional_signers: quorums.signers }));
    await rejectsWith(401, privy.wallets().update(wallet.id, { additional_signers: quorums.signers, ...keys(agent.privateKey) }));
    const updated = await privy.wallets().update(wallet.id, { additional_signers: quorums.signers, ...asUser(jwt) });
    assert.deepEqual(updated.additional_signers.map((s) => s.signer_id),
      [quorums.agent.id, quorums.helper.id, quorums.messenger.id, quorums.late.id]);
    assert.deepEqual(updated.additional_signers[0].override_policy_ids, [scope.id]);
    assert.equal(updated.owner_id, wallet.owner_id);
  });

  it('users()._get shows the wallet with delegated: true', async () => {
    const u = await privy.users()._get(user.id);
    const delegatedWallets = u.linked_accounts.filter((a) => a.type === 'wallet' && 'id' in a && a.delegated);
    assert.deepEqual(delegatedWallets.map((a) => a.id), [wallet.id]);
    assert.equal(walletAccount(u).address, wallet.address);
  });

  it('server-auth getUserById (GET /api/v1/users/{did}) sees the same linked_accounts', async () => {
    const node = await privy.users()._get(user.id);
    const legacy = await api('GET', `/api/v1/users/${encodeURIComponent(user.id)}`);
    assert.equal(legacy.status, 200, legacy.text);
    assert.deepEqual(legacy.json.linked_accounts, node.linked_accounts);
    const serverAuth = new ServerAuthClient(APP_ID, APP_SECRET, { apiURL: MANDATE_URL, walletApi: { apiURL: MANDATE_URL } });
    const u = await serverAuth.getUserById(user.id);
    assert.equal(u.id, user.id);
    assert.equal(u.linkedAccounts.length, node.linked_accounts.length);
    assert.equal(u.customAuth?.customUserId ?? u.linkedAccounts.find((a) => a.type === 'custom_auth')?.customUserId, customUserId);
    const w = u.linkedAccounts.find((a) => a.type === 'wallet' && a.id === wallet.id);
    assert.ok(w, JSON.stringify(u.linkedAccounts));
    assert.equal(w.address, wallet.address);
    assert.equal(w.chainType, 'ethereum');
    assert.equal(w.delegated, true);
    const delegated = u.linkedAccounts.filter((a) => a.type === 'wallet' && a.delegated === true);
    assert.deepEqual(delegated.map((a) => a.id), [wallet.id]);
  });

  it('the signer signs what its override policy allows (checked with ethers)', async () => {
    const a = await eth().signTransaction(wallet.id, { params: { transaction: tx(ALLOWED_TO, SMALL) }, ...keys(agent.privateKey) });
    const signed = ethers.Transaction.from(a.signed_transaction);
    assert.equal(signed.from, wallet.address);
    assert.equal(signed.to, ethers.getAddress(ALLOWED_TO));
    assert.equal(signed.value, SMALL);

    const data = ERC20.encodeFunctionData('transfer', [ALLOWED_TO, TOKEN_CAP]);
    const b = await eth().signTransaction(wallet.id, { params: { transaction: tx(TOKEN, 0n, data) }, ...keys(agent.privateKey) });
    const transfer = ethers.Transaction.from(b.signed_transaction);
    assert.equal(transfer.from, wallet.address);
    assert.equal(ERC20.decodeFunctionData('transfer', transfer.data)[1], TOKEN_CAP);

    const td = typedData(CONTRACT);
    const c = await eth().signTypedData(wallet.id, { params: { typed_data: td }, ...keys(agent.privateKey) });
    assert.equal(ethers.verifyTypedData(td.domain, td.types, td.message, c.signature), wallet.address);
  });

  it('everything else the signer asks for is a 400 policy_violation naming the rule or "no rule matched"', async () => {
    const sign = (transaction) => eth().signTransaction(wallet.id, { params: { transaction }, ...keys(agent.privateKey) });
    await denied(sign(tx(ALLOWED_TO, LARGE)), asAgent());
    await denied(sign(tx(OTHER_TO, SMALL)), asAgent());
    await denied(sign(tx(TOKEN, 0n, ERC20.encodeFunctionData('transfer', [ALLOWED_TO, TOKEN_CAP + 1n]))), asAgent());
    await denied(sign(tx(OTHER_TO, 0n, ERC20.encodeFunctionData('transfer', [ALLOWED_TO, 1n]))), asAgent());
    await denied(eth().signTypedData(wallet.id, { params: { typed_data: typedData(OTHER_CONTRACT) }, ...keys(agent.privateKey) }), asAgent());
    await denied(eth().signMessage(wallet.id, { message: 'not in scope', ...keys(agent.privateKey) }), asAgent());
    // A hash may be a transaction's digest: the "*" DENY on the recipient cannot rule it out, so it denies.
    await denied(privy.wallets().rawSign(wallet.id, { params: { hash: ethers.hexlify(crypto.randomBytes(32)) }, ...keys(agent.privateKey) }),
      { rule: 'never the burn address', ...asAgent() });
    await denied(sign(tx(DEAD, 1n)), { rule: 'never the burn address', ...asAgent() });
  });

  it('outside its policy\'s time window a signer is denied by the window rule', async () => {
    await denied(eth().signTransaction(wallet.id, { params: { transaction: tx(ALLOWED_TO, SMALL) }, ...keys(late.privateKey) }),
      { rule: 'not after end', party: { type: 'signer', key_quorum_id: quorums.late.id }, policyId: quorums.signers[3].override_policy_ids[0] });
  });

  it('dry_run returns the decision without signing', async () => {
    const ok = await signedApi('POST', `/v1/wallets/${wallet.id}/rpc/dry_run`,
      { method: 'eth_signTransaction', params: { transaction: tx(ALLOWED_TO, SMALL) } }, [agent.privateKey]);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.method, 'eth_signTransaction');
    assert.equal(ok.json.policy_decision.decision, 'ALLOW');
    assert.equal(ok.json.policy_decision.rule.name, 'small ETH to treasury');
    assert.equal(ok.json.data, undefined);
    const no = await signedApi('POST', `/v1/wallets/${wallet.id}/rpc/dry_run`,
      { method: 'eth_signTransaction', params: { transaction: tx(DEAD, SMALL) } }, [agent.privateKey]);
    assert.equal(no.status, 200, no.text);
    assert.equal(no.json.policy_decision.decision, 'DENY');
    assert.equal(no.json.policy_decision.rule.name, 'never the burn address');
    assert.deepEqual(no.json.policy_decision.party, { type: 'signer', key_quorum_id: quorums.agent.id });
  });

  it('an override policy does not leak: other signers are held to their own (or none)', async () => {
    // The helper has no override: no policy applies to it, not the agent's and not the wallet's.
    const big = await eth().signTransaction(wallet.id, { params: { transaction: tx(OTHER_TO, LARGE) }, ...keys(helper.privateKey) });
    assert.equal(ethers.Transaction.from(big.signed_transaction).from, wallet.address);
    const { signature } = await eth().signMessage(wallet.id, { message: 'helper', ...keys(helper.privateKey) });
    assert.equal(ethers.verifyMessage('helper', signature), wallet.address);
    // The messenger may sign messages (its policy) but not what the agent's policy allows.
    const m = await eth().signMessage(wallet.id, { message: 'messenger', ...keys(messenger.privateKey) });
    assert.equal(ethers.verifyMessage('messenger', m.signature), wallet.address);
    await denied(eth().signTransaction(wallet.id, { params: { transaction: tx(ALLOWED_TO, SMALL) }, ...keys(messenger.privateKey) }),
      { party: { type: 'signer', key_quorum_id: quorums.messenger.id }, policyId: quorums.signers[2].override_policy_ids[0] });
  });

  it('the owner (the user, via JWT) is held to the wallet\'s policy', async () => {
    const { signature } = await eth().signMessage(wallet.id, { message: 'from the owner', ...asUser(jwt) });
    assert.equal(ethers.verifyMessage('from the owner', signature), wallet.address);
    await denied(eth().signTransaction(wallet.id, { params: { transaction: tx(ALLOWED_TO, SMALL) }, ...asUser(jwt) }),
      { party: { type: 'owner', key_quorum_id: wallet.owner_id }, policyId: ownerPolicy.id });
  });

  it('the signer cannot PATCH the wallet, change its policy or remove the owner', async () => {
    const a = keys(agent.privateKey);
    await rejectsWith(401, privy.wallets().update(wallet.id, { display_name: 'hijacked', ...a }));
    await rejectsWith(401, privy.wallets().update(wallet.id, { policy_ids: [], ...a }));
    await rejectsWith(401, privy.wallets().update(wallet.id, { additional_signers: [{ signer_id: quorums.agent.id }], ...a }));
    await rejectsWith(401, privy.wallets().update(wallet.id, { owner_id: null, ...a }));
    await rejectsWith(401, privy.wallets().update(wallet.id, { owner: { public_key: agent.publicKey }, ...a }));
    await rejectsWith(401, privy.policies().update(scope.id, { rules: [], ...a }));
    await rejectsWith(401, privy.policies().delete(scope.id, { ...a }));
    await rejectsWith(401, privy.policies().update(scope.id, { rules: [] }));
    const after = await privy.wallets().get(wallet.id);
    assert.equal(after.owner_id, wallet.owner_id);
    assert.deepEqual(after.policy_ids, [ownerPolicy.id]);
    assert.equal(after.additional_signers.length, 4);
    assert.deepEqual(after.additional_signers[0].override_policy_ids, [scope.id]);
    assert.equal((await privy.policies().get(scope.id)).rules.length, 6);
  });

  it('the owner removes the signers: the next signer request is refused and delegated is false', async () => {
    const updated = await privy.wallets().update(wallet.id, { additional_signers: [], ...asUser(jwt) });
    assert.deepEqual(updated.additional_signers, []);
    await rejectsWith(401, eth().signTransaction(wallet.id, { params: { transaction: tx(ALLOWED_TO, SMALL) }, ...keys(agent.privateKey) }));
    await rejectsWith(401, eth().signMessage(wallet.id, { message: 'gone', ...keys(helper.privateKey) }));
    assert.equal(walletAccount(await privy.users()._get(user.id)).delegated, false);
    const serverAuth = new ServerAuthClient(APP_ID, APP_SECRET, { apiURL: MANDATE_URL, walletApi: { apiURL: MANDATE_URL } });
    const w = (await serverAuth.getUserById(user.id)).linkedAccounts.find((a) => a.type === 'wallet' && a.id === wallet.id);
    assert.equal(w.delegated, false);
    // The owner still signs what the wallet's policy allows.
    const { signature } = await eth().signMessage(wallet.id, { message: 'still mine', ...asUser(jwt) });
    assert.equal(ethers.verifyMessage('still mine', signature), wallet.address);
  });
});

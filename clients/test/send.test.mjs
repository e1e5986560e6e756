// eth_sendTransaction through both Privy SDKs against a real local chain (a Hardhat node the Java
// launcher starts; its URL arrives as MANDATE_CHAIN_RPC_URL). Skipped when no chain is configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ethers } from 'ethers';
import { PrivyClient } from '@privy-io/node';
import { PrivyClient as ServerAuthClient } from '@privy-io/server-auth';
import { MANDATE_URL, APP_ID, APP_SECRET } from './helpers.mjs';

const RPC_URL = process.env.MANDATE_CHAIN_RPC_URL;
const CAIP2 = 'eip155:31337';
const skip = RPC_URL ? false : 'MANDATE_CHAIN_RPC_URL is not set (no local chain)';

// No response cache: ethers' default (250 ms) can hand waitForTransaction a block number older than
// the receipt's, after which it waits for a next block that this idle node never mines (a hang seen in
// CI). `mined` polls the receipt itself instead, and gives up with a clear error.
function chain() {
  return new ethers.JsonRpcProvider(RPC_URL, 31337, { cacheTimeout: -1, staticNetwork: true });
}

async function mined(provider, hash, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt) {
      return receipt;
    }
    if (Date.now() > deadline) {
      throw new Error(`transaction ${hash} was not mined within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function fund(provider, address, wei) {
  const [funder] = await provider.send('eth_accounts', []);
  const hash = await provider.send('eth_sendTransaction', [{ from: funder, to: address, value: ethers.toQuantity(wei) }]);
  await mined(provider, hash);
}

test('@privy-io/node sendTransaction fills, signs and broadcasts to the chain', { skip }, async () => {
  const provider = chain();
  const privy = new PrivyClient({ appId: APP_ID, appSecret: APP_SECRET, apiUrl: MANDATE_URL });
  const wallet = await privy.wallets().create({ chain_type: 'ethereum' });
  await fund(provider, wallet.address, ethers.parseEther('1'));
  const to = ethers.Wallet.createRandom().address;

  const sent = await privy.wallets().ethereum().sendTransaction(wallet.id, {
    caip2: CAIP2,
    params: { transaction: { to, value: ethers.toQuantity(ethers.parseEther('0.01')) } },
  });

  assert.match(sent.hash, /^0x[0-9a-f]{64}$/);
  assert.equal(sent.caip2, CAIP2);
  assert.ok(sent.transaction_id);
  const receipt = await mined(provider, sent.hash);
  assert.equal(receipt.status, 1);
  const tx = await provider.getTransaction(sent.hash);
  assert.equal(tx.from, wallet.address);
  assert.equal(await provider.getBalance(to), ethers.parseEther('0.01'));
});

test('@privy-io/server-auth sendTransaction through /api/v1 reaches the chain', { skip }, async () => {
  const provider = chain();
  const client = new ServerAuthClient(APP_ID, APP_SECRET, { apiURL: MANDATE_URL, walletApi: { apiURL: MANDATE_URL } });
  const wallet = await client.walletApi.createWallet({ chainType: 'ethereum' });
  await fund(provider, wallet.address, ethers.parseEther('1'));
  const to = ethers.Wallet.createRandom().address;

  const sent = await client.walletApi.ethereum.sendTransaction({
    walletId: wallet.id,
    caip2: CAIP2,
    transaction: { to, value: ethers.toQuantity(12345n), chainId: 31337 },
  });

  assert.match(sent.hash, /^0x[0-9a-f]{64}$/);
  assert.equal((await mined(provider, sent.hash)).status, 1);
  assert.equal(await provider.getBalance(to), 12345n);
});

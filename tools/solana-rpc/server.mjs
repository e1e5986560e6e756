// A minimal Solana JSON-RPC server over litesvm (an in-process SVM), for tests only.
//   node server.mjs --port <port> [--genesis-hash <base58>]
// Methods: getHealth, getVersion, getGenesisHash, getLatestBlockhash, getBalance, requestAirdrop,
// sendTransaction (base64 or base58), getSignatureStatuses, isBlockhashValid.
// Every successful transaction is "finalized" at once (litesvm has no forks); failed ones are kept
// with their error, as a node reports a transaction that landed and failed.
import http from 'node:http';
import { LiteSVM } from 'litesvm';
import { address, getBase58Decoder, getBase58Encoder, getTransactionDecoder, lamports } from '@solana/kit';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const port = Number(args.port || 8899);
const genesisHash = args['genesis-hash'] || 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG'; // devnet's

const svm = new LiteSVM();
const statuses = new Map(); // base58 signature -> {slot, err}
let slot = 1n;
const b58 = getBase58Decoder();
const b58enc = getBase58Encoder();
const txDecoder = getTransactionDecoder();

function describe(err) {
  if (typeof err !== 'object' || err === null) {
    return String(err);
  }
  const name = err.constructor?.name || 'Error';
  const fields = Object.getOwnPropertyNames(Object.getPrototypeOf(err)).filter((k) => k !== 'constructor')
    .map((k) => { try { const v = typeof err[k] === 'function' ? err[k]() : err[k]; return `${k}=${typeof v === 'object' ? describe(v) : v}`; } catch { return k; } });
  return `${name}(${fields.join(', ')})`;
}

class RpcError extends Error {
  constructor(code, message, data) { super(message); this.code = code; this.data = data; }
}

function decodeWire(encoded, encoding) {
  const bytes = encoding === 'base64' ? Buffer.from(encoded, 'base64') : b58enc.encode(encoded);
  return txDecoder.decode(bytes);
}

const methods = {
  getHealth: () => 'ok',
  getVersion: () => ({ 'solana-core': 'litesvm', 'feature-set': 0 }),
  getGenesisHash: () => genesisHash,
  getSlot: () => Number(slot),
  getLatestBlockhash: () => ({ context: { slot: Number(slot) }, value: { blockhash: svm.latestBlockhash(), lastValidBlockHeight: Number(slot) + 150 } }),
  isBlockhashValid: ([hash]) => ({ context: { slot: Number(slot) }, value: hash === svm.latestBlockhash() }),
  getBalance: ([who]) => ({ context: { slot: Number(slot) }, value: Number(svm.getBalance(address(who)) ?? 0n) }),
  requestAirdrop: ([who, amount]) => {
    const result = svm.airdrop(address(who), lamports(BigInt(amount)));
    if (!result || typeof result.err === 'function') {
      throw new RpcError(-32002, 'airdrop failed');
    }
    const signature = b58.decode(result.signature());
    statuses.set(signature, { slot: Number(slot), err: null });
    return signature;
  },
  sendTransaction: ([encoded, config = {}]) => {
    const tx = decodeWire(encoded, config.encoding || 'base58');
    const result = svm.sendTransaction(tx);
    slot += 1n;
    if (typeof result.err === 'function') {
      const err = result.err();
      const text = describe(err) + ' ' + result.toString();
      // Like a node's preflight: the transaction is refused with the simulation's error.
      throw new RpcError(-32002, 'Transaction simulation failed: ' + text, { err: text, logs: result.meta().logs() });
    }
    const signature = b58.decode(result.signature());
    statuses.set(signature, { slot: Number(slot), err: null });
    svm.expireBlockhash(); // the next transaction gets a fresh blockhash, as on a live cluster
    return signature;
  },
  getSignatureStatuses: ([signatures]) => ({
    context: { slot: Number(slot) },
    value: signatures.map((s) => {
      const status = statuses.get(s);
      return status ? { slot: status.slot, confirmations: null, err: status.err, confirmationStatus: 'finalized',
        status: status.err ? { Err: status.err } : { Ok: null } } : null;
    }),
  }),
};

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    let id = null;
    let reply;
    try {
      const request = JSON.parse(body);
      id = request.id ?? null;
      const method = methods[request.method];
      if (!method) {
        throw new RpcError(-32601, 'Method not found');
      }
      reply = { jsonrpc: '2.0', id, result: method(request.params || []) };
    } catch (e) {
      reply = { jsonrpc: '2.0', id, error: { code: e.code ?? -32603, message: e.message, ...(e.data ? { data: e.data } : {}) } };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply));
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`solana-rpc listening on 127.0.0.1:${port}\n`));

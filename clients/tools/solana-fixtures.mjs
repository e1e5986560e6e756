// Writes Solana wire transactions encoded by @solana/kit, for the enclave's parser and policy tests:
//   node tools/solana-fixtures.mjs > ../enclave/src/test/resources/solana/kit-transactions.json
// Addresses are fixed (32 equal bytes each), so the output is deterministic.
import {
  AccountRole, address, appendTransactionMessageInstructions, compileTransaction,
  compressTransactionMessageUsingAddressLookupTables, createTransactionMessage, getAddressDecoder,
  getBase64EncodedWireTransaction, pipe, setTransactionMessageFeePayer, setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit';

const key = (byte) => getAddressDecoder().decode(new Uint8Array(32).fill(byte));
const WALLET = key(1);
const APP = key(2);
const TO = key(3);
const MINT = key(4);
const SOURCE = key(5);
const DESTINATION = key(6);
const TABLE = key(7);
const BLOCKHASH = key(9);
const SYSTEM = address('11111111111111111111111111111111');
const TOKEN = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
const COMPUTE_BUDGET = address('ComputeBudget111111111111111111111111111111');

function u32(n) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; }
function u64(n) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; }
const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));

const transfer = (from, to, lamports) => ({
  programAddress: SYSTEM,
  accounts: [{ address: from, role: AccountRole.WRITABLE_SIGNER }, { address: to, role: AccountRole.WRITABLE }],
  data: concat(u32(2), u64(lamports)),
});
const transferChecked = (amount, decimals) => ({
  programAddress: TOKEN,
  accounts: [
    { address: SOURCE, role: AccountRole.WRITABLE }, { address: MINT, role: AccountRole.READONLY },
    { address: DESTINATION, role: AccountRole.WRITABLE }, { address: WALLET, role: AccountRole.READONLY_SIGNER },
  ],
  data: concat([12], u64(amount), [decimals]),
});
const computeUnitPrice = (microLamports) => ({ programAddress: COMPUTE_BUDGET, data: concat([3], u64(microLamports)) });

function wire(version, feePayer, instructions, { lookup, blockhash = BLOCKHASH } = {}) {
  let message = pipe(
    createTransactionMessage({ version }),
    (m) => setTransactionMessageFeePayer(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight: 100n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  if (lookup) {
    message = compressTransactionMessageUsingAddressLookupTables(message, lookup);
  }
  return getBase64EncodedWireTransaction(compileTransaction(message));
}

const fixtures = {
  addresses: { wallet: WALLET, app: APP, to: TO, mint: MINT, source: SOURCE, destination: DESTINATION, table: TABLE, blockhash: BLOCKHASH },
  legacy_transfer: wire('legacy', WALLET, [transfer(WALLET, TO, 1_000_000)]),
  legacy_app_pays: wire('legacy', APP, [transfer(WALLET, TO, 2_500_000)]),
  v0_transfer: wire(0, WALLET, [computeUnitPrice(1000), transfer(WALLET, TO, 3_000_000)]),
  v0_transfer_to_lookup: wire(0, WALLET, [transfer(WALLET, TO, 4_000_000)], { lookup: { [TABLE]: [TO] } }),
  v0_token_transfer_checked: wire(0, WALLET, [transferChecked(5_000_000, 6)]),
  legacy_dummy_blockhash: wire('legacy', WALLET, [transfer(WALLET, TO, 7)], { blockhash: SYSTEM }),
  legacy_not_for_wallet: wire('legacy', APP, [transfer(APP, TO, 8)]),
};
process.stdout.write(JSON.stringify(fixtures, null, 2) + '\n');

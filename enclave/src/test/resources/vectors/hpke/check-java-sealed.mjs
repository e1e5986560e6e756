// Opens envelopes sealed by Mandate's Java HpkeSealer the way @privy-io/node does after
// POST /v1/wallets/authenticate, then uses each session key through the SDK's own signer.
// Usage: node check-java-sealed.mjs privy-node-interop.json java-sealed.json > java-sealed-checked.json
import { CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { generateAuthorizationSignature } from './node_modules/@privy-io/node/lib/authorization.mjs';

const fixture = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const sealed = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const suite = new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });
const recipientKey = await suite.kem.deserializePrivateKey(Buffer.from(fixture.recipient_private_key_hex, 'hex'));
const payload = new TextEncoder().encode('mandate hpke interop');

const checked = [];
for (const entry of sealed) {
  // As setupHPKERecipient().decryptPayload and jwt-exchange.ts do.
  const recipient = await suite.createRecipientContext({ recipientKey, enc: Buffer.from(entry.encapsulated_key, 'base64') });
  const authorizationKey = new TextDecoder().decode(await recipient.open(Buffer.from(entry.ciphertext, 'base64')));
  // Node's own PKCS#8 parser must accept it and agree on the public key.
  const privateKey = createPrivateKey({ key: Buffer.from(authorizationKey, 'base64'), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
  if (spki !== entry.session_public_key_spki) throw new Error('public key mismatch');
  // The SDK's signer (importPKCS8PrivateKey: 32 bytes after the first 04 20).
  const signature = generateAuthorizationSignature({ authorizationPrivateKey: authorizationKey, input: payload });
  const publicKey = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
  if (!verify('sha256', payload, publicKey, Buffer.from(signature, 'base64'))) throw new Error('SDK signature does not verify');
  checked.push({ ...entry, sdk_signature_over_payload: signature });
}
console.log(JSON.stringify({ payload_utf8: 'mandate hpke interop', opened_by: '@hpke/core + @privy-io/node generateAuthorizationSignature', entries: checked }, null, 2));

// Writes privy-node-interop.json: HPKE messages produced by an independent implementation
// (@hpke/core, the library @privy-io/node uses) for the Java tests to open and reproduce.
// Run from a directory where `npm i @privy-io/node@0.35.0` was done (see README.md).
import { CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import * as privy from './node_modules/@privy-io/node/lib/cryptography.mjs';

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const hex = (bytes) => Buffer.from(bytes).toString('hex');
// The suite exactly as @privy-io/node builds it in setupHPKERecipient / setupHPKESender.
const suite = new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });

// Recipient: generated and exported the way the SDK does before calling /v1/wallets/authenticate.
const recipient = await suite.kem.generateKeyPair();
const recipientSpki = new Uint8Array(await webcrypto.subtle.exportKey('spki', recipient.publicKey));
const recipientRaw = new Uint8Array(await suite.kem.serializePublicKey(recipient.publicKey));
const recipientSk = new Uint8Array(await suite.kem.serializePrivateKey(recipient.privateKey));

// The plaintext Privy sends: the UTF-8 text of a base64 PKCS#8 P-256 key, from the SDK's own generator.
const sessionKey = await privy.generateP256KeyPair();
const plaintext = new TextEncoder().encode(sessionKey.privateKey);

// 1. Sealed with a random ephemeral key by the SDK's own sender helper.
const sender = await privy.setupHPKESender();
const sealed = await sender.encryptPayload(recipientRaw, plaintext);

// 2. Sealed with an ephemeral key derived from a recorded ikmE (RFC 9180 DeriveKeyPair), so Java
//    must reproduce enc and ciphertext byte for byte.
const ikmE = webcrypto.getRandomValues(new Uint8Array(32));
const ctx = await suite.createSenderContext({ recipientPublicKey: recipient.publicKey, ekm: ikmE.buffer });
const deterministicCt = new Uint8Array(await ctx.seal(plaintext));

const pkg = (name) => JSON.parse(readFileSync(`./node_modules/${name}/package.json`, 'utf8')).version;
console.log(JSON.stringify({
  generator: {
    node: process.version,
    '@privy-io/node': pkg('@privy-io/node'),
    '@hpke/core': pkg('@hpke/core'),
    '@hpke/chacha20poly1305': pkg('@hpke/chacha20poly1305'),
  },
  suite: { mode: 0, kem_id: 16, kdf_id: 1, aead_id: 3, info: '', aad: '' },
  recipient_public_key_spki: b64(recipientSpki),
  recipient_private_key_hex: hex(recipientSk),
  plaintext: sessionKey.privateKey,
  plaintext_public_key_spki: sessionKey.publicKey,
  node_sealed: { encapsulated_key: b64(sealed.encapsulatedKey), ciphertext: b64(sealed.ciphertext) },
  deterministic: { ikm_e_hex: hex(ikmE), encapsulated_key: b64(ctx.enc), ciphertext: b64(deterministicCt) },
}, null, 2));

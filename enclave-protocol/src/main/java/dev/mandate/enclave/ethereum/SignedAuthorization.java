package dev.mandate.enclave.ethereum;

import java.math.BigInteger;

/**
 * An already-signed EIP-7702 authorization carried in a type-4 transaction's authorization list.
 *
 * @param chainId 0 = any chain
 * @param address the contract the authority delegates to
 * @param nonce the authority's nonce
 * @param yParity 0 or 1
 * @param r signature r (up to 256 bits; the network, not the enclave, judges validity)
 * @param s signature s
 */
public record SignedAuthorization(
    BigInteger chainId, EthAddress address, BigInteger nonce, int yParity, BigInteger r, BigInteger s) {

  byte[] encode() {
    return Rlp.encodeList(
        Rlp.encodeQuantity(chainId),
        Rlp.encodeBytes(address.toBytes()),
        Rlp.encodeQuantity(nonce),
        Rlp.encodeQuantity(yParity),
        Rlp.encodeQuantity(r),
        Rlp.encodeQuantity(s));
  }
}

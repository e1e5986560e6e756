// Minimal config for `hardhat node`: the built-in network with chain id 31337, automining,
// EIP-1559 base fees and the default test mnemonic's 20 funded accounts.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      // Behave like a real node: a reverting transaction is mined with status 0 and its hash is
      // returned, rather than eth_sendRawTransaction answering an error.
      throwOnTransactionFailures: false,
    },
  },
};

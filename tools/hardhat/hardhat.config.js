// Minimal config for `hardhat node`: the built-in network with chain id 31337, automining,
// London+ rules (EIP-1559 base fee) and the default test mnemonic's 20 funded accounts.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
    },
  },
};

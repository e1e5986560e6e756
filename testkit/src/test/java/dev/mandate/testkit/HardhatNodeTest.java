package dev.mandate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardhatNodeTest {

  @Test
  void answersOnLoopbackWithChainId31337AndFundedDevAccounts() {
    try (HardhatNode node = HardhatNode.start()) {
      assertThat(node.rpcUrl().getHost()).isEqualTo("127.0.0.1");
      assertThat(node.chainId()).isEqualTo(31337);
      assertThat(node.rpc("eth_chainId", "[]")).contains("\"0x7a69\"");
      assertThat(node.accountPrivateKeys()).hasSize(20)
          .first().isEqualTo("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
      assertThat(node.accountAddresses()).hasSize(20);
      final String balance = node.rpc("eth_getBalance", "[\"" + node.accountAddresses().get(0) + "\",\"latest\"]");
      assertThat(balance).contains("\"0x21e19e0c9bab2400000\""); // 10,000 ETH
    }
  }

  @Test
  void minesOnDemandWhenAutomineIsOff() {
    try (HardhatNode node = HardhatNode.start()) {
      node.setAutomine(false);
      node.mine();
      node.mine();
      assertThat(node.rpc("eth_blockNumber", "[]")).contains("\"0x2\"");
      node.setAutomine(true);
    }
  }

  @Test
  void closeKillsTheProcessTreeAndIsIdempotent() {
    final HardhatNode node = HardhatNode.start();
    final long before = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    node.close();
    node.close();
    final long after = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    assertThat(after).isLessThan(before);
    assertThatThrownBy(() -> node.rpc("eth_chainId", "[]")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void findsTheRepositoryRootFromASubfolder(@TempDir final Path root) throws IOException {
    Files.createDirectories(root.resolve("tools/hardhat"));
    Files.writeString(root.resolve("tools/hardhat/package.json"), "{}");
    final Path nested = Files.createDirectories(root.resolve("shared/target"));

    assertThat(HardhatNode.findRepoRoot(nested)).contains(root);
    assertThat(HardhatNode.findRepoRoot(root.getParent())).isEmpty();
  }

  @Test
  void treatsAProjectWithoutInstalledModulesAsNotInstalled(@TempDir final Path project) {
    assertThat(HardhatNode.isInstalled(project)).isFalse();
  }
}

package dev.mandate.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainsTest {

  @Test
  void readsOneRpcUrlPerChainFromSettings() {
    final Map<String, String> env = Map.of(
        "MANDATE_RPC_URL_EIP155_31337", "http://127.0.0.1:8545",
        "MANDATE_RPC_URL_EIP155_8453", "https://base.example/v2/key",
        "MANDATE_OTHER", "x");

    final Map<Long, URI> urls = Chains.parse(env.keySet(), name -> Optional.ofNullable(env.get(name)));

    assertThat(urls).containsOnly(
        Map.entry(31337L, URI.create("http://127.0.0.1:8545")),
        Map.entry(8453L, URI.create("https://base.example/v2/key")));
  }

  @Test
  void fromEnvironmentSeesSystemProperties() {
    System.setProperty("MANDATE_RPC_URL_EIP155_424242", "http://127.0.0.1:1");
    try {
      final Chains chains = Chains.fromEnvironment();

      assertThat(chains.forChainId(424242)).isPresent();
      assertThat(chains.forChainId(424243)).isEmpty();
      assertThat(chains.chainIds()).contains(424242L);
    } finally {
      System.clearProperty("MANDATE_RPC_URL_EIP155_424242");
    }
  }

  @Test
  void refusesASettingWhoseSuffixIsNotAChainId() {
    final Set<String> names = Set.of("MANDATE_RPC_URL_EIP155_base");

    assertThatThrownBy(() -> Chains.parse(names, name -> Optional.of("http://127.0.0.1:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MANDATE_RPC_URL_EIP155_base");
  }

  @Test
  void refusesANonHttpUrlWithoutEchoingIt() {
    final Set<String> names = Set.of("MANDATE_RPC_URL_EIP155_1");

    assertThatThrownBy(() -> Chains.parse(names, name -> Optional.of("ftp://secret@host/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MANDATE_RPC_URL_EIP155_1")
        .hasMessageNotContaining("secret");
  }

  @Test
  void buildsClientsFromAMap() {
    final Chains chains = new Chains(Map.of(1L, URI.create("https://eth.example/"), 10L, URI.create("https://op.example/")));

    assertThat(chains.chainIds()).containsExactly(1L, 10L);
    assertThat(chains.forChainId(10)).hasValueSatisfying(c -> assertThat(c.endpointLabel()).isEqualTo("https://op.example"));
  }

  @Test
  void parsesEip155Caip2() {
    assertThat(Chains.chainIdFromCaip2("eip155:31337")).isEqualTo(31337L);
    assertThat(Chains.chainIdFromCaip2("eip155:1")).isEqualTo(1L);
    assertThat(Chains.caip2(8453)).isEqualTo("eip155:8453");
  }

  @Test
  void refusesMalformedCaip2NamingTheField() {
    for (final String bad : new String[] {
        "eip155:", "eip155:0", "eip155:01", "eip155:-1", "eip155:0x1", "eip155:1 ", "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
        "EIP155:1", "eip155:99999999999999999999", "31337", ""}) {
      assertThatThrownBy(() -> Chains.chainIdFromCaip2(bad)).as(bad)
          .isInstanceOf(InvalidCaip2Exception.class).hasMessageContaining("caip2");
    }
    assertThatThrownBy(() -> Chains.chainIdFromCaip2(null)).isInstanceOf(InvalidCaip2Exception.class);
  }
}

package dev.mandate.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JsonRpcClientTest {

  @Test
  void returnsTheResultAndSendsPositionalParams() {
    try (StubNode node = new StubNode().result("eth_getBalance", "\"0x2a\"")) {
      assertThat(node.client().call("eth_getBalance", "0xabc", "latest").textValue()).isEqualTo("0x2a");

      assertThat(node.requests().get(0).get("params").toString()).isEqualTo("[\"0xabc\",\"latest\"]");
      assertThat(node.requests().get(0).get("jsonrpc").asText()).isEqualTo("2.0");
    }
  }

  @Test
  void returnsANullNodeForANullResult() {
    try (StubNode node = new StubNode().result("eth_getTransactionReceipt", "null")) {
      assertThat(node.client().call("eth_getTransactionReceipt", "0x01").isNull()).isTrue();
    }
  }

  @Test
  void turnsAnErrorObjectIntoJsonRpcExceptionWithCodeMessageAndData() {
    try (StubNode node = new StubNode().error("eth_call", 3, "execution reverted")) {
      assertThatThrownBy(() -> node.client().call("eth_call"))
          .isInstanceOfSatisfying(JsonRpcException.class, e -> {
            assertThat(e.code()).isEqualTo(3);
            assertThat(e.getMessage()).isEqualTo("execution reverted");
            assertThat(e.data()).hasValueSatisfying(d -> assertThat(d.asText()).isEqualTo("0xdead"));
          });
    }
  }

  @Test
  void readsErrorObjectsSentWithAnHttpErrorStatus() {
    try (StubNode node = new StubNode().raw(400,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"nonce too low\"}}")) {
      assertThatThrownBy(() -> node.client().call("eth_sendRawTransaction", "0x00"))
          .isInstanceOf(JsonRpcException.class).hasMessage("nonce too low");
    }
  }

  @Test
  void reportsNonJsonRpcAnswersAsUnavailableWithoutTheUrlsSecretPath() {
    try (StubNode node = new StubNode().raw(502, "<html>bad gateway</html>")) {
      assertThatThrownBy(() -> node.client().call("eth_chainId"))
          .isInstanceOf(ChainUnavailableException.class)
          .hasMessageContaining("HTTP 502")
          .hasMessageNotContaining("secret-api-key");
    }
  }

  @Test
  void reportsAnUnreachableNodeAsUnavailable() throws IOException {
    final int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    final JsonRpcClient client = JsonRpcClient.builder(URI.create("http://127.0.0.1:" + port + "/key"))
        .timeout(Duration.ofSeconds(2)).build();

    assertThatThrownBy(() -> client.call("eth_chainId"))
        .isInstanceOf(ChainUnavailableException.class)
        .hasMessageContaining("http://127.0.0.1:" + port)
        .hasMessageNotContaining("/key");
  }

  @Test
  void refusesNonHttpEndpoints() {
    assertThatThrownBy(() -> JsonRpcClient.of(URI.create("file:///etc/passwd")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labelsTheEndpointBySchemeHostAndPortOnly() {
    assertThat(JsonRpcClient.of(URI.create("https://eth.example:8443/v2/KEY?x=1")).endpointLabel())
        .isEqualTo("https://eth.example:8443");
  }
}

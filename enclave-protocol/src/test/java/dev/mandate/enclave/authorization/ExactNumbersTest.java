package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10, attack 3: numbers the canonical form would round are refused, naming the field. */
class ExactNumbersTest {
  private static final Map<String, String> HEADERS = Map.of("privy-app-id", "app");

  private static AuthorizationPayload payload(final String body) {
    return AuthorizationPayload.of("POST", "https://api.example/v1/wallets/w/rpc", body, HEADERS);
  }

  @Test
  void twoBodiesThatDifferOnlyBeyond2To53WouldShareOneSignature() {
    // What a relay could do if these were accepted: both canonicalize to the same signed bytes.
    final String canonicalA = new String(Jcs.canonicalize("{\"value\":9007199254740993}"), StandardCharsets.UTF_8);
    final String canonicalB = new String(Jcs.canonicalize("{\"value\":9007199254740992}"), StandardCharsets.UTF_8);
    assertThat(canonicalA).isEqualTo(canonicalB);
  }

  @Test
  void refusesIntegersAbove2To53NamingTheField() {
    assertThatThrownBy(() -> payload("{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"value\":9007199254740993}}}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("params.transaction.value is a JSON number that cannot be signed exactly");
    assertThatThrownBy(() -> payload("{\"params\":{\"typed_data\":{\"message\":{\"ids\":[1,123456789012345678901234567890]}}}}"))
        .hasMessageStartingWith("params.typed_data.message.ids[1] ");
    assertThatThrownBy(() -> payload("{\"a\":-9007199254740993}")).hasMessageStartingWith("a ");
    assertThatThrownBy(() -> payload("{\"a\":1e300}")).hasMessageStartingWith("a ");
  }

  @Test
  void refusesNumbersWhoseDoubleIsNotWhatWasWritten() {
    assertThatThrownBy(() -> payload("{\"a\":1.00000000000000000001}")).hasMessageStartingWith("a ");
    assertThatThrownBy(() -> payload("{\"a\":1e400}")).hasMessageStartingWith("a ");
    assertThatThrownBy(() -> payload("{\"a\":0.30000000000000000001}")).hasMessageStartingWith("a ");
    // Found by fuzzing: an exponent BigDecimal cannot hold threw NumberFormatException (a 500).
    assertThatThrownBy(() -> payload("{\"a\":7E010000795739}")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void acceptsNumbersTheCanonicalFormCarriesExactly() {
    for (final String ok : new String[] {"{\"a\":9007199254740992}", "{\"a\":-9007199254740992}", "{\"a\":0.1}",
        "{\"a\":1.5e3}", "{\"a\":1E-7}", "{\"a\":0}", "{\"a\":-0.0}", "{\"a\":\"123456789012345678901234567890\"}"}) {
      assertThatCode(() -> payload(ok)).as(ok).doesNotThrowAnyException();
    }
  }
}

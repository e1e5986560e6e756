package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import java.util.Base64;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class SignatureHeaderTest {
  private static final String A = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
  private static final String B = Base64.getEncoder().encodeToString(new byte[] {4, 5, 6, 7});

  @Test
  void treatsMissingAndEmptyHeadersAsAbsent() {
    for (final String value : new String[] {null, "", "   ", ",", " , ,"}) {
      assertThat(SignatureHeader.parse(value)).as("'%s'", value).isEmpty();
    }
  }

  @Test
  void splitsOnCommasAndTrimsSpaces() {
    final SignatureHeader header = SignatureHeader.parse(" " + A + " , " + B + ",").orElseThrow();

    assertThat(header.size()).isEqualTo(2);
    assertThat(header.signatures()).containsExactly(new byte[] {1, 2, 3}, new byte[] {4, 5, 6, 7});
  }

  @Test
  void keepsTheSdkJoinedFormAsIs() {
    assertThat(SignatureHeader.parse(A + "," + B).orElseThrow().size()).isEqualTo(2);
  }

  @Test
  void refusesNonStandardBase64() {
    assertThatThrownBy(() -> SignatureHeader.parse("MEUC-_x"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("privy-authorization-signature");
  }

  @Test
  void refusesMoreThanTwentySignatures() {
    final String twentyOne = String.join(",", Collections.nCopies(21, A));

    assertThat(SignatureHeader.parse(String.join(",", Collections.nCopies(20, A))).orElseThrow().size()).isEqualTo(20);
    assertThatThrownBy(() -> SignatureHeader.parse(twentyOne)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void refusesASignatureOverOneKilobyte() {
    final String large = Base64.getEncoder().encodeToString(new byte[1025]);

    assertThat(SignatureHeader.parse(Base64.getEncoder().encodeToString(new byte[1024]))).isPresent();
    assertThatThrownBy(() -> SignatureHeader.parse(large)).isInstanceOf(InvalidRequestException.class);
  }
}

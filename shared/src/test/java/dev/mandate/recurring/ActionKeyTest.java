package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActionKeyTest {
  private static final ActionKey KEY = new ActionKey("kms", "arn:aws:kms:us-east-1:000000000000:key/k1", "MFkw");

  @Test
  void roundTripsThroughJson() {
    assertThat(KEY.toJson()).isEqualTo(
        "{\"kind\":\"kms\",\"reference\":\"arn:aws:kms:us-east-1:000000000000:key/k1\",\"public_key\":\"MFkw\"}");
    assertThat(ActionKey.fromJson(KEY.toJson())).isEqualTo(KEY);
  }

  @Test
  void rejectsUnknownKindsAndMissingFields() {
    assertThatThrownBy(() -> new ActionKey("hsm", "r", "p")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kms or dev");
    assertThatThrownBy(() -> new ActionKey("dev", " ", "p")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference");
    assertThatThrownBy(() -> ActionKey.fromJson("{\"kind\":\"dev\",\"reference\":\"r\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("public_key");
    assertThatThrownBy(() -> ActionKey.fromJson("{\"kind\":\"dev\",\"reference\":1,\"public_key\":\"p\"}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference");
    assertThatThrownBy(() -> ActionKey.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringLeavesOutTheReference() {
    assertThat(new ActionKey("dev", "da1:secret-wrapped-bytes", "MFkw").toString())
        .contains("MFkw").doesNotContain("secret-wrapped-bytes");
  }
}

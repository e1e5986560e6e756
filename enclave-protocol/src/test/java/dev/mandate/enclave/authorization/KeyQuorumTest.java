package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KeyQuorumTest {
  private static final P256PublicKey K1 = TestSigner.generate().publicKey();
  private static final P256PublicKey K2 = TestSigner.generate().publicKey();

  @Test
  void needsAllMembersWhenThresholdIsNull() {
    final KeyQuorum child = KeyQuorum.ofKeys("c", List.of(K1), 1);

    assertThat(KeyQuorum.of("q", List.of(K1, K2), List.of("did:privy:u"), List.of(child), null).requiredApprovals())
        .isEqualTo(4);
  }

  @Test
  void refusesThresholdsOutsideOneToMemberCount() {
    assertThatThrownBy(() -> KeyQuorum.ofKeys("q", List.of(K1, K2), 0)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> KeyQuorum.ofKeys("q", List.of(K1, K2), 3)).isInstanceOf(InvalidRequestException.class);
    assertThat(KeyQuorum.ofKeys("q", List.of(K1, K2), 2).requiredApprovals()).isEqualTo(2);
  }

  @Test
  void refusesAQuorumWithoutMembers() {
    assertThatThrownBy(() -> KeyQuorum.of("q", List.of(), List.of(), List.of(), null))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void refusesDuplicateMembers() {
    assertThatThrownBy(() -> KeyQuorum.ofKeys("q", List.of(K1, K1), 1)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> KeyQuorum.of("q", List.of(), List.of("u", "u"), List.of(), 1))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void refusesNestingDeeperThanOneLevel() {
    final KeyQuorum child = KeyQuorum.of("c", List.of(K1), List.of(), List.of(KeyQuorum.ofKeys("g", List.of(K2), 1)), 1);

    assertThatThrownBy(() -> KeyQuorum.of("q", List.of(K2), List.of(), List.of(child), 1))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("nested");
  }

  @Test
  void refusesMoreThanFiveChildren() {
    final List<KeyQuorum> six = IntStream.range(0, 6).mapToObj(i -> KeyQuorum.ofKeys("c" + i, List.of(K1), 1)).toList();

    assertThat(KeyQuorum.of("q", List.of(), List.of(), six.subList(0, 5), 1).memberCount()).isEqualTo(5);
    assertThatThrownBy(() -> KeyQuorum.of("q", List.of(), List.of(), six, 1)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void copiesItsLists() {
    final List<P256PublicKey> keys = new java.util.ArrayList<>(List.of(K1));
    final KeyQuorum quorum = KeyQuorum.ofKeys("q", keys, null);
    keys.add(K2);

    assertThat(quorum.keys()).containsExactly(K1);
    assertThat(quorum.userIds()).isEqualTo(Collections.emptyList());
  }
}

package dev.mandate.enclave.solana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The parser against wire transactions encoded by @solana/kit (clients/tools/solana-fixtures.mjs). */
class SolanaTransactionTest {
  static final JsonNode KIT = Ed25519VectorsTest.resource("/solana/kit-transactions.json");
  static final String WALLET = KIT.path("addresses").path("wallet").asText();
  static final String APP = KIT.path("addresses").path("app").asText();
  static final String TO = KIT.path("addresses").path("to").asText();

  static byte[] bytes(final String name) {
    return Base64.getDecoder().decode(KIT.path(name).asText());
  }

  static SolanaTransaction tx(final String name) {
    return SolanaTransaction.parse(bytes(name));
  }

  @Test
  void aLegacyTransferParsesAndRoundTripsByteForByte() {
    final SolanaTransaction tx = tx("legacy_transfer");
    final SolanaMessage m = tx.message();
    assertThat(m.versioned()).isFalse();
    assertThat(m.feePayer()).isEqualTo(WALLET);
    assertThat(m.signers()).containsExactly(WALLET);
    assertThat(m.staticKeys()).containsExactly(WALLET, TO, Programs.SYSTEM);
    assertThat(m.recentBlockhash()).isEqualTo(KIT.path("addresses").path("blockhash").asText());
    assertThat(m.instructions()).hasSize(1);
    assertThat(Programs.system(m, m.instructions().get(0), "Transfer.lamports")).isEqualTo(new Programs.Known("1000000", true));
    assertThat(Programs.system(m, m.instructions().get(0), "Transfer.to")).isEqualTo(new Programs.Known(TO, false));
    assertThat(tx.toBytes()).isEqualTo(bytes("legacy_transfer"));
  }

  @Test
  void theWalletNeedNotPayTheFeeAndItsSlotIsFoundAndFilledAlone() {
    final SolanaTransaction tx = tx("legacy_app_pays");
    assertThat(tx.message().feePayer()).isEqualTo(APP);
    assertThat(tx.message().signerSlot(WALLET)).contains(1);
    final byte[] cosignature = new byte[64];
    Arrays.fill(cosignature, (byte) 7);
    try (Ed25519PrivateKey key = Ed25519PrivateKey.generate()) {
      final byte[] mine = key.sign(tx.message().bytes());
      final SolanaTransaction signed = tx.withSignature(0, cosignature).withSignature(1, mine);
      final SolanaTransaction again = SolanaTransaction.parse(signed.toBytes());
      assertThat(again.signature(0)).isEqualTo(cosignature);
      assertThat(again.signature(1)).isEqualTo(mine);
      assertThat(again.message().bytes()).isEqualTo(tx.message().bytes());
    }
    assertThat(tx("legacy_not_for_wallet").message().signerSlot(WALLET)).isEmpty();
  }

  @Test
  void v0MessagesWithAndWithoutLookupsParse() {
    final SolanaMessage plain = tx("v0_transfer").message();
    assertThat(plain.versioned()).isTrue();
    assertThat(plain.lookups()).isEmpty();
    assertThat(plain.instructions()).hasSize(2);
    assertThat(Programs.system(plain, plain.instructions().get(0), "instructionName")).isInstanceOf(Programs.Absent.class);
    assertThat(Programs.system(plain, plain.instructions().get(1), "instructionName")).isEqualTo(new Programs.Known("Transfer", false));

    final SolanaMessage lookedUp = tx("v0_transfer_to_lookup").message();
    assertThat(lookedUp.lookups()).hasSize(1);
    assertThat(lookedUp.lookups().get(0).table()).isEqualTo(KIT.path("addresses").path("table").asText());
    assertThat(lookedUp.staticKeys()).doesNotContain(TO);
    final Instruction transfer = lookedUp.instructions().get(0);
    assertThat(Programs.system(lookedUp, transfer, "Transfer.lamports")).isEqualTo(new Programs.Known("4000000", true));
    assertThat(Programs.system(lookedUp, transfer, "Transfer.to"))
        .isEqualTo(new Programs.Hidden(KIT.path("addresses").path("table").asText()));
    assertThat(Programs.system(lookedUp, transfer, "Transfer.from")).isEqualTo(new Programs.Known(WALLET, false));
  }

  @Test
  void tokenTransferCheckedFieldsAreRead() {
    final SolanaMessage m = tx("v0_token_transfer_checked").message();
    final Instruction ix = m.instructions().get(0);
    final JsonNode a = KIT.path("addresses");
    assertThat(Programs.token(m, ix, "instructionName")).isEqualTo(new Programs.Known("TransferChecked", false));
    assertThat(Programs.token(m, ix, "TransferChecked.amount")).isEqualTo(new Programs.Known("5000000", true));
    assertThat(Programs.token(m, ix, "TransferChecked.mint")).isEqualTo(new Programs.Known(a.path("mint").asText(), false));
    assertThat(Programs.token(m, ix, "TransferChecked.source")).isEqualTo(new Programs.Known(a.path("source").asText(), false));
    assertThat(Programs.token(m, ix, "TransferChecked.destination"))
        .isEqualTo(new Programs.Known(a.path("destination").asText(), false));
    assertThat(Programs.token(m, ix, "TransferChecked.authority")).isEqualTo(new Programs.Known(WALLET, false));
    assertThat(Programs.token(m, ix, "Transfer.amount")).isInstanceOf(Programs.Absent.class);
    assertThat(Programs.system(m, ix, "instructionName")).isInstanceOf(Programs.Absent.class);
  }

  @Test
  void aDummyBlockhashIsSeenAndReplacedWithoutTouchingAnythingElse() {
    final SolanaTransaction tx = tx("legacy_dummy_blockhash");
    assertThat(tx.message().hasDummyBlockhash()).isTrue();
    final byte[] blockhash = new byte[32];
    Arrays.fill(blockhash, (byte) 9);
    final SolanaMessage filled = tx.message().withBlockhash(blockhash);
    assertThat(filled.recentBlockhash()).isEqualTo(KIT.path("addresses").path("blockhash").asText());
    assertThat(filled.instructions()).hasSize(1);
    assertThat(filled.staticKeys()).isEqualTo(tx.message().staticKeys());
    assertThat(filled.bytes().length).isEqualTo(tx.message().bytes().length);
  }

  @Test
  void malformedTransactionsAreRefusedWithAReason() {
    final byte[] good = bytes("legacy_transfer");
    assertThatThrownBy(() -> SolanaTransaction.parse(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(MalformedTransactionException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> SolanaTransaction.parse(Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(MalformedTransactionException.class).hasMessageContaining("ends inside");
    assertThatThrownBy(() -> SolanaTransaction.parse(new byte[0])).isInstanceOf(MalformedTransactionException.class);
    assertThatThrownBy(() -> SolanaTransaction.parse(new byte[1300])).hasMessageContaining("at most 1232");
    // Two signature slots for a message that requires one.
    final byte[] twoSlots = new byte[good.length + 64];
    twoSlots[0] = 2;
    System.arraycopy(good, 1, twoSlots, 65, good.length - 1);
    assertThatThrownBy(() -> SolanaTransaction.parse(twoSlots)).hasMessageContaining("requires 1");
    // An instruction naming an account beyond the message's.
    final byte[] badIndex = good.clone();
    badIndex[badIndex.length - 14] = 9; // second account index of the transfer
    assertThatThrownBy(() -> SolanaTransaction.parse(badIndex)).hasMessageContaining("names account 9");
    // A message version other than legacy and v0.
    final byte[] v1 = bytes("v0_transfer");
    v1[65] = (byte) 0x81;
    assertThatThrownBy(() -> SolanaTransaction.parse(v1)).hasMessageContaining("version 1");
  }
}

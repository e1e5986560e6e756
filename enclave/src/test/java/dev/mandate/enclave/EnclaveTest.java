package dev.mandate.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.enclave.ethereum.Secp256k1PublicKey;
import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.enclave.ethereum.RecoverableSignature;
import dev.mandate.enclave.ethereum.Hex;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.KmsAdmin;
import dev.mandate.enclave.keys.KmsKeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.enclave.protocol.CreateSealKey;
import dev.mandate.enclave.protocol.EnclaveResponse;
import dev.mandate.enclave.protocol.EnclaveTransport;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.protocol.Refused;
import dev.mandate.enclave.protocol.SealKeyCreated;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.protocol.SerializingTransport;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.MotoServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The enclave through its message protocol, in process and across a byte boundary, with the dev key
 * wrapper and with KMS (moto): wallets are created and signed with, and a wrapped key moved onto
 * another wallet's record never unwraps — even when the record itself carries a valid seal.
 */
class EnclaveTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "enclavetestapp0000000001";
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hello\",\"encoding\":\"utf-8\"}}";

  @TempDir
  static Path dir;
  private static MotoServer moto;
  private static KmsClient kms;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
    kms = AwsTestClients.configure(KmsClient.builder(), moto.endpoint());
  }

  @AfterAll
  static void stopMoto() {
    kms.close();
    moto.close();
  }

  static Stream<Arguments> setups() {
    final KeyWrapper dev = DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build();
    final KeyWrapper viaKms = KmsKeyWrapper.builder().kmsClient(kms).keyId(KmsAdmin.ensureKey(kms, "alias/enclave-test")).build();
    return Stream.of(
        Arguments.of("dev wrapper, in process", dev, false),
        Arguments.of("dev wrapper, serialized", dev, true),
        Arguments.of("KMS on moto, in process", viaKms, false),
        Arguments.of("KMS on moto, serialized", viaKms, true));
  }

  private static EnclaveTransport transport(final Enclave enclave, final boolean serialized) {
    return serialized ? new SerializingTransport(enclave::handle) : enclave::handle;
  }

  private static Execute execute(final String seal, final String method, final String path, final String body,
      final List<SealedRecord> records) {
    return new Execute(APP, seal, new HttpEnvelope(method, "http://127.0.0.1:8080", path, body,
        Map.of("privy-app-id", APP), Optional.empty()), records, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void createsWalletsSignsAndRefusesAKeyMovedToAnotherWallet(final String name, final KeyWrapper keys,
      final boolean serialized) throws Exception {
    final EnclaveTransport enclave = transport(new Enclave(keys), serialized);
    final String seal = ((SealKeyCreated) enclave.call(new CreateSealKey())).wrappedSealKey();
    final SealedRecord a = newWallet(enclave, seal);
    final SealedRecord b = newWallet(enclave, seal);
    final WalletRecord walletA = WalletRecord.fromDoc(a.doc());
    final WalletRecord walletB = WalletRecord.fromDoc(b.doc());
    assertThat(a.doc()).doesNotContain("\"private");

    // Sign with A; the signature recovers to A's address.
    final EnclaveResponse signed = enclave.call(execute(seal, "POST", "/v1/wallets/" + a.id() + "/rpc", MESSAGE, List.of(a)));
    assertThat(signed).as(name).isInstanceOf(Executed.class);
    final JsonNode data = JSON.readTree(((Executed) signed).result().orElseThrow()).path("data");
    final byte[] rsv = Hex.decode(data.path("signature").asText());
    final byte[] digest = SigningRequest.parseRpc("personal_sign", JSON.readTree(MESSAGE)).digest();
    final RecoverableSignature signature = new RecoverableSignature(
        new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rsv, 0, 32)),
        new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rsv, 32, 64)), rsv[64] - 27);
    assertThat(Secp256k1PublicKey.recover(digest, signature).orElseThrow().address().toChecksumHex())
        .isEqualTo(walletA.address());

    // Someone who could even seal records (the seal check is not what stops this) moves A's wrapped
    // key onto B's record: the KMS context (app, B) does not open a key wrapped for (app, A).
    final byte[] master = keys.unwrap(WrappedKey.parse(seal), KeyContext.recordSeal(KeyContext.GLOBAL, "seal-master-v1"));
    final RecordSealer sealer = new RecordSealer(master);
    final WalletRecord forged = new WalletRecord(walletB.id(), walletB.address(), "ethereum", walletB.publicKey(),
        walletA.wrappedKey(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), walletB.createdAt());
    final SealedRecord forgedRecord = sealer.seal(APP, WalletRecord.KIND, b.id(), forged.toDoc());
    assertIntegrityRefusal(enclave.call(execute(seal, "POST", "/v1/wallets/" + b.id() + "/rpc", MESSAGE, List.of(forgedRecord))));

    // And claiming A's address for B does not help either: the key still will not unwrap as B's.
    final WalletRecord impostor = new WalletRecord(walletB.id(), walletA.address(), "ethereum", walletA.publicKey(),
        walletA.wrappedKey(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), walletB.createdAt());
    assertIntegrityRefusal(enclave.call(execute(seal, "POST", "/v1/wallets/" + b.id() + "/rpc", MESSAGE,
        List.of(sealer.seal(APP, WalletRecord.KIND, b.id(), impostor.toDoc())))));

    // Without the sealing key, an edited record is refused before any key is touched.
    final SealedRecord edited = new SealedRecord(b.kind(), b.id(), b.doc().replace(walletB.wrappedKey(), walletA.wrappedKey()), b.seal());
    assertIntegrityRefusal(enclave.call(execute(seal, "POST", "/v1/wallets/" + b.id() + "/rpc", MESSAGE, List.of(edited))));
    sealer.destroy();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aKeyCheckedOnceIsCheckedAgainWhenTheRecordNamesAnotherAddress(final String name, final KeyWrapper keys,
      final boolean serialized) {
    final EnclaveTransport enclave = transport(new Enclave(keys), serialized);
    final String seal = ((SealKeyCreated) enclave.call(new CreateSealKey())).wrappedSealKey();
    final SealedRecord a = newWallet(enclave, seal);
    final SealedRecord b = newWallet(enclave, seal);
    final WalletRecord walletA = WalletRecord.fromDoc(a.doc());
    final WalletRecord walletB = WalletRecord.fromDoc(b.doc());
    // A's key opens and derives A's address: remembered (CheckedKeys), the next signature skips the derivation.
    assertThat(enclave.call(execute(seal, "POST", "/v1/wallets/" + a.id() + "/rpc", MESSAGE, List.of(a)))).isInstanceOf(Executed.class);
    assertThat(enclave.call(execute(seal, "POST", "/v1/wallets/" + a.id() + "/rpc", MESSAGE, List.of(a)))).isInstanceOf(Executed.class);

    // A record with A's id and wrapped key that names B's address (only a holder of the sealing key
    // could make one) is checked afresh and refused: what was remembered was A's key with A's address.
    final byte[] master = keys.unwrap(WrappedKey.parse(seal), KeyContext.recordSeal(KeyContext.GLOBAL, "seal-master-v1"));
    final RecordSealer sealer = new RecordSealer(master);
    final WalletRecord renamed = new WalletRecord(walletA.id(), walletB.address(), "ethereum", walletB.publicKey(),
        walletA.wrappedKey(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), walletA.createdAt());
    assertIntegrityRefusal(enclave.call(execute(seal, "POST", "/v1/wallets/" + a.id() + "/rpc", MESSAGE,
        List.of(sealer.seal(APP, WalletRecord.KIND, a.id(), renamed.toDoc())))));
    sealer.destroy();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void aRecordWhoseSealVerifiedIsRefusedOnceEdited(final String name, final KeyWrapper keys, final boolean serialized) {
    final EnclaveTransport enclave = transport(new Enclave(keys), serialized);
    final String seal = ((SealKeyCreated) enclave.call(new CreateSealKey())).wrappedSealKey();
    final SealedRecord a = newWallet(enclave, seal);
    final SealedRecord b = newWallet(enclave, seal);
    assertThat(enclave.call(execute(seal, "POST", "/v1/wallets/" + a.id() + "/rpc", MESSAGE, List.of(a)))).isInstanceOf(Executed.class);
    // The seal check remembers records exactly as presented; any edit is checked afresh.
    final SealedRecord edited = new SealedRecord(a.kind(), a.id(), a.doc().replace("\"created_at\":", "\"created_at\":1"), a.seal());
    assertIntegrityRefusal(enclave.call(execute(seal, "POST", "/v1/wallets/" + a.id() + "/rpc", MESSAGE, List.of(edited))));
    final SealedRecord renamed = new SealedRecord(a.kind(), b.id(), a.doc(), a.seal());
    assertIntegrityRefusal(enclave.call(execute(seal, "POST", "/v1/wallets/" + b.id() + "/rpc", MESSAGE, List.of(renamed))));
    final SealedRecord bSealedAsA = new SealedRecord(b.kind(), b.id(), b.doc(), a.seal());
    assertIntegrityRefusal(enclave.call(execute(seal, "POST", "/v1/wallets/" + b.id() + "/rpc", MESSAGE, List.of(bSealedAsA))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void refusesARecordSealedForAnotherApp(final String name, final KeyWrapper keys, final boolean serialized) {
    final EnclaveTransport enclave = transport(new Enclave(keys), serialized);
    final String seal = ((SealKeyCreated) enclave.call(new CreateSealKey())).wrappedSealKey();
    final SealedRecord a = newWallet(enclave, seal);
    // Verified for its own app first: what the seal check remembers is the record with its app.
    assertThat(enclave.call(execute(seal, "POST", "/v1/wallets/" + a.id() + "/rpc", MESSAGE, List.of(a)))).isInstanceOf(Executed.class);
    final Execute otherApp = new Execute("someotherapp000000000001", seal, new HttpEnvelope("POST", "http://127.0.0.1:8080",
        "/v1/wallets/" + a.id() + "/rpc", MESSAGE, Map.of("privy-app-id", "someotherapp000000000001"), Optional.empty()),
        List.of(a), false);
    assertIntegrityRefusal(enclave.call(otherApp));
  }

  private static SealedRecord newWallet(final EnclaveTransport enclave, final String seal) {
    return created(enclave.call(execute(seal, "POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}", List.of())));
  }

  private static SealedRecord created(final EnclaveResponse response) {
    assertThat(response).isInstanceOf(Executed.class);
    return ((Executed) response).primary().orElseThrow();
  }

  private static void assertIntegrityRefusal(final EnclaveResponse response) {
    assertThat(response).isInstanceOf(Refused.class);
    assertThat(((Refused) response).reason()).isEqualTo(Refused.Reason.INTEGRITY);
    assertThat(((Refused) response).message()).doesNotContain("wk1:");
  }
}

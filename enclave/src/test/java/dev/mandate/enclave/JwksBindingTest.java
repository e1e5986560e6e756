package dev.mandate.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.enclave.protocol.CreateSealKey;
import dev.mandate.enclave.protocol.EnclaveResponse;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.protocol.Refused;
import dev.mandate.enclave.protocol.SealKeyCreated;
import dev.mandate.enclave.protocol.SealedRecord;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys a login's JWT is verified with must come from the sealed settings' JWKS URL: the host
 * says which URL it fetched the key set from, and the enclave refuses a set from any other URL.
 */
class JwksBindingTest {
  private static final String APP = "jwksapp00000000000000001";
  private static final String SEALED_URL = "https://auth.example.com/.well-known/jwks.json";
  private static final String ISSUER = "https://auth.example.com";
  private static final String AUDIENCE = "mandate-test";

  @TempDir
  Path dir;
  private Enclave enclave;
  private String seal;
  private SealedRecord settings;
  private ECKey signingKey;

  @BeforeEach
  void setUp() throws Exception {
    enclave = new Enclave(DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build());
    seal = ((SealKeyCreated) enclave.handle(new CreateSealKey())).wrappedSealKey();
    final EnclaveResponse configured0 = enclave.handle(execute("PUT", "/v1/jwt_settings",
        "{\"jwks_url\":\"" + SEALED_URL + "\",\"issuer\":\"" + ISSUER + "\",\"audience\":\"" + AUDIENCE + "\"}", List.of(), Map.of()));
    assertThat(configured0).as("settings stored: %s", configured0).isInstanceOf(Executed.class);
    settings = ((Executed) configured0).primary().orElseThrow();
    signingKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
  }

  @Test
  void keysFetchedFromTheSealedUrlVerifyTheLogin() throws Exception {
    assertThat(login(Map.of(Execute.JWKS, jwks(), Execute.JWKS_URL, SEALED_URL))).isInstanceOf(Executed.class);
  }

  @Test
  void keysFetchedFromAnotherUrlAreRefusedEvenWhenTheyVerifyTheToken() throws Exception {
    assertRefused(login(Map.of(Execute.JWKS, jwks(), Execute.JWKS_URL, "https://attacker.example/jwks.json")));
    assertRefused(login(Map.of(Execute.JWKS, jwks(), Execute.JWKS_URL, SEALED_URL + "?x")));
  }

  @Test
  void keysWithoutTheUrlTheyCameFromAreRefused() throws Exception {
    assertRefused(login(Map.of(Execute.JWKS, jwks())));
    assertRefused(login(Map.of()));
  }

  private EnclaveResponse login(final Map<String, String> hostInputs) throws Exception {
    final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
        new JWTClaimsSet.Builder().subject("alice").issuer(ISSUER).audience(AUDIENCE)
            .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 300_000)).build());
    jwt.sign(new ECDSASigner(signingKey));
    return enclave.handle(execute("POST", "/v1/signer/authenticate", "{\"user_jwt\":\"" + jwt.serialize() + "\"}",
        List.of(settings), hostInputs));
  }

  private String jwks() {
    return new JWKSet(signingKey.toPublicJWK()).toString();
  }

  private Execute execute(final String method, final String path, final String body, final List<SealedRecord> records,
      final Map<String, String> hostInputs) {
    return new Execute(APP, seal, new HttpEnvelope(method, "http://127.0.0.1:8080", path, body, Map.of("privy-app-id", APP),
        Optional.empty()), records, false, new HashMap<>(hostInputs));
  }

  private static void assertRefused(final EnclaveResponse response) {
    assertThat(response).isInstanceOf(Refused.class);
    assertThat(((Refused) response).code()).isEqualTo("invalid_user_jwt");
  }
}

package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok;
import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The signing path's memos (seal check, key check, parsed records: issue 12) against a writer of
 * both tables, over HTTP on the runner: a record remembered as verified for one app, id or kind is
 * refused when presented as another, however warm. The anchor is forged along with each item, so
 * only the enclave's checks stand in the way.
 */
class MemoAttackTest {
  private static final String SIGN = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"memo\",\"encoding\":\"utf-8\"}}";

  private static final TableAttacker table = Stack.get().table();

  @Test
  void aWarmWalletMovedToAnotherAppIsRefused() {
    final MandateHttp a = Stack.get().newApp("ma");
    final MandateHttp b = Stack.get().newApp("mb");
    final String wallet = warmWallet(a);

    table.putWithAnchor(moved(table.item(a.appId(), "wallet", wallet), b.appId(), "wallet#" + wallet));

    assertRefused(b.post(rpc(wallet), SIGN));
    ok(a.post(rpc(wallet), SIGN));
  }

  @Test
  void aWarmWalletCopiedUnderAnotherIdIsRefused() {
    final MandateHttp a = Stack.get().newApp("mc");
    final String wallet = warmWallet(a);
    final String other = ok(a.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();

    table.putWithAnchor(moved(table.item(a.appId(), "wallet", wallet), a.appId(), "wallet#" + other));

    assertRefused(a.post(rpc(other), SIGN));
    ok(a.post(rpc(wallet), SIGN));
  }

  /**
   * The attacker owns app B (knows its secret) and puts B's sealed app record, verified and warm, in
   * app A's place: the host accepts B's secret for A, the enclave must not.
   */
  @Test
  void anotherAppsWarmAppRecordPutInPlaceOfThisAppsIsRefused() {
    final MandateHttp a = Stack.get().newApp("md");
    final String bId = "me" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    final String bSecret = "privy_app_secret_" + java.util.UUID.randomUUID().toString().replace("-", "");
    dev.mandate.Mandate.instance().apps().ensureApp(bId, bSecret);
    final MandateHttp b = Stack.get().client().withCredentials(bId, bSecret);
    final String wallet = warmWallet(a);
    warmWallet(b);
    final Map<String, AttributeValue> genuine = table.item(a.appId(), "app", a.appId());

    table.putWithAnchor(moved(table.item(b.appId(), "app", b.appId()), a.appId(), "app#" + a.appId()));
    final MandateHttp attacker = b.withCredentials(a.appId(), bSecret);

    final MandateHttp.Response r = attacker.post(rpc(wallet), SIGN);
    assertThat(r.status()).as(r.toString()).isIn(401, 500);
    assertThat(r.code()).isIn("invalid_credentials", "integrity_check_failed");
    assertThat(r.json().path("data").isMissingNode()).isTrue();
    table.putWithAnchor(genuine);
    ok(a.post(rpc(wallet), SIGN));
  }

  private static String warmWallet(final MandateHttp api) {
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    ok(api.post(rpc(wallet), SIGN));
    ok(api.post(rpc(wallet), SIGN));
    return wallet;
  }

  private static Map<String, AttributeValue> moved(final Map<String, AttributeValue> item, final String appId, final String sk) {
    final Map<String, AttributeValue> copy = new HashMap<>(item);
    copy.put("pk", AttributeValue.fromS("app#" + appId));
    copy.put("sk", AttributeValue.fromS(sk));
    copy.remove("gsi1pk");
    copy.remove("gsi1sk");
    return copy;
  }

  private static void assertRefused(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(500);
    assertThat(r.code()).isEqualTo("integrity_check_failed");
    assertThat(r.json().path("data").isMissingNode()).as("nothing signed: %s", r).isTrue();
    assertThat(Stack.get().logs()).as("refused by the enclave, not the host").contains("enclave_integrity_refusal");
  }
}

package dev.mandate.signing;

/** Names a stored record: its kind and id. */
public record RecordRef(String kind, String id) {
  public static final String WALLET = "wallet";
  public static final String KEY_QUORUM = "key_quorum";
  public static final String POLICY = "policy";
  public static final String CONDITION_SET = "condition_set";
  public static final String USER = "user";
  public static final String SESSION_KEY = "session_key";
  public static final String AGGREGATION = "aggregation";
  public static final String TRANSACTION = "transaction";
  public static final String JWT_SETTINGS = "jwt_settings";

  public static RecordRef wallet(final String id) {
    return new RecordRef(WALLET, id);
  }

  public static RecordRef quorum(final String id) {
    return new RecordRef(KEY_QUORUM, id);
  }

  public static RecordRef user(final String id) {
    return new RecordRef(USER, id);
  }

  public static RecordRef policy(final String id) {
    return new RecordRef(POLICY, id);
  }
}

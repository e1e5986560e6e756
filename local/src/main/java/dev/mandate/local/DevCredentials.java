package dev.mandate.local;

import java.security.SecureRandom;
import java.util.Base64;

/** Credentials for the local dev app, shaped like Privy's (app id, {@code privy_app_secret_...}). */
record DevCredentials(String appId, String appSecret, boolean generated) {
  static final String SECRET_PREFIX = "privy_app_secret_";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** 24 lowercase alphanumerics, and {@code privy_app_secret_} + 43 base64url characters (256 bits). */
  static DevCredentials generate() {
    final StringBuilder id = new StringBuilder(24);
    for (int i = 0; i < 24; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    final byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new DevCredentials(id.toString(), SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret), true);
  }

  @Override
  public String toString() {
    return "DevCredentials[appId=" + appId + ", appSecret=<redacted>]";
  }
}

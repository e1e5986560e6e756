package dev.mandate.enclave;

import java.security.SecureRandom;

/**
 * Mints record ids: 24 lowercase alphanumerics, the shape of Privy's cuid2 ids.
 *
 * <p>The enclave mints the id of every record it seals, so a host can never ask it to seal a record
 * under an id that already exists (and so replace a quorum or wallet it does not control).
 */
public final class Ids {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final int LENGTH = 24;

  private Ids() {}

  /** A fresh id. The first character is a letter, as in cuid2. */
  public static String mint() {
    // SecureRandom per call site is cheap after the first; never created at class init (SnapStart).
    final SecureRandom random = Rng.get();
    final char[] out = new char[LENGTH];
    out[0] = ALPHABET[random.nextInt(26)];
    for (int i = 1; i < LENGTH; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }

  /** True when {@code id} has the shape of a minted id (used to reject junk before a lookup). */
  public static boolean looksValid(final String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      final char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }
}

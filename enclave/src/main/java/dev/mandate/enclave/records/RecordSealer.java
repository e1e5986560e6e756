package dev.mandate.enclave.records;

import dev.mandate.enclave.IntegrityException;
import dev.mandate.enclave.protocol.SealedRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals records with HMAC-SHA256 under a per-app key derived from the enclave's sealing master key
 * (which only the enclave can unwrap). The seal covers the app, the kind, the id and the exact
 * document text, so a record cannot be edited, renamed, or moved to another app or kind unseen.
 */
public final class RecordSealer {
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] SEP = {0};

  private final byte[] master;
  private final Map<String, byte[]> appKeys = new ConcurrentHashMap<>();
  // One keyed HMAC per app, cloned per seal: Mac.getInstance + init (provider search, HMAC key
  // schedule) cost more than the MAC of a small record. Holds nothing appKeys does not.
  private final Map<String, Mac> keyedMacs = new ConcurrentHashMap<>();
  /**
   * Records whose seal verified, exactly as presented (app, kind, id, text, seal): the MAC is a
   * function of these and this sealer's key, so the same record verifies again; anything else
   * differing is checked afresh. Bounded in entries and in document text held (at most 8 MB even in
   * UTF-16, whatever documents an app makes), cleared whole when full; holds no key material.
   */
  private final java.util.Set<Verified> verified = ConcurrentHashMap.newKeySet();
  private static final int MAX_VERIFIED = 4_096;
  private static final int MAX_VERIFIED_DOC_CHARS = 4_096;
  private static final long MAX_VERIFIED_TOTAL_CHARS = 4_000_000;
  /** Document characters held in {@link #verified}; changed only under this sealer's lock. */
  private long verifiedChars;

  private record Verified(String appId, String kind, String id, String doc, String seal) {}

  /** Takes a copy of the 32-byte master key; the caller wipes its own. */
  public RecordSealer(final byte[] masterKey) {
    if (masterKey.length != 32) {
      throw new IllegalArgumentException("sealing master key must be 32 bytes");
    }
    this.master = masterKey.clone();
  }

  public SealedRecord seal(final String appId, final String kind, final String id, final String doc) {
    return new SealedRecord(kind, id, doc, Base64.getUrlEncoder().withoutPadding().encodeToString(mac(appId, kind, id, doc)));
  }

  /** Throws {@link IntegrityException} unless {@code record} was sealed for {@code appId}. */
  public void verify(final String appId, final SealedRecord record) {
    final Verified seen = new Verified(appId, record.kind(), record.id(), record.doc(), record.seal());
    if (verified.contains(seen)) {
      return;
    }
    check(appId, record);
    if (record.doc().length() <= MAX_VERIFIED_DOC_CHARS) {
      remember(seen);
    }
  }

  private synchronized void remember(final Verified seen) {
    if (verified.size() >= MAX_VERIFIED || verifiedChars + seen.doc().length() > MAX_VERIFIED_TOTAL_CHARS) {
      verified.clear();
      verifiedChars = 0;
    }
    if (verified.add(seen)) {
      verifiedChars += seen.doc().length();
    }
  }

  private void check(final String appId, final SealedRecord record) {
    final byte[] presented;
    try {
      presented = Base64.getUrlDecoder().decode(record.seal() == null ? "" : record.seal());
    } catch (IllegalArgumentException e) {
      throw new IntegrityException("record seal is malformed");
    }
    if (!MessageDigest.isEqual(presented, mac(appId, record.kind(), record.id(), record.doc()))) {
      throw new IntegrityException("record seal does not match");
    }
  }

  private byte[] mac(final String appId, final String kind, final String id, final String doc) {
    try {
      final Mac mac = keyedMac(appId);
      for (final String part : new String[] {kind, id}) {
        mac.update(part.getBytes(StandardCharsets.UTF_8));
        mac.update(SEP);
      }
      mac.update(doc.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Mac keyedMac(final String appId) throws GeneralSecurityException {
    final Mac keyed = keyedMacs.computeIfAbsent(appId, app -> newKeyedMac(appKey(app)));
    try {
      return (Mac) keyed.clone();
    } catch (CloneNotSupportedException e) {
      return newKeyedMac(appKey(appId));
    }
  }

  private static Mac newKeyedMac(final byte[] key) {
    try {
      final Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] appKey(final String appId) {
    return appKeys.computeIfAbsent(appId, app -> {
      try {
        final Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(new SecretKeySpec(master, ALGORITHM));
        return mac.doFinal(("mandate/record-seal/v1/" + app).getBytes(StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Wipes the master and derived keys. */
  public void destroy() {
    Arrays.fill(master, (byte) 0);
    appKeys.values().forEach(k -> Arrays.fill(k, (byte) 0));
    appKeys.clear();
    keyedMacs.clear();
    synchronized (this) {
      verified.clear();
      verifiedChars = 0;
    }
  }
}

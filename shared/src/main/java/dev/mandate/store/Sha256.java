package dev.mandate.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Fresh SHA-256 instances, cloned from one found once: the JCA provider search per use cost more than hashing a record. */
public final class Sha256 {
  private static final MessageDigest PROTOTYPE = newInstance();

  private Sha256() {}

  /** A new, reset SHA-256. */
  public static MessageDigest fresh() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return newInstance();
    }
  }

  private static MessageDigest newInstance() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

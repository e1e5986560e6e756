package dev.mandate.enclave;

import java.security.SecureRandom;

/**
 * The process's source of randomness, created on first use and never during class initialisation:
 * a Lambda SnapStart snapshot is cloned into many environments, and a generator seeded before the
 * snapshot would hand every clone the same stream.
 */
public final class Rng {
  private static volatile SecureRandom instance;

  private Rng() {}

  public static SecureRandom get() {
    SecureRandom local = instance;
    if (local == null) {
      synchronized (Rng.class) {
        local = instance;
        if (local == null) {
          local = new SecureRandom();
          instance = local;
        }
      }
    }
    return local;
  }
}

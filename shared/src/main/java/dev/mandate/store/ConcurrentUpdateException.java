package dev.mandate.store;

/**
 * The item changed since the caller read it (its version is not the expected one), or another
 * transaction was writing it at the same moment. Nothing was written; the API answers 409 and the
 * caller may re-read and retry.
 */
public class ConcurrentUpdateException extends ItemException {
  private static final long serialVersionUID = 1L;
  private final long expectedVersion;

  public ConcurrentUpdateException(final String appId, final String kind, final String id, final long expectedVersion) {
    super(appId, kind, id, "was modified concurrently (expected version " + expectedVersion + ")");
    this.expectedVersion = expectedVersion;
  }

  public long expectedVersion() {
    return expectedVersion;
  }
}

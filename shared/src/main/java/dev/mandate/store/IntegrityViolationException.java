package dev.mandate.store;

/**
 * A stored item does not match its anchor: it was edited, restored from an older version or backup,
 * deleted, or written without going through a store (see {@link Anchors}). Unchecked and not a
 * {@link StoreException}: no caller handles it but the API pipeline, which answers 500
 * {@code integrity_check_failed} and raises the operator alarm. The message names the item's kind
 * and id only, never its document.
 */
public final class IntegrityViolationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String kind;
  private final String id;

  public IntegrityViolationException(final String kind, final String id, final String problem) {
    super(kind + " '" + id + "' failed its integrity check: " + problem);
    this.kind = kind;
    this.id = id;
  }

  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }
}

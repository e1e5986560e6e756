package dev.mandate.store;

/** A create found a live item under the same (app, kind, id): e.g. a uniqueness claim already taken. */
public class ItemExistsException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String appId;
  private final String kind;
  private final String id;

  public ItemExistsException(final String appId, final String kind, final String id) {
    super(kind + " '" + id + "' already exists");
    this.appId = appId;
    this.kind = kind;
    this.id = id;
  }

  public String appId() {
    return appId;
  }

  /** Which kind collided: with {@code createAll}, tells a wallet id clash from an external-id clash. */
  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }
}

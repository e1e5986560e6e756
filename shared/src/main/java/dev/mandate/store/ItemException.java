package dev.mandate.store;

/** A store failure about one item, which it names (never its document). */
public abstract class ItemException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String appId;
  private final String kind;
  private final String id;

  protected ItemException(final String appId, final String kind, final String id, final String problem) {
    super(kind + " '" + id + "' " + problem);
    this.appId = appId;
    this.kind = kind;
    this.id = id;
  }

  public String appId() {
    return appId;
  }

  /** Which kind it was: with {@code createAll}, tells a wallet id clash from an external-id clash. */
  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }
}

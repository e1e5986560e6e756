package dev.mandate.store;

/** An update, delete or check named an item that does not exist (or has expired). */
public class ItemNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String appId;
  private final String kind;
  private final String id;

  public ItemNotFoundException(final String appId, final String kind, final String id) {
    super(kind + " '" + id + "' does not exist");
    this.appId = appId;
    this.kind = kind;
    this.id = id;
  }

  public String appId() {
    return appId;
  }

  public String kind() {
    return kind;
  }

  public String id() {
    return id;
  }
}

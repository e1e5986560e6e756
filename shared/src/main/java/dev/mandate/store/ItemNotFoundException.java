package dev.mandate.store;

/** An update, delete or check named an item that does not exist (or has expired). */
public class ItemNotFoundException extends ItemException {
  private static final long serialVersionUID = 1L;

  public ItemNotFoundException(final String appId, final String kind, final String id) {
    super(appId, kind, id, "does not exist");
  }
}

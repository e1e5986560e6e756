package dev.mandate.store;

/** A create found a live item under the same (app, kind, id): e.g. a uniqueness claim already taken. */
public class ItemExistsException extends ItemException {
  private static final long serialVersionUID = 1L;

  public ItemExistsException(final String appId, final String kind, final String id) {
    super(appId, kind, id, "already exists");
  }
}

package dev.mandate.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * List cursors: the sort key of the last item returned, as URL-safe base64. The sort key already
 * names the kind, so a cursor is checked against the kind it is used with. The partition (app) is
 * always the caller's own, so a cursor can never reach another app's items.
 */
final class Cursors {
  private static final int MAX_CURSOR_CHARS = 2_048;

  private Cursors() {}

  static String encode(final String sortKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The sort key to continue after. */
  static String decode(final String kind, final String cursor) {
    if (cursor.isEmpty() || cursor.length() > MAX_CURSOR_CHARS) {
      throw new InvalidCursorException("cursor is empty or too long");
    }
    final String sortKey;
    try {
      final byte[] bytes = Base64.getUrlDecoder().decode(cursor);
      sortKey = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw new InvalidCursorException("cursor is not valid");
    }
    final String prefix = Keys.sortKeyPrefix(kind);
    if (!sortKey.startsWith(prefix) || sortKey.length() == prefix.length()) {
      throw new InvalidCursorException("cursor does not belong to this list");
    }
    return sortKey;
  }
}

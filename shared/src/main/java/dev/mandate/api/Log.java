package dev.mandate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One JSON line per event on stdout (CloudWatch picks it up as is). Callers pass named fields, never
 * whole requests: bodies, headers, keys, secrets and JWTs are not logged, by construction.
 */
public final class Log {
  private Log() {}

  public static void info(final String event, final String... fields) {
    write("INFO", event, fields);
  }

  public static void warn(final String event, final String... fields) {
    write("WARN", event, fields);
  }

  public static void error(final String event, final String... fields) {
    write("ERROR", event, fields);
  }

  private static void write(final String level, final String event, final String... fields) {
    final ObjectNode line = Json.object()
        .put("ts", Instant.now().toString())
        .put("level", level)
        .put("event", event);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      line.put(fields[i], fields[i + 1]);
    }
    System.out.println(line);
  }
}

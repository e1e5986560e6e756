package dev.mandate.local;

import java.io.PrintStream;

/**
 * Prepares what the handlers need before they are created: configuration (as system properties),
 * the data store and keys. Returns what to close when the runner stops.
 */
@FunctionalInterface
interface Backend {
  AutoCloseable prepare(int port, PrintStream out);

  /** For runner tests whose handlers need nothing. */
  static Backend none() {
    return (port, out) -> () -> {};
  }
}

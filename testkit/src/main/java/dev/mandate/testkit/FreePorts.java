package dev.mandate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntFunction;

/** Picks loopback ports the kernel considers free right now. */
final class FreePorts {
  private static final int ATTEMPTS = 3;

  private FreePorts() {}

  /**
   * Starts a backend on a free port, trying up to three ports: one picked free can be taken
   * between picking and binding, and a new port usually fixes that.
   *
   * @throws BackendStartException the last attempt's failure
   */
  static <T> T startOnOne(final IntFunction<T> startOn) {
    BackendStartException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return startOn.apply(pick());
      } catch (BackendStartException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * A port that was free a moment ago. Another process can take it before the caller binds it, so
   * callers retry on a bind failure rather than trust this.
   */
  static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}

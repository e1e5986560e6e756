package dev.mandate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks loopback ports the kernel considers free right now. */
final class FreePorts {
  private FreePorts() {}

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

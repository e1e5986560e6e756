package dev.mandate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a backend, to make the backend misbehave on cue: {@link #pause()}
 * keeps connections open but forwards nothing (a hung dependency: connects succeed, answers never
 * come), {@link #resume()} forwards what was held, {@link #stop()} closes everything and refuses new
 * connections (a dependency that is gone), {@link #start()} listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private static final int BUFFER = 16 * 1024;

  private final InetSocketAddress upstream;
  private final int port;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile boolean paused;
  private volatile ServerSocket server;

  private TcpProxy(final InetSocketAddress upstream, final ServerSocket server) {
    this.upstream = upstream;
    this.server = server;
    this.port = server.getLocalPort();
    accept(server);
  }

  /** A proxy on a free loopback port forwarding to {@code upstream} (an http URL's host and port). */
  public static TcpProxy to(final URI upstream) {
    try {
      final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      return new TcpProxy(new InetSocketAddress(upstream.getHost(), upstream.getPort()), server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Holds every byte in both directions until {@link #resume()}; new connections are accepted. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    synchronized (gate) {
      paused = false;
      gate.notifyAll();
    }
  }

  /** Closes every connection and the listening socket: connecting is refused until {@link #start()}. */
  public void stop() {
    closeQuietly(server);
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
    resume();
  }

  /** Listens again, on the same port, after {@link #stop()}. */
  public void start() {
    try {
      final ServerSocket again = new ServerSocket();
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      server = again;
      accept(again);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void accept(final ServerSocket listening) {
    final Thread acceptor = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          connect(listening.accept());
        } catch (IOException e) {
          return; // closed by stop()
        }
      }
    }, "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void connect(final Socket client) {
    sockets.add(client);
    try {
      final Socket backend = new Socket(upstream.getAddress(), upstream.getPort());
      sockets.add(backend);
      pump(client, backend);
      pump(backend, client);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pump(final Socket from, final Socket to) {
    final Thread thread = new Thread(() -> {
      final byte[] buffer = new byte[BUFFER];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          awaitRunning();
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // a side closed, or the proxy stopped
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-pump-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  private void awaitRunning() throws InterruptedException {
    synchronized (gate) {
      while (paused) {
        gate.wait();
      }
    }
  }

  private static void closeQuietly(final java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // already closed
    }
  }
}

package dev.mandate.testkit;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local 3.x running inside this JVM, in memory, serving HTTP on a loopback port.
 *
 * <p>Clients talk to it over real HTTP, so the SDK's serialization, endpoint and HTTP-client paths
 * are exercised exactly as against AWS. 3.x ships the sqlite4java natives inside its jar and
 * extracts them itself: no {@code sqlite4java.library.path} is needed. On JDK 24+ the native load
 * prints a "restricted method" warning unless the JVM runs with
 * {@code --enable-native-access=ALL-UNNAMED}; it is harmless.
 *
 * <pre>{@code
 * try (DynamoDbLocal ddb = DynamoDbLocal.start();
 *      DynamoDbClient client = AwsTestClients.dynamoDb(ddb.endpoint())) { ... }
 * }</pre>
 */
public final class DynamoDbLocal implements AutoCloseable {
  private static final Object SHARED_LOCK = new Object();
  private static DynamoDbLocal shared;

  private final DynamoDBProxyServer server;
  private final URI endpoint;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DynamoDbLocal(final DynamoDBProxyServer server, final int port) {
    this.server = server;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts a fresh, empty instance on a free port (about 1-3 s the first time in a JVM). */
  public static DynamoDbLocal start() {
    return FreePorts.startOnOne(DynamoDbLocal::startOn);
  }

  /**
   * One instance for the whole JVM, started on first use and stopped when the JVM exits. Saves the
   * start-up cost when many test classes run in one Surefire fork; callers must isolate their data
   * (own table or own app ids) and must not close it.
   */
  public static DynamoDbLocal shared() {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        final DynamoDbLocal instance = start();
        Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "dynamodb-local-stop"));
        shared = instance;
      }
      return shared;
    }
  }

  private static DynamoDbLocal startOn(final int port) {
    final DynamoDBProxyServer server;
    try {
      // -sharedDb: one database whatever the credentials/region, so every client sees the same tables.
      server = ServerRunner.createServerFromCommandLineArgs(new String[] {
          "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)});
      server.start();
    } catch (Exception e) {
      throw new BackendStartException("DynamoDB Local did not start on port " + port + ": " + e, e);
    }
    return new DynamoDbLocal(server, port);
  }

  /** {@code http://127.0.0.1:<port>}; pass it to {@code endpointOverride} or {@code AWS_ENDPOINT_URL}. */
  public URI endpoint() {
    return endpoint;
  }

  /** Stops the server and drops its data. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
      }
    }
  }
}

package dev.mandate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SdkPrimingTest {
  /** Priming runs the SDK's request path against an in-memory answer: nothing reaches the endpoint. */
  @Test
  void primingTheSdkNeverConnectsToTheEndpoint() throws Exception {
    try (ServerSocket endpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      endpoint.setSoTimeout(200);
      final AtomicInteger connections = new AtomicInteger();
      final Thread listener = new Thread(() -> {
        while (!endpoint.isClosed()) {
          try (var socket = endpoint.accept()) {
            connections.incrementAndGet();
          } catch (SocketTimeoutException e) {
            // keep listening
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      listener.start();
      final String url = "http://127.0.0.1:" + endpoint.getLocalPort();
      final String endpointBefore = System.setProperty("aws.endpointUrl", url);
      final String regionBefore = System.setProperty("aws.region", "us-east-1");
      try {
        SdkPriming.prime();
        Thread.sleep(300);
      } finally {
        restore("aws.endpointUrl", endpointBefore);
        restore("aws.region", regionBefore);
      }
      assertThat(connections).hasValue(0);
      endpoint.close();
      listener.join();
    }
  }

  private static void restore(final String name, final String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  @Test
  void anInitForASnapStartSnapshotDoesNotPrimeTheSdk() {
    assertThat(SdkPriming.allowed(Map.of(SdkPriming.INITIALIZATION_TYPE, "snap-start"))).isFalse();
    assertThat(SdkPriming.allowed(Map.of(SdkPriming.INITIALIZATION_TYPE, "on-demand"))).isTrue();
    assertThat(SdkPriming.allowed(Map.of())).isTrue();
  }

  /**
   * Without a configured region (a local run; Lambda always sets AWS_REGION) priming must not go
   * looking for one: the SDK's default region chain ends at the EC2 instance metadata service.
   */
  @Test
  void primingWithoutARegionAsksNoMetadataService() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null);
    try (ServerSocket metadata = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      metadata.setSoTimeout(200);
      final AtomicInteger connections = new AtomicInteger();
      final Thread listener = new Thread(() -> {
        while (!metadata.isClosed()) {
          try (var socket = metadata.accept()) {
            connections.incrementAndGet();
          } catch (SocketTimeoutException e) {
            // keep listening
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      listener.start();
      final String endpointBefore = System.setProperty("aws.ec2MetadataServiceEndpoint",
          "http://127.0.0.1:" + metadata.getLocalPort());
      final String regionBefore = System.clearProperty("aws.region");
      final String configBefore = System.setProperty("aws.configFile", "/nonexistent/mandate-priming-config");
      try {
        SdkPriming.prime();
        Thread.sleep(300);
      } finally {
        restore("aws.ec2MetadataServiceEndpoint", endpointBefore);
        restore("aws.region", regionBefore);
        restore("aws.configFile", configBefore);
      }
      assertThat(connections).hasValue(0);
      metadata.close();
      listener.join();
    }
  }
}

package dev.mandate.enclave.jwt;

import dev.mandate.enclave.InvalidRequestException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where Mandate may fetch a JWKS from: {@code https} to a public address only. Loopback, private
 * (RFC 1918, unique-local), link-local (169.254/16 — the cloud metadata services — and fe80::/10),
 * CGNAT, unspecified, multicast and the well-known metadata host names are refused, so a JWT-settings
 * writer cannot aim Mandate's fetches at the Lambda Runtime API ({@code 127.0.0.1:9001}), the instance
 * metadata service or the VPC.
 *
 * <p>Checked twice: the URL as written when settings are stored ({@link #check}), and every address
 * its host resolves to right before each fetch ({@link #checkResolved}, with redirects off), so a
 * name that later resolves inward (DNS rebinding) is refused then. The JVM caches the lookup the
 * connection then uses (30 s by default), which keeps the window between check and connect small;
 * it is not zero (docs/security.md).
 *
 * <p>Development only: the local runner sets {@value #DEV_LOOPBACK_PROPERTY} (from
 * {@code MANDATE_DEV_ALLOW_LOOPBACK_JWKS=true}) to accept {@code http} or {@code https} on loopback,
 * for test JWKS servers. Nothing else sets it; Lambda handlers never do.
 */
public final class JwksUrls {
  /** JVM system property, set only by the local runner: loopback JWKS URLs (http too) are accepted. */
  public static final String DEV_LOOPBACK_PROPERTY = "mandate.dev.allowLoopbackJwks";

  private static final Set<String> METADATA_HOSTS = Set.of(
      "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal");

  private JwksUrls() {}

  /** Whether this process is the dev runner with loopback JWKS allowed. */
  public static boolean devLoopbackAllowed() {
    return Boolean.getBoolean(DEV_LOOPBACK_PROPERTY);
  }

  /**
   * The URL as written: https (http only to loopback in development), and a host that is not a
   * forbidden address literal or name.
   *
   * @throws InvalidRequestException naming what is wrong
   */
  static void check(final URI url) {
    final String scheme = Optional.ofNullable(url.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    final String host = host(url);
    final boolean loopbackName = isLoopbackName(host);
    final Optional<InetAddress> literal = literal(host);
    final boolean loopback = loopbackName || literal.map(InetAddress::isLoopbackAddress).orElse(false);
    if (loopback && devLoopbackAllowed() && (scheme.equals("https") || scheme.equals("http"))) {
      return;
    }
    if (!scheme.equals("https")) {
      throw invalid("jwks_url must use https");
    }
    if (loopbackName || METADATA_HOSTS.contains(host) || host.endsWith(".internal")) {
      throw invalid("jwks_url must not name a local or metadata host");
    }
    if (literal.isPresent() && forbidden(literal.get())) {
      throw invalid("jwks_url must not point at a loopback, private, link-local or metadata address");
    }
  }

  /**
   * Right before a fetch: the URL's checks again, and every address its host resolves to must be allowed.
   *
   * @throws IOException when the URL or any resolved address is refused, or the host does not resolve
   */
  static void checkResolved(final URL url) throws IOException {
    final URI uri;
    try {
      uri = url.toURI();
      check(uri);
    } catch (java.net.URISyntaxException | InvalidRequestException e) {
      throw new IOException("JWKS URL refused");
    }
    final String host = host(uri);
    final InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new IOException("JWKS host does not resolve");
    }
    for (final InetAddress address : addresses) {
      if (forbidden(address) && !(address.isLoopbackAddress() && devLoopbackAllowed())) {
        throw new IOException("JWKS host resolves to a refused address");
      }
    }
  }

  /**
   * For the host, when settings are stored: the URL's checks, and its host must resolve to allowed
   * addresses only.
   *
   * @throws InvalidRequestException naming what is wrong
   */
  public static void requireFetchable(final URI url) {
    check(url);
    try {
      checkResolved(url.toURL());
    } catch (IOException | IllegalArgumentException e) {
      throw invalid("jwks_url must be an https URL whose host resolves to public addresses only");
    }
  }

  /** Loopback, private, link-local, CGNAT, unspecified, multicast or (IPv6) unique-local and mapped forms of those. */
  static boolean forbidden(final InetAddress address) {
    if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    final byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      final int first = b[0] & 0xff;
      final int second = b[1] & 0xff;
      return first == 0 || first == 127 || (first == 100 && second >= 64 && second < 128) // CGNAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved, broadcast
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // fc00::/7 unique local (AWS IMDS on IPv6 is fd00:ec2::254)
      }
      if (isMappedOrCompatibleV4(b)) {
        try {
          return forbidden(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isMappedOrCompatibleV4(final byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
  }

  private static boolean isLoopbackName(final String host) {
    return host.equals("localhost") || host.endsWith(".localhost");
  }

  private static String host(final URI url) {
    final String host = Optional.ofNullable(url.getHost()).orElse("").toLowerCase(Locale.ROOT);
    final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
  }

  /** The address a host names literally (IPv4 dotted or IPv6), without any DNS lookup. */
  private static Optional<InetAddress> literal(final String host) {
    if (host.contains(":") || host.matches("[0-9.]+")) {
      try {
        return Optional.of(InetAddress.getByName(host)); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        throw invalid("jwks_url has an unreadable address");
      }
    }
    if (host.matches("(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]+|[0-9]+))*")) {
      throw invalid("jwks_url must name its host in dotted decimal or by name");
    }
    return Optional.empty();
  }

  /**
   * The JWKS fetcher's HTTP client: checks the resolved addresses before each connection, does not
   * follow redirects (a redirect could lead anywhere), and only speaks http(s).
   */
  static final class GuardedRetriever extends com.nimbusds.jose.util.DefaultResourceRetriever {
    GuardedRetriever(final int connectTimeout, final int readTimeout, final int sizeLimit) {
      super(connectTimeout, readTimeout, sizeLimit);
    }

    @Override
    protected HttpURLConnection openConnection(final URL url) throws IOException {
      checkResolved(url);
      final HttpURLConnection connection = super.openConnection(url);
      connection.setInstanceFollowRedirects(false);
      return connection;
    }
  }

  private static InvalidRequestException invalid(final String why) {
    return new InvalidRequestException("jwt settings: " + why);
  }
}

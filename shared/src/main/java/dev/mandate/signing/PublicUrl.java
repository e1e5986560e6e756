package dev.mandate.signing;

import dev.mandate.api.ApiRequest;
import dev.mandate.config.Settings;
import java.util.Optional;

/**
 * The base URL clients call, which their authorization signatures cover: {@code MANDATE_PUBLIC_URL}
 * when set (a custom domain, the local runner), else {@code https://} + the host API Gateway saw.
 */
public final class PublicUrl {
  public static final String SETTING = "MANDATE_PUBLIC_URL";

  private final Optional<String> configured;

  public PublicUrl(final Optional<String> configured) {
    this.configured = configured.map(PublicUrl::trimSlashes);
  }

  public static PublicUrl fromEnvironment() {
    return new PublicUrl(Settings.get(SETTING));
  }

  public String resolve(final ApiRequest request) {
    return configured.orElseGet(() -> "https://" + request.domainName().orElse("localhost"));
  }

  private static String trimSlashes(final String url) {
    String out = url;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}

package dev.mandate.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mandate.api.Api;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of a Lambda handler: API Gateway HTTP API (payload 2.0) event in, one domain call,
 * response out. Subclasses only choose which routes they serve.
 */
public abstract class HttpApiHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, org.crac.Resource {
  private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");
  /**
   * Loads the signing crypto (and on an on-demand init, the AWS SDK's request path) on a second thread
   * from the moment this class loads, i.e. while a subclass is still building its {@link Api} (clients,
   * configuration): the constructor waits for it, so init ends with both done.
   */
  private static final Thread BACKGROUND_PRIMING = startBackgroundPriming();

  private final Api api;

  protected HttpApiHandler(final Api api) {
    this.api = api;
    // SnapStart: the runtime checkpoints after init; the context keeps only a weak reference, and the
    // runtime keeps this handler alive.
    org.crac.Core.getGlobalContext().register(this);
    // Lambda init (and with SnapStart, the snapshot) rather than the first request pays for loading
    // the request pipeline and the signing crypto; an on-demand init the AWS SDK's request path too.
    primePipeline();
    try {
      BACKGROUND_PRIMING.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread startBackgroundPriming() {
    final Thread thread = new Thread(() -> {
      dev.mandate.enclave.Priming.prime();
      if (SdkPriming.allowed(System.getenv())) {
        SdkPriming.prime();
      }
    }, "mandate-priming");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Before the SnapStart snapshot: {@link #prime()} (again: cheap once init has run it).
   */
  @Override
  public void beforeCheckpoint(final org.crac.Context<? extends org.crac.Resource> context) {
    prime();
  }

  /**
   * Runs the request pipeline once (event conversion, routing, JSON, the error path) so those classes
   * are loaded and initialised. The request carries no credentials, so it stops at app
   * authentication: no database call, no key, no randomness. Then
   * {@link dev.mandate.enclave.Priming#prime()} loads the signing crypto (libsecp256k1, AWS-LC) with
   * public constants only.
   */
  protected final void prime() {
    primePipeline();
    dev.mandate.enclave.Priming.prime();
  }

  private void primePipeline() {
    // A collection route and a wallet's route: whichever this handler serves runs up to app authentication.
    for (final String path : new String[] {"/v1/wallets", "/v1/wallets/priming/rpc"}) {
      final APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
      event.setRawPath(path);
      event.setBody("{\"chain_type\":\"ethereum\"}");
      event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
          .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build())
          .build());
      handleRequest(event, null);
    }
  }

  @Override
  public void afterRestore(final org.crac.Context<? extends org.crac.Resource> context) {
    // Clients hold no connections yet, and randomness (Rng) is created on first use; libsecp256k1's
    // context was blinded before the snapshot, so every clone blinds it afresh.
    dev.mandate.enclave.Priming.afterRestore();
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(final APIGatewayV2HTTPEvent event, final Context context) {
    final ApiResponse response = api.handle(toRequest(event));
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status())
        .withHeaders(headers(response))
        .withBody(response.body())
        .withIsBase64Encoded(false)
        .build();
  }

  private static Map<String, String> headers(final ApiResponse response) {
    if (response.headers().isEmpty()) {
      return JSON_HEADERS;
    }
    final Map<String, String> headers = new HashMap<>(response.headers());
    headers.putAll(JSON_HEADERS);
    return headers;
  }

  static ApiRequest toRequest(final APIGatewayV2HTTPEvent event) {
    final APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    final String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : "GET";
    final Map<String, String> headers = new HashMap<>();
    if (event.getHeaders() != null) {
      event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    }
    final Map<String, String> query = event.getQueryStringParameters() == null
        ? Map.of() : Map.copyOf(event.getQueryStringParameters());
    return new ApiRequest(
        method.toUpperCase(Locale.ROOT),
        event.getRawPath() == null ? "/" : event.getRawPath(),
        headers,
        query,
        body(event),
        Optional.ofNullable(context == null ? null : context.getDomainName()));
  }

  private static Optional<String> body(final APIGatewayV2HTTPEvent event) {
    if (event.getBody() == null) {
      return Optional.empty();
    }
    if (event.getIsBase64Encoded()) {
      try {
        return Optional.of(new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return Optional.of("\u0000"); // not JSON: the domain answers 400
      }
    }
    return Optional.of(event.getBody());
  }
}

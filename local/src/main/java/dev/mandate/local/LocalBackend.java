package dev.mandate.local;

import dev.mandate.Mandate;
import dev.mandate.enclave.keys.KmsAdmin;
import dev.mandate.store.TableSchema;
import dev.mandate.testkit.DynamoDbLocal;
import java.io.PrintStream;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The local stack behind the handlers.
 *
 * <ul>
 *   <li>Default: DynamoDB Local in this process (in memory), the dev key wrapper (a master key file
 *       under {@code .mandate/}), no KMS.
 *   <li>{@code AWS_ENDPOINT_URL} set (moto, LocalStack): DynamoDB and KMS at that endpoint, the
 *       table and a KMS key ({@code alias/mandate-local}) created when absent, the KMS key wrapper.
 * </ul>
 *
 * <p>Settings already given (system property or environment variable) always win; the runner only
 * fills in what is missing and writes it back as system properties, before any handler exists.
 */
final class LocalBackend implements Backend {
  static final String KMS_ALIAS = "alias/mandate-local";
  static final String DEFAULT_TABLE = "mandate";
  private static final String DUMMY_CREDENTIAL = "local";

  @Override
  public AutoCloseable prepare(final int port, final PrintStream out) {
    // Production Lambdas carry only the URLConnection client; DynamoDB Local brings Apache and
    // Netty onto this classpath, and with several the SDK refuses to choose one.
    System.setProperty("software.amazon.awssdk.http.service.impl",
        "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService");
    configureRegionAndCredentials();
    if (Config.get("MANDATE_DEV_ALLOW_LOOPBACK_JWKS").filter("true"::equalsIgnoreCase).isPresent()) {
      // Development only: test JWKS servers listen on plain-http loopback (never honoured on Lambda).
      System.setProperty(dev.mandate.enclave.jwt.JwksUrls.DEV_LOOPBACK_PROPERTY, "true");
      out.println("dev: loopback JWKS URLs (http too) are accepted");
    }
    Config.getOrSet("MANDATE_PUBLIC_URL", "http://127.0.0.1:" + port);
    final String table = Config.getOrSet("MANDATE_TABLE_NAME", DEFAULT_TABLE);
    final String anchorTable = Config.get("MANDATE_ANCHOR_TABLE_NAME").orElse(TableSchema.anchorTableName(table));

    final Optional<String> endpoint = Config.get("aws.endpointUrl").or(() -> Config.get("AWS_ENDPOINT_URL"));
    DynamoDbLocal dynamoDbLocal = null;
    try {
      final URI dynamoEndpoint;
      if (endpoint.isPresent()) {
        dynamoEndpoint = URI.create(endpoint.get());
        final String wrapper = Config.getOrSet("MANDATE_KEY_WRAPPER", "kms");
        if (wrapper.equals("kms") && Config.get("MANDATE_KMS_KEY_ID").isEmpty()) {
          System.setProperty("MANDATE_KMS_KEY_ID", ensureKmsKey(dynamoEndpoint));
        }
        out.println("backend: DynamoDB and KMS at " + endpoint.get() + " (table " + table + ", key wrapper " + wrapper + ")");
      } else {
        dynamoDbLocal = DynamoDbLocal.start();
        dynamoEndpoint = dynamoDbLocal.endpoint();
        System.setProperty("aws.endpointUrl", dynamoEndpoint.toString());
        final String wrapper = Config.getOrSet("MANDATE_KEY_WRAPPER", "dev");
        out.println("backend: DynamoDB Local in memory (table " + table + ", key wrapper " + wrapper + ")");
      }
      createTable(dynamoEndpoint, table, anchorTable);
      final DevCredentials app = devCredentials();
      System.setProperty("MANDATE_DEV_APP_ID", app.appId());
      System.setProperty("MANDATE_DEV_APP_SECRET", app.appSecret());
      ensureDevApp(app);
      configureDevJwt(app, out);
      if (app.generated()) {
        out.println("dev app (generated; export these to keep the same credentials across restarts):");
        out.println("  MANDATE_DEV_APP_ID=" + app.appId());
        out.println("  MANDATE_DEV_APP_SECRET=" + app.appSecret());
      } else {
        out.println("dev app: " + app.appId() + " (secret from MANDATE_DEV_APP_SECRET)");
      }
    } catch (RuntimeException e) {
      if (dynamoDbLocal != null) {
        dynamoDbLocal.close();
      }
      throw e;
    }
    final DynamoDbLocal started = dynamoDbLocal;
    return () -> {
      if (started != null) {
        started.close();
      }
    };
  }

  /** us-east-1 and dummy credentials unless the developer configured their own. */
  static void configureRegionAndCredentials() {
    if (Config.get("aws.region").isEmpty() && Config.get("AWS_REGION").isEmpty()) {
      // SDK v2 ignores AWS_DEFAULT_REGION; honour it here since the AWS CLI and moto users set it.
      System.setProperty("aws.region", Config.getOrDefault("AWS_DEFAULT_REGION", LocalContext.REGION));
    }
    if (Config.get("aws.accessKeyId").isEmpty() && Config.get("AWS_ACCESS_KEY_ID").isEmpty()) {
      System.setProperty("aws.accessKeyId", DUMMY_CREDENTIAL);
      System.setProperty("aws.secretAccessKey", DUMMY_CREDENTIAL);
    }
  }

  static DevCredentials devCredentials() {
    final Optional<String> id = Config.get("MANDATE_DEV_APP_ID");
    final Optional<String> secret = Config.get("MANDATE_DEV_APP_SECRET");
    if (id.isPresent() && secret.isPresent()) {
      return new DevCredentials(id.get(), secret.get(), false);
    }
    if (id.isPresent() || secret.isPresent()) {
      throw new StartupException("set both MANDATE_DEV_APP_ID and MANDATE_DEV_APP_SECRET, or neither (to generate them)");
    }
    return DevCredentials.generate();
  }

  private static void createTable(final URI endpoint, final String table, final String anchorTable) {
    try (DynamoDbClient dynamo = DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build()) {
      TableSchema.createIfAbsent(dynamo, table, anchorTable);
    } catch (RuntimeException e) {
      throw new StartupException("cannot create table " + table + " at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  private static String ensureKmsKey(final URI endpoint) {
    try (KmsClient kms = KmsClient.builder()
        .endpointOverride(endpoint)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build()) {
      return KmsAdmin.ensureKey(kms, KMS_ALIAS);
    } catch (RuntimeException e) {
      throw new StartupException("cannot create KMS key " + KMS_ALIAS + " at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  /** Registers the dev app with the domain, so requests with its credentials authenticate. */
  /**
   * The dev app's user-JWT verification, from {@code MANDATE_DEV_JWKS_URL} or
   * {@code MANDATE_DEV_JWT_PUBLIC_KEY} (PEM), with {@code MANDATE_DEV_JWT_ISSUER} and
   * {@code MANDATE_DEV_JWT_AUDIENCE}; unchanged when neither key source is set.
   */
  private static void configureDevJwt(final DevCredentials app, final PrintStream out) {
    final Optional<String> jwks = Config.get("MANDATE_DEV_JWKS_URL");
    final Optional<String> pem = Config.get("MANDATE_DEV_JWT_PUBLIC_KEY");
    if (jwks.isEmpty() && pem.isEmpty()) {
      return;
    }
    final com.fasterxml.jackson.databind.node.ObjectNode settings = dev.mandate.api.Json.object();
    jwks.ifPresent(url -> settings.put("jwks_url", url));
    pem.ifPresent(key -> settings.putArray("pem_public_keys").add(key.replace("\\n", "\n")));
    Config.get("MANDATE_DEV_JWT_ISSUER").ifPresent(v -> settings.put("issuer", v));
    Config.get("MANDATE_DEV_JWT_AUDIENCE").ifPresent(v -> settings.put("audience", v));
    try {
      Mandate.instance().sessions().configure(app.appId(), settings);
    } catch (RuntimeException e) {
      throw new StartupException("cannot configure the dev app's JWT verification: " + e.getMessage(), e);
    }
    out.println("dev app JWT verification: " + jwks.map(u -> "JWKS " + u).orElse("PEM public key"));
  }

  private static void ensureDevApp(final DevCredentials app) {
    try {
      Mandate.instance().apps().ensureApp(app.appId(), app.appSecret());
    } catch (RuntimeException e) {
      throw new StartupException("cannot register the dev app: " + e, e);
    }
  }
}

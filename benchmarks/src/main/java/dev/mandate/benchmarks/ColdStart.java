package dev.mandate.benchmarks;

import dev.mandate.Mandate;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.enclave.keys.KmsAdmin;
import dev.mandate.store.TableSchema;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.MotoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Cold start of the sign handler beside a bare handler making one GetItem, both from the shaded
 * functions jar in fresh JVMs with Lambda's JVM flags, against moto (DynamoDB and KMS). Alternates
 * the two, prints every run and the medians.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.ColdStart \
 *     functions/target/mandate-functions.jar benchmarks/target/classes 7</pre>
 */
public final class ColdStart {
  private static final String APP = "coldapp00000000000000001";
  private static final String SECRET = "privy_app_secret_cold_start_0123456789";
  private static final String TABLE = "mandate-cold";
  private static final Pattern FIGURES = Pattern.compile("(\\w+)_ms=(\\d+)");
  /** What Lambda's java21 runtime passes (JAVA_TOOL_OPTIONS aside): C1 only, and a 1 GB function's heap. */
  private static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx870m");

  private ColdStart() {}

  public static void main(final String[] args) throws Exception {
    final Path functionsJar = Path.of(args[0]).toAbsolutePath();
    final Path harness = Path.of(args[1]).toAbsolutePath();
    final int runs = Integer.parseInt(args[2]);
    try (MotoServer moto = MotoServer.start()) {
      final String keyId = prepare(moto);
      final String wallet = createWallet(moto, keyId);
      final Map<String, List<Map<String, Long>>> results = Map.of("sign", new ArrayList<>(), "bare", new ArrayList<>());
      for (int i = 0; i < runs; i++) {
        for (final String mode : List.of("bare", "sign")) {
          final Map<String, Long> run = child(functionsJar, harness, moto, keyId, mode, wallet);
          System.out.println(mode + " " + run);
          results.get(mode).add(run);
        }
      }
      for (final String figure : List.of("init", "first_call", "first_response", "second_call")) {
        final long sign = median(results.get("sign"), figure);
        final long bare = median(results.get("bare"), figure);
        System.out.printf("median %-15s sign %5d ms  bare %5d ms  ratio %.2f%n", figure, sign, bare, (double) sign / bare);
      }
    }
  }

  private static String prepare(final MotoServer moto) {
    try (DynamoDbClient dynamo = AwsTestClients.dynamoDb(moto.endpoint());
        KmsClient kms = AwsTestClients.configure(KmsClient.builder(), moto.endpoint())) {
      TableSchema.createIfAbsent(dynamo, TABLE);
      return KmsAdmin.ensureKey(kms, "alias/mandate-cold");
    }
  }

  private static String createWallet(final MotoServer moto, final String keyId) {
    System.setProperty("aws.endpointUrl", moto.endpoint().toString());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    System.setProperty("MANDATE_TABLE_NAME", TABLE);
    System.setProperty("MANDATE_KEY_WRAPPER", "kms");
    System.setProperty("MANDATE_KMS_KEY_ID", keyId);
    System.setProperty("MANDATE_PUBLIC_URL", "https://bench.example");
    final Mandate mandate = Mandate.instance();
    mandate.apps().ensureApp(APP, SECRET);
    final ApiResponse created = mandate.walletsApi().handle(new ApiRequest("POST", "/v1/wallets", Map.of(
        "privy-app-id", APP, "content-type", "application/json", "authorization", "Basic "
            + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8))),
        Map.of(), Optional.of("{\"chain_type\":\"ethereum\"}"), Optional.of("bench.example")));
    if (created.status() != 200) {
      throw new IllegalStateException("wallet creation failed: " + created.body());
    }
    return dev.mandate.api.Json.parseStored(created.body()).path("id").asText();
  }

  private static Map<String, Long> child(final Path functionsJar, final Path harness, final MotoServer moto,
      final String keyId, final String mode, final String wallet) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LAMBDA_FLAGS);
    // e.g. -Dcoldstart.sign.flags=-XX:StartFlightRecording=filename=sign.jfr: where a first call goes
    final String extra = System.getProperty("coldstart." + mode + ".flags", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", functionsJar + ":" + harness,
        ColdStartChild.class.getName(), mode, wallet, APP, SECRET));
    final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    final Map<String, String> env = builder.environment();
    env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("MANDATE_TABLE_NAME", TABLE);
    env.put("MANDATE_KEY_WRAPPER", "kms");
    env.put("MANDATE_KMS_KEY_ID", keyId);
    env.put("MANDATE_PUBLIC_URL", "https://bench.example");
    final String interceptors = System.getProperty("coldstart.interceptors", "");
    if (!interceptors.isBlank()) {
      env.put("MANDATE_AWS_INTERCEPTORS", interceptors);
    }
    final Process process = builder.start();
    final StringBuilder output = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        output.append(line).append('\n');
        if (line.startsWith("aws ")) {
          System.out.println("  " + mode + " " + line);
        }
      }
    }
    if (process.waitFor() != 0 || !output.toString().contains("coldstart ")) {
      throw new IllegalStateException(mode + " run failed:\n" + output);
    }
    final Map<String, Long> figures = new java.util.TreeMap<>();
    final Matcher m = FIGURES.matcher(output.substring(output.indexOf("coldstart ")));
    while (m.find()) {
      figures.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return figures;
  }

  private static long median(final List<Map<String, Long>> runs, final String figure) {
    final long[] values = runs.stream().mapToLong(r -> r.get(figure)).sorted().toArray();
    return values[values.length / 2];
  }
}

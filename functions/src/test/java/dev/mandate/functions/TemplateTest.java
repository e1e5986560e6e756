package dev.mandate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards {@code template.yaml}: cfn-lint (which runs the SAM transform offline) must report nothing,
 * and the facts below, which cfn-lint cannot know are intended, must not regress.
 *
 * <p>The template is read with a small block-style outline reader (this module has no YAML
 * library); the template is written in block style so that this stays exact.
 */
class TemplateTest {
  private static final String WALLET_KEY = "wallet-key";
  private static final String RECORD_SEAL = "record-seal";
  /** Role paths the key policy names (SAM's RolePath on the generated execution roles). */
  private static final String ENCLAVE_PATH = "/${AWS::StackName}/enclave/";
  private static final String SIGNER_PATH = ENCLAVE_PATH + "signer/";
  /** The functions that run requests through the enclave (Execute): they seal, and write anchors. */
  private static final Set<String> ENCLAVE_PATH_FUNCTIONS = Set.of("WalletsFunction", "UpdateWalletFunction",
      "SignFunction", "KeyQuorumsFunction", "PoliciesFunction", "AuthenticateFunction", "UsersFunction",
      "RecurringActionsFunction", "RecurringWorkerFunction");
  /**
   * Functions that write the table (so its anchors) without running the enclave: the scheduler tick
   * (its watermark and index) and a transaction's status refresh.
   */
  private static final Set<String> HOST_ONLY_WRITERS = Set.of("RecurringRunnerFunction", "TransactionsFunction");
  private static final Set<String> TABLE_READS = Set.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query");
  private static final String ACTION_KEY = "action-key";
  private static Path template;
  private static Node root;

  @BeforeAll
  static void readTemplate() throws IOException {
    template = findTemplate();
    root = Node.parse(Files.readAllLines(template, StandardCharsets.UTF_8));
  }

  @Test
  void cfnLintReportsNothing() throws Exception {
    final Lint lint = cfnLint(template);
    assertThat(lint.output()).as("cfn-lint findings for %s", template).isEmpty();
    assertThat(lint.exitCode()).as("cfn-lint exit code").isZero();
  }

  /** Proves the lint above really checks something: a SnapStart function on java8 must be flagged. */
  @Test
  void cfnLintCatchesABrokenTemplate(@TempDir final Path dir) throws Exception {
    final Path broken = dir.resolve("template.yaml");
    Files.writeString(broken, Files.readString(template).replace("Runtime: java21", "Runtime: java8"));
    final Lint lint = cfnLint(broken);
    assertThat(lint.exitCode()).isNotZero();
    assertThat(lint.output()).contains("E2530");
  }

  @Test
  void everyFunctionIsJava21WithSnapStartOnThePublishedAlias() {
    final Node globals = root.child("Globals").flatMap(g -> g.child("Function")).orElseThrow();
    assertThat(globals.value("Runtime")).hasValue("java21");
    assertThat(globals.child("SnapStart").flatMap(s -> s.value("ApplyOn"))).hasValue("PublishedVersions");
    assertThat(globals.value("AutoPublishAlias")).hasValue("live");
    assertThat(globals.child("Architectures").orElseThrow().items()).extracting(Node::key).containsExactly("x86_64");
    assertThat(functions()).isNotEmpty();
    functions().forEach((name, properties) -> {
      // A function may restate the Globals, never weaken them.
      properties.value("Runtime").ifPresent(runtime -> assertThat(runtime).as(name).isEqualTo("java21"));
      properties.value("AutoPublishAlias").ifPresent(alias -> assertThat(alias).as(name).isEqualTo("live"));
      properties.child("SnapStart").ifPresent(snap ->
          assertThat(snap.value("ApplyOn")).as(name).hasValue("PublishedVersions"));
      assertThat(properties.value("Handler")).as(name).hasValueSatisfying(handler ->
          assertThat(handler).matches("dev\\.mandate\\.functions\\.[A-Za-z]+Handler::handleRequest"));
    });
  }

  @Test
  void everyRouteExistsUnderBothPrefixes() {
    final Map<String, String> routes = new LinkedHashMap<>();
    functions().forEach((name, properties) -> properties.child("Events").ifPresent(events -> {
      for (final Node event : events.children()) {
        if (!event.value("Type").orElse("").equals("HttpApi")) {
          continue;
        }
        final Node props = event.child("Properties").orElseThrow();
        assertThat(props.value("ApiId")).as("%s.%s ApiId", name, event.key()).hasValue("!Ref Api");
        final String key = props.value("Method").orElseThrow() + " " + props.value("Path").orElseThrow();
        assertThat(routes.put(key, name)).as("duplicate route %s", key).isNull();
      }
    }));
    for (final String[] route : new String[][] {
        {"POST /v1/wallets", "WalletsFunction"},
        {"GET /v1/wallets", "ReadFunction"},
        {"GET /v1/wallets/{wallet_id}", "ReadFunction"},
        {"PATCH /v1/wallets/{wallet_id}", "UpdateWalletFunction"},
        {"POST /v1/wallets/{wallet_id}/rpc", "SignFunction"},
        {"POST /v1/wallets/{wallet_id}/raw_sign", "SignFunction"},
        {"POST /v1/key_quorums", "KeyQuorumsFunction"},
        {"GET /v1/key_quorums/{key_quorum_id}", "ReadFunction"},
        {"PATCH /v1/key_quorums/{key_quorum_id}", "KeyQuorumsFunction"},
        {"DELETE /v1/key_quorums/{key_quorum_id}", "KeyQuorumsFunction"},
        {"POST /v1/recurring_actions", "RecurringActionsFunction"},
        {"GET /v1/recurring_actions", "ReadFunction"},
        {"GET /v1/recurring_actions/{action_id}", "ReadFunction"},
        {"POST /v1/recurring_actions/{action_id}/pause", "RecurringActionsFunction"},
        {"POST /v1/recurring_actions/{action_id}/resume", "RecurringActionsFunction"},
        {"DELETE /v1/recurring_actions/{action_id}", "RecurringActionsFunction"},
        {"GET /v1/recurring_actions/{action_id}/runs", "ReadFunction"},
        {"GET /v1/users/{user_id}", "ReadFunction"},
        {"GET /v1/jwt_settings", "ReadFunction"},
        {"GET /v1/policies/{policy_id}", "ReadFunction"},
        {"GET /v1/transactions/{transaction_id}", "TransactionsFunction"}}) {
      assertThat(routes).containsEntry(route[0], route[1]);
    }
    routes.forEach((key, function) -> {
      final String method = key.substring(0, key.indexOf(' '));
      final String path = key.substring(key.indexOf(' ') + 1);
      assertThat(path).as(key).matches("/(api/)?v1/.*");
      final String twin = method + " " + (path.startsWith("/api/") ? path.substring(4) : "/api" + path);
      assertThat(routes).as("%s must also be served as %s", key, twin).containsEntry(twin, function);
    });
  }

  @Test
  void onlyTheSigningFunctionsMayDecryptWalletKeys() {
    final Set<String> decryptors = new TreeSet<>();
    final Set<String> generators = new TreeSet<>();
    functions().forEach((name, properties) -> {
      for (final Node statement : statements(properties)) {
        if (!statement.value("Effect").orElse("").equals("Allow")) {
          continue;
        }
        final List<String> actions = actions(statement);
        final String text = statement.text();
        assertThat(actions).as("%s: no wildcard actions", name).noneMatch(a -> a.contains("*"));
        assertThat(statement.value("Resource")).as("%s: no Resource '*'", name).isNotEqualTo(Optional.of("*"));
        if (actions.stream().anyMatch(a -> a.startsWith("kms:"))) {
          // The one Key: every grant is pinned to one encryption-context purpose, data keys only.
          assertThat(text).as("%s KMS statement %s", name, statement.value("Sid")).contains("kms:EncryptionContext:purpose:");
          assertThat(actions).as(name).isSubsetOf("kms:Decrypt", "kms:GenerateDataKey");
          assertThat(statement.value("Resource")).as(name).hasValue("!GetAtt Key.Arn");
        }
        if (text.contains("kms:EncryptionContext:purpose: " + WALLET_KEY)) {
          if (actions.contains("kms:Decrypt")) {
            decryptors.add(name);
          }
          if (actions.contains("kms:GenerateDataKey")) {
            generators.add(name);
          }
        }
      }
    });
    // Signing: the rpc and raw_sign routes, and the worker submitting recurring actions' requests.
    assertThat(decryptors).containsExactly("RecurringWorkerFunction", "SignFunction");
    // Creating wallets: POST /v1/wallets, and /v1/signer/authenticate for a user who has none yet.
    assertThat(generators).containsExactlyInAnyOrder("WalletsFunction", "AuthenticateFunction");

    // The key policy backs this up: Decrypt for wallet-key is denied to every role outside the
    // signer role path, and exactly the decryptors' roles are on it.
    final Node deny = keyPolicyStatement("OnlySignersUnwrapWalletKeys");
    assertThat(deny.value("Effect")).hasValue("Deny");
    assertThat(deny.value("Action")).hasValue("kms:Decrypt");
    assertThat(deny.text()).contains("kms:EncryptionContext:purpose: " + WALLET_KEY)
        .contains("aws:PrincipalArn: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role" + SIGNER_PATH + "*'");
    assertThat(functionsWithRolePath(SIGNER_PATH)).isEqualTo(decryptors);
  }

  @Test
  void tableGrantsAreLimitedToTheCallsTheStoreMakes() {
    // DynamoStore: get → GetItem, getAll → BatchGetItem, create/update → conditional PutItem, delete →
    // DeleteItem, lists → Query, transactions → Put/Delete/ConditionCheck. UpdateItem, Scan: never.
    functions().forEach((name, properties) -> statements(properties).stream()
        .filter(statement -> statement.value("Resource").orElse("").matches("!GetAtt (Anchor)?Table\\.Arn"))
        .forEach(statement -> assertThat(actions(statement)).as(name).isSubsetOf("dynamodb:GetItem",
            "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem")));
  }

  @Test
  void functionsThatClaimOrUnlinkRecordsMayDeleteThem() {
    // Idempotency claims are deleted after a 5xx so a retry can run (wallets, rpc, policies, the
    // runner's rpc); metering leases after each metered request (rpc, runner); a PATCH that takes a
    // wallet from a user deletes the user's wallet pointer in the same transaction. DynamoDB checks
    // DeleteItem for a transaction's deletes too; without it these fail only on AWS.
    final Map<String, Node> functions = functions();
    for (final String name : List.of("WalletsFunction", "UpdateWalletFunction", "SignFunction", "PoliciesFunction",
        "RecurringWorkerFunction", "RecurringActionsFunction")) {
      assertThat(statements(functions.get(name)).stream()
          .filter(statement -> statement.value("Resource").orElse("").equals("!GetAtt Table.Arn"))
          .flatMap(statement -> actions(statement).stream()))
          .as(name).contains("dynamodb:DeleteItem", "dynamodb:PutItem");
    }
  }

  @Test
  void actionKeysAreWrappedByTheActionsFunctionAndUnwrappedOnlyByTheWorker() {
    final Set<String> decryptors = new TreeSet<>();
    final Set<String> generators = new TreeSet<>();
    functions().forEach((name, properties) -> {
      for (final Node statement : statements(properties)) {
        final List<String> actions = actions(statement);
        // No per-action KMS keys any more: no function creates, tags, retires or signs with a KMS key.
        assertThat(actions).as(name).doesNotContain("kms:CreateKey", "kms:TagResource", "kms:ScheduleKeyDeletion",
            "kms:GetPublicKey", "kms:Sign");
        if (statement.text().contains("kms:EncryptionContext:purpose: " + ACTION_KEY)) {
          if (actions.contains("kms:Decrypt")) {
            decryptors.add(name);
          }
          if (actions.contains("kms:GenerateDataKey")) {
            generators.add(name);
          }
        }
      }
    });
    assertThat(decryptors).containsExactly("RecurringWorkerFunction");
    assertThat(generators).containsExactly("RecurringActionsFunction");
    final Node deny = resource("Key").child("Properties").flatMap(p -> p.child("KeyPolicy")).flatMap(p -> p.child("Statement"))
        .orElseThrow().items().stream()
        .filter(s -> s.value("Effect").orElse("").equals("Deny"))
        .filter(s -> s.text().contains("kms:EncryptionContext:purpose: " + ACTION_KEY)).findFirst().orElseThrow();
    assertThat(deny.value("Action")).hasValue("kms:Decrypt");
    assertThat(deny.text())
        .contains("aws:PrincipalArn: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role" + SIGNER_PATH + "worker/*'");
    assertThat(functionsWithRolePath(SIGNER_PATH + "worker/")).isEqualTo(decryptors);
  }

  @Test
  void dueRunsFanOutThroughAQueueToABoundedWorkerWithADeadLetterQueue() {
    final Node worker = functions().get("RecurringWorkerFunction");
    assertThat(worker.value("Handler")).hasValue("dev.mandate.functions.RecurringWorkerHandler::handleRequest");
    final List<Node> sqs = worker.child("Events").orElseThrow().children().stream()
        .filter(e -> e.value("Type").orElse("").equals("SQS")).toList();
    assertThat(sqs).hasSize(1);
    final Node props = sqs.get(0).child("Properties").orElseThrow();
    assertThat(props.value("Queue")).hasValue("!GetAtt RecurringRunQueue.Arn");
    assertThat(props.child("FunctionResponseTypes").orElseThrow().items()).extracting(Node::key)
        .containsExactly("ReportBatchItemFailures");
    assertThat(props.child("ScalingConfig").flatMap(c -> c.value("MaximumConcurrency"))).isPresent();
    final Node queue = resource("RecurringRunQueue").child("Properties").orElseThrow();
    assertThat(queue.child("RedrivePolicy").flatMap(r -> r.value("deadLetterTargetArn")))
        .hasValue("!GetAtt RecurringRunDeadLetterQueue.Arn");
    assertThat(Integer.parseInt(queue.value("VisibilityTimeout").orElseThrow()))
        .isGreaterThanOrEqualTo(6 * Integer.parseInt(worker.value("Timeout").orElseThrow()));
    // The tick only reads the index and sends: no KMS, no deletes, SendMessage to this queue only.
    final Node runner = functions().get("RecurringRunnerFunction");
    assertThat(statements(runner)).noneMatch(s -> s.text().contains("kms:"));
    assertThat(statements(runner)).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("sqs:")))
        .singleElement().satisfies(s -> {
          assertThat(actions(s)).containsExactly("sqs:SendMessage");
          assertThat(s.value("Resource")).hasValue("!GetAtt RecurringRunQueue.Arn");
        });
  }

  @Test
  void readRoutesAreServedByAFunctionThatCanOnlyReadAndHoldsNoKey() {
    final Set<String> readers = new TreeSet<>();
    functions().forEach((name, properties) -> properties.child("Events").ifPresent(events -> events.children().forEach(e -> {
      final Optional<String> method = e.child("Properties").flatMap(p -> p.value("Method"));
      final String path = e.child("Properties").flatMap(p -> p.value("Path")).orElse("");
      if (method.equals(Optional.of("GET")) && !path.contains("/transactions/")) {
        readers.add(name);
      }
    })));
    assertThat(readers).containsExactly("ReadFunction");
    final Node reader = functions().get("ReadFunction");
    assertThat(reader.child("Events").orElseThrow().children()).allSatisfy(e ->
        assertThat(e.child("Properties").flatMap(p -> p.value("Method"))).as(e.key()).hasValue("GET"));
    final List<Node> statements = statements(reader);
    assertThat(statements).isNotEmpty().allSatisfy(statement -> {
      assertThat(statement.value("Effect")).hasValue("Allow");
      assertThat(actions(statement)).as(statement.text()).isSubsetOf(TABLE_READS);
    });
    assertThat(statements).extracting(statement -> statement.value("Resource").orElse(""))
        .contains("!GetAtt Table.Arn", "!GetAtt AnchorTable.Arn");
    assertThat(reader.value("RolePath")).as("no role path the key policy exempts").isEmpty();
  }

  @Test
  void onlyTheEnclavePathSealsRecordsAndWritesTheAnchorTable() {
    final Set<String> sealers = new TreeSet<>();
    final Set<String> anchorWriters = new TreeSet<>();
    functions().forEach((name, properties) -> statements(properties).forEach(statement -> {
      if (statement.text().contains("kms:EncryptionContext:purpose: " + RECORD_SEAL)) {
        sealers.add(name);
      }
      if (statement.value("Resource").equals(Optional.of("!GetAtt AnchorTable.Arn"))
          && !TABLE_READS.containsAll(actions(statement))) {
        anchorWriters.add(name);
      }
    }));
    assertThat(sealers).isEqualTo(new TreeSet<>(ENCLAVE_PATH_FUNCTIONS));
    final Set<String> tableWriters = new TreeSet<>(ENCLAVE_PATH_FUNCTIONS);
    tableWriters.addAll(HOST_ONLY_WRITERS);
    assertThat(anchorWriters).isEqualTo(tableWriters);
    final Set<String> onPath = functionsWithRolePath(ENCLAVE_PATH);
    onPath.addAll(functionsWithRolePath(SIGNER_PATH));
    assertThat(onPath).isEqualTo(new TreeSet<>(ENCLAVE_PATH_FUNCTIONS));

    // The key policy backs it: data-key use (seal keys, wallet keys) is denied outside the path.
    final Node deny = keyPolicyStatement("OnlyTheEnclavePathUsesDataKeys");
    assertThat(deny.value("Effect")).hasValue("Deny");
    assertThat(deny.child("Principal").flatMap(p -> p.value("AWS"))).hasValue("*");
    assertThat(deny.child("Action").orElseThrow().items()).extracting(Node::key)
        .containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
    assertThat(deny.child("Condition").orElseThrow().children()).extracting(Node::key).containsExactly("ArnNotLike");
    assertThat(deny.text())
        .contains("aws:PrincipalArn: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role" + ENCLAVE_PATH + "*'");
  }

  @Test
  void keyPolicyConditionsNameRoleArnsNeverTags() {
    final List<Node> statements = resource("Key").child("Properties").flatMap(p -> p.child("KeyPolicy"))
        .flatMap(p -> p.child("Statement")).orElseThrow().items();
    for (final Node statement : statements) {
      // STS session tags (sts:TagSession) set principal and request tags: no condition may rest on them.
      statement.child("Condition").ifPresent(condition -> assertThat(condition.text())
          .as(statement.value("Sid").orElse("?")).doesNotContain("PrincipalTag", "RequestTag", "ResourceTag", "TagKeys"));
    }
    final List<Node> denies = statements.stream().filter(s -> s.value("Effect").equals(Optional.of("Deny"))).toList();
    assertThat(denies).hasSize(3).allSatisfy(deny -> {
      final Node arn = deny.child("Condition").flatMap(c -> c.child("ArnNotLike")).flatMap(c -> c.child("aws:PrincipalArn"))
          .orElseThrow(() -> new AssertionError(deny.value("Sid") + ": no aws:PrincipalArn condition"));
      assertThat(arn.value()).startsWith("!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${AWS::StackName}/");
    });
    functions().forEach((name, properties) -> assertThat(properties.value("Tags")).as(name).isEmpty());
  }

  @Test
  void everyFunctionKnowsTheAnchorTable() {
    final Node variables = root.child("Globals").flatMap(g -> g.child("Function")).flatMap(f -> f.child("Environment"))
        .flatMap(e -> e.child("Variables")).orElseThrow();
    assertThat(variables.value("MANDATE_ANCHOR_TABLE_NAME")).hasValue("!Ref AnchorTable");
    assertThat(variables.value("MANDATE_TABLE_NAME")).hasValue("!Ref Table");
    functions().forEach((name, properties) -> properties.child("Environment").flatMap(e -> e.child("Variables"))
        .ifPresent(v -> assertThat(v.value("MANDATE_ANCHOR_TABLE_NAME")).as(name).isEmpty()));
  }

  @Test
  void theAnchorTableIsRetainedEncryptedRecoverableAndKeyedLikeTheTable() {
    final Node anchor = resource("AnchorTable");
    assertThat(anchor.value("Type")).hasValue("AWS::DynamoDB::Table");
    assertThat(anchor.value("DeletionPolicy")).hasValue("Retain");
    assertThat(anchor.value("UpdateReplacePolicy")).hasValue("Retain");
    final Node props = anchor.child("Properties").orElseThrow();
    assertThat(props.value("BillingMode")).hasValue("PAY_PER_REQUEST");
    assertThat(props.child("KeySchema").orElseThrow().items())
        .extracting(k -> k.value("AttributeName").orElseThrow() + " " + k.value("KeyType").orElseThrow())
        .containsExactly("pk HASH", "sk RANGE");
    assertThat(props.child("AttributeDefinitions").orElseThrow().items())
        .extracting(k -> k.value("AttributeName").orElseThrow() + " " + k.value("AttributeType").orElseThrow())
        .containsExactlyInAnyOrder("pk S", "sk S");
    assertThat(props.child("GlobalSecondaryIndexes")).isEmpty();
    assertThat(props.child("TimeToLiveSpecification").flatMap(p -> p.value("AttributeName"))).hasValue("ttl");
    assertThat(props.child("TimeToLiveSpecification").flatMap(p -> p.value("Enabled"))).hasValue("true");
    assertThat(props.child("PointInTimeRecoverySpecification").flatMap(p -> p.value("PointInTimeRecoveryEnabled")))
        .hasValue("true");
    assertThat(props.child("SSESpecification").flatMap(p -> p.value("SSEEnabled"))).hasValue("true");
  }

  @Test
  void theRunnerIsScheduledEveryMinuteWithTheScheduledTime() {
    final Node runner = functions().get("RecurringRunnerFunction");
    assertThat(runner.value("Handler")).hasValue("dev.mandate.functions.RecurringRunnerHandler::handleRequest");
    final List<Node> scheduled = runner.child("Events").orElseThrow().children().stream()
        .filter(e -> e.value("Type").orElse("").equals("ScheduleV2")).toList();
    assertThat(scheduled).hasSize(1);
    final Node props = scheduled.get(0).child("Properties").orElseThrow();
    assertThat(props.value("ScheduleExpression")).hasValue("rate(1 minute)");
    assertThat(props.child("FlexibleTimeWindow").flatMap(w -> w.value("Mode"))).hasValue("OFF");
    assertThat(props.value("Input")).hasValue("{\"scheduled_time\":\"<aws.scheduler.scheduled-time>\"}");
    assertThat(props.child("RetryPolicy").flatMap(r -> r.value("MaximumRetryAttempts"))).hasValue("2");
    assertThat(props.child("DeadLetterConfig").flatMap(d -> d.value("Arn")))
        .hasValue("!GetAtt RecurringRunnerDeadLetterQueue.Arn");
    assertThat(resource("RecurringRunnerDeadLetterQueue").value("Type")).hasValue("AWS::SQS::Queue");

    // No other function is scheduled: each would need its own reason to run unasked.
    functions().forEach((name, properties) -> properties.child("Events").ifPresent(events -> events.children().forEach(e -> {
      if (e.value("Type").orElse("").startsWith("Schedule")) {
        assertThat(name).isEqualTo("RecurringRunnerFunction");
      }
    })));
  }

  @Test
  void dataAndKeyAreRetainedEncryptedAndRecoverable() {
    final Node table = resource("Table");
    assertThat(table.value("Type")).hasValue("AWS::DynamoDB::Table");
    assertThat(table.value("DeletionPolicy")).hasValue("Retain");
    assertThat(table.value("UpdateReplacePolicy")).hasValue("Retain");
    final Node props = table.child("Properties").orElseThrow();
    assertThat(props.value("BillingMode")).hasValue("PAY_PER_REQUEST");
    assertThat(props.child("PointInTimeRecoverySpecification").flatMap(p -> p.value("PointInTimeRecoveryEnabled")))
        .hasValue("true");
    assertThat(props.child("SSESpecification").flatMap(p -> p.value("SSEEnabled"))).hasValue("true");
    assertThat(props.child("TimeToLiveSpecification").flatMap(p -> p.value("AttributeName"))).hasValue("ttl");
    assertThat(props.child("GlobalSecondaryIndexes").orElseThrow().items())
        .anySatisfy(index -> assertThat(index.value("IndexName")).hasValue("gsi1"));

    final Node key = resource("Key");
    assertThat(key.value("DeletionPolicy")).hasValue("Retain");
    assertThat(key.child("Properties").flatMap(p -> p.value("EnableKeyRotation"))).hasValue("true");
  }

  // ---------------------------------------------------------------------------------------------

  private record Lint(int exitCode, String output) {}

  private static Lint cfnLint(final Path file) throws IOException, InterruptedException {
    final Process process;
    try {
      process = new ProcessBuilder("cfn-lint", file.getFileName().toString())
          .directory(file.toAbsolutePath().getParent().toFile())
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      return fail("cfn-lint is not installed or not on PATH (pip install cfn-lint; CI images have 1.51): " + e.getMessage());
    }
    process.getOutputStream().close();
    final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return fail("cfn-lint did not finish within 120 s");
    }
    return new Lint(process.exitValue(), output);
  }

  private static Path findTemplate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      final Path candidate = dir.resolve("template.yaml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return fail("template.yaml not found above " + Path.of("").toAbsolutePath());
  }

  private static Node keyPolicyStatement(final String sid) {
    return resource("Key").child("Properties").flatMap(p -> p.child("KeyPolicy")).flatMap(p -> p.child("Statement"))
        .orElseThrow().items().stream().filter(s -> s.value("Sid").equals(Optional.of(sid))).findFirst()
        .orElseThrow(() -> new AssertionError("no key policy statement " + sid));
  }

  /** Functions whose generated role has exactly {@code path} (SAM RolePath). */
  private static Set<String> functionsWithRolePath(final String path) {
    final Set<String> named = new TreeSet<>();
    functions().forEach((name, properties) -> {
      // A role path names its subtree: the key policy's ArnNotLike patterns end in "*".
      if (properties.value("RolePath").filter(p -> p.startsWith("!Sub '" + path)).isPresent()) {
        named.add(name);
      }
    });
    return named;
  }

  private static Node resource(final String name) {
    return root.child("Resources").flatMap(r -> r.child(name)).orElseThrow(() -> new AssertionError("no resource " + name));
  }

  /** Properties of every AWS::Serverless::Function, by logical id. */
  private static Map<String, Node> functions() {
    return root.child("Resources").orElseThrow().children().stream()
        .filter(r -> r.value("Type").orElse("").equals("AWS::Serverless::Function"))
        .collect(Collectors.toMap(Node::key, r -> r.child("Properties").orElseThrow(), (a, b) -> a, LinkedHashMap::new));
  }

  /** Every statement of every inline policy document of a function. */
  private static List<Node> statements(final Node properties) {
    final List<Node> statements = new ArrayList<>();
    properties.child("Policies").ifPresent(policies -> {
      for (final Node document : policies.items()) {
        document.child("Statement").ifPresent(s -> statements.addAll(s.items()));
      }
    });
    return statements;
  }

  private static List<String> actions(final Node statement) {
    final Node action = statement.child("Action").orElseThrow(() -> new AssertionError("statement without Action"));
    return action.value().isEmpty() ? action.items().stream().map(Node::key).toList() : List.of(action.value());
  }

  /**
   * An outline of block-style YAML: each node is a {@code key: value} line (or a {@code - } list
   * item, key "-") with the more-indented lines under it as children. Enough for a template
   * written in block style; flow collections stay as text values.
   */
  record Node(String key, String value, int indent, List<Node> children) {
    static Node parse(final List<String> lines) {
      final Node root = new Node("", "", -1, new ArrayList<>());
      final Deque<Node> stack = new ArrayDeque<>();
      stack.push(root);
      for (final String raw : lines) {
        final String line = stripComment(raw);
        if (line.isBlank()) {
          continue;
        }
        int indent = 0;
        while (line.charAt(indent) == ' ') {
          indent++;
        }
        String text = line.substring(indent).stripTrailing();
        if (text.equals("-") || text.startsWith("- ")) {
          // A list item sits one column "inside" its parent key, so "key:\n- a" also nests.
          final Node item = new Node("-", "", indent + 1, new ArrayList<>());
          attach(stack, item);
          text = text.substring(1).strip();
          indent += 2;
          if (text.isEmpty()) {
            continue;
          }
          if (!text.contains(": ") && !text.endsWith(":")) {
            item.children().add(new Node(unquote(text), "", indent, new ArrayList<>()));
            continue;
          }
        }
        attach(stack, entry(text, indent));
      }
      return root;
    }

    private static void attach(final Deque<Node> stack, final Node node) {
      while (stack.peek().indent() >= node.indent()) {
        stack.pop();
      }
      stack.peek().children().add(node);
      stack.push(node);
    }

    private static Node entry(final String text, final int indent) {
      final int colon = text.endsWith(":") && !text.contains(": ") ? text.length() - 1 : text.indexOf(": ");
      if (colon < 0) {
        return new Node(unquote(text), "", indent, new ArrayList<>());
      }
      return new Node(unquote(text.substring(0, colon).strip()), unquote(text.substring(colon + 1).strip()), indent,
          new ArrayList<>());
    }

    private static String stripComment(final String line) {
      final String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        return "";
      }
      final int hash = line.indexOf(" #");
      return hash >= 0 && line.indexOf('\'') < 0 && line.indexOf('"') < 0 ? line.substring(0, hash) : line;
    }

    private static String unquote(final String text) {
      if (text.length() >= 2 && (text.startsWith("'") && text.endsWith("'") || text.startsWith("\"") && text.endsWith("\""))) {
        return text.substring(1, text.length() - 1);
      }
      return text;
    }

    Optional<Node> child(final String name) {
      return children.stream().filter(c -> c.key().equals(name)).findFirst();
    }

    Optional<String> value(final String name) {
      return child(name).map(Node::value).filter(v -> !v.isEmpty());
    }

    /** The list items under this node; for an item, its first child holds the inline content. */
    List<Node> items() {
      return children.stream().filter(c -> c.key().equals("-")).map(Node::itemContent).toList();
    }

    /** A list item as a mapping (its children) or, for a scalar item, the scalar as key. */
    private Node itemContent() {
      if (children.size() == 1 && children.get(0).value().isEmpty() && children.get(0).children().isEmpty()) {
        return children.get(0);
      }
      return new Node("-", "", indent, children);
    }

    /** This subtree as "key: value" lines, for contains-checks. */
    String text() {
      final StringBuilder out = new StringBuilder();
      append(out);
      return out.toString();
    }

    private void append(final StringBuilder out) {
      out.append(key).append(value.isEmpty() ? ":" : ": " + value).append('\n');
      children.forEach(c -> c.append(out));
    }
  }
}

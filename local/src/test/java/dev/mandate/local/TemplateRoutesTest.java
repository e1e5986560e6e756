package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.local.TemplateRoutes.FunctionSpec;
import dev.mandate.local.TemplateRoutes.RouteSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TemplateRoutesTest {
  @Test
  void readsFunctionsAndHttpRoutesThroughEveryIntrinsicTag() {
    final TemplateRoutes routes = TemplateRoutes.load(TestTemplates.resource("test-template.yaml"));

    assertThat(routes.routes()).extracting(RouteSpec::routeKey).containsExactlyInAnyOrder(
        "GET /v1/things", "POST /v1/things", "GET /v1/things/{thing_id}", "GET /v1/things/special",
        "ANY /v1/files/{path+}", "POST /v1/things/{thing_id}/boom", "GET /v1/blob");
    assertThat(routes.functions()).containsOnlyKeys("EchoFunction", "FailingFunction", "BinaryFunction");

    final FunctionSpec echo = routes.functions().get("EchoFunction");
    assertThat(echo.handlerClass()).isEqualTo("dev.mandate.local.testing.EchoHandler");
    assertThat(echo.handlerMethod()).isEqualTo("handleRequest");
    assertThat(echo.memoryMb()).as("Globals MemorySize: !Ref Memory -> parameter default").isEqualTo(2048);
    assertThat(echo.timeoutSeconds()).isEqualTo(7);
    assertThat(routes.functions().get("FailingFunction").memoryMb()).as("function overrides Globals").isEqualTo(512);
    assertThat(routes.functions().get("BinaryFunction").handlerMethod()).isEqualTo("handleRequest");
  }

  @Test
  void shortFormIntrinsicsBecomeLongForm() {
    final Map<String, Object> template = CfnYaml.parse("""
        A: !Ref Table
        B: !GetAtt Key.Arn
        C: !Sub '${AWS::StackName}-x'
        D: !If [HasUrl, !Ref Url, !Ref AWS::NoValue]
        E: !Join ['-', [a, b]]
        F: !Condition HasUrl
        """);
    assertThat(template).containsEntry("A", Map.of("Ref", "Table"))
        .containsEntry("B", Map.of("Fn::GetAtt", List.of("Key", "Arn")))
        .containsEntry("C", Map.of("Fn::Sub", "${AWS::StackName}-x"))
        .containsEntry("D", Map.of("Fn::If", List.of("HasUrl", Map.of("Ref", "Url"), Map.of("Ref", "AWS::NoValue"))))
        .containsEntry("E", Map.of("Fn::Join", List.of("-", List.of("a", "b"))))
        .containsEntry("F", Map.of("Condition", "HasUrl"));
  }

  @Test
  void rejectsDuplicateRoutesAndDuplicateKeys() {
    assertThatThrownBy(() -> TemplateRoutes.from(CfnYaml.parse("""
        Resources:
          A:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.A
              Events:
                E: {Type: HttpApi, Properties: {Path: /v1/x, Method: GET}}
          B:
            Type: AWS::Serverless::Function
            Properties:
              Handler: x.B
              Events:
                E: {Type: HttpApi, Properties: {Path: /v1/x, Method: get}}
        """), "t")).isInstanceOf(StartupException.class).hasMessageContaining("GET /v1/x");

    assertThatThrownBy(() -> CfnYaml.parse("""
        Resources:
          A: {Type: X}
          A: {Type: Y}
        """)).isInstanceOf(StartupException.class);
  }

  @Test
  void javaTagsAreNotConstructed() {
    assertThatThrownBy(() -> CfnYaml.parse("a: !!java.io.File [/tmp]")).isInstanceOf(StartupException.class);
  }

  /** The deployed routes: every route of the API exists under /v1 and /api/v1 with the same function. */
  @Test
  void repositoryTemplateServesEveryRouteUnderBothPrefixes() {
    final TemplateRoutes routes = TemplateRoutes.load(TestTemplates.repositoryTemplate());
    final Map<String, String> byKey = routes.routes().stream()
        .collect(Collectors.toMap(RouteSpec::routeKey, RouteSpec::function));

    assertThat(byKey).containsEntry("POST /v1/wallets", "WalletsFunction")
        .containsEntry("GET /v1/wallets", "ReadFunction")
        .containsEntry("GET /v1/wallets/{wallet_id}", "ReadFunction")
        .containsEntry("PATCH /v1/wallets/{wallet_id}", "UpdateWalletFunction")
        .containsEntry("POST /v1/wallets/{wallet_id}/rpc", "SignFunction")
        .containsEntry("POST /v1/wallets/{wallet_id}/raw_sign", "SignFunction")
        .containsEntry("POST /v1/key_quorums", "KeyQuorumsFunction")
        .containsEntry("GET /v1/key_quorums/{key_quorum_id}", "ReadFunction")
        .containsEntry("PATCH /v1/key_quorums/{key_quorum_id}", "KeyQuorumsFunction")
        .containsEntry("DELETE /v1/key_quorums/{key_quorum_id}", "KeyQuorumsFunction");
    for (final RouteSpec route : routes.routes()) {
      assertThat(route.path()).matches("/(api/)?v1/.*");
      final String twin = route.path().startsWith("/v1/")
          ? route.method() + " /api" + route.path()
          : route.method() + " " + route.path().substring("/api".length());
      assertThat(byKey).as("twin of %s", route.routeKey()).containsEntry(twin, route.function());
    }
    for (final FunctionSpec function : routes.functions().values()) {
      assertThat(function.handlerClass()).startsWith("dev.mandate.functions.");
      assertThat(function.memoryMb()).isEqualTo(1024);
    }
  }
}

package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.local.RouteTable.Found;
import dev.mandate.local.RouteTable.MethodNotAllowed;
import dev.mandate.local.RouteTable.NotFound;
import dev.mandate.local.TemplateRoutes.RouteSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private final RouteTable table = new RouteTable(TemplateRoutes.load(TestTemplates.resource("test-template.yaml")).routes());

  private Found found(final String method, final String path) {
    final RouteTable.Match match = table.match(method, path);
    assertThat(match).as("%s %s", method, path).isInstanceOf(Found.class);
    return (Found) match;
  }

  @Test
  void exactPathsAndParameters() {
    assertThat(found("GET", "/v1/things").route().routeKey()).isEqualTo("GET /v1/things");
    assertThat(found("POST", "/v1/things").route().routeKey()).isEqualTo("POST /v1/things");
    final Found get = found("GET", "/v1/things/t_1");
    assertThat(get.route().routeKey()).isEqualTo("GET /v1/things/{thing_id}");
    assertThat(get.pathParameters()).isEqualTo(Map.of("thing_id", "t_1"));
    assertThat(found("POST", "/v1/things/t_1/boom").route().function()).isEqualTo("FailingFunction");
  }

  @Test
  void literalSegmentBeatsParameter() {
    assertThat(found("GET", "/v1/things/special").route().routeKey()).isEqualTo("GET /v1/things/special");
    assertThat(found("GET", "/v1/things/specials").route().routeKey()).isEqualTo("GET /v1/things/{thing_id}");
  }

  @Test
  void parametersArePercentDecodedButPlusIsKept() {
    assertThat(found("GET", "/v1/things/a%20b%2Fc+d").pathParameters()).containsEntry("thing_id", "a b/c+d");
    assertThat(found("GET", "/v1/things/%C3%A9").pathParameters()).containsEntry("thing_id", "\u00e9");
  }

  @Test
  void greedyVariableTakesTheRestForAnyMethod() {
    final Found files = found("DELETE", "/v1/files/a/b/c.txt");
    assertThat(files.route().routeKey()).isEqualTo("ANY /v1/files/{path+}");
    assertThat(files.pathParameters()).containsEntry("path", "a/b/c.txt");
    assertThat(table.match("GET", "/v1/files/")).isInstanceOf(NotFound.class);
    assertThat(table.match("GET", "/v1/files")).isInstanceOf(NotFound.class);
  }

  @Test
  void unknownPathsTrailingSlashesAndEmptyParametersAreNotFound() {
    assertThat(table.match("GET", "/v1/nothing")).isInstanceOf(NotFound.class);
    assertThat(table.match("GET", "/v1/things/")).isInstanceOf(NotFound.class);
    assertThat(table.match("GET", "/v1/things//boom")).isInstanceOf(NotFound.class);
    assertThat(table.match("GET", "/V1/things")).as("paths are case-sensitive").isInstanceOf(NotFound.class);
    assertThat(table.match("GET", "/")).isInstanceOf(NotFound.class);
    assertThat(table.match("GET", "/v1/things/%zz")).isInstanceOf(NotFound.class);
  }

  @Test
  void knownPathWithWrongMethodListsAllowedMethods() {
    assertThat(table.match("DELETE", "/v1/things")).isEqualTo(new MethodNotAllowed(java.util.Set.of("GET", "POST")));
    assertThat(table.match("post", "/v1/things/x")).as("methods are case-sensitive, as in HTTP")
        .isInstanceOf(MethodNotAllowed.class);
  }

  @Test
  void defaultRouteCatchesEverythingElse() {
    final RouteTable withDefault = new RouteTable(List.of(
        new RouteSpec("GET", "/v1/x", "X", "E"), new RouteSpec("ANY", null, "Fallback", "D")));
    assertThat(((Found) withDefault.match("POST", "/v1/x")).route().function()).isEqualTo("Fallback");
    assertThat(((Found) withDefault.match("GET", "/anything/else")).route().routeKey()).isEqualTo("$default");
    assertThat(((Found) withDefault.match("GET", "/v1/x")).route().function()).isEqualTo("X");
  }

  @Test
  void exactMethodBeatsAny() {
    final RouteTable both = new RouteTable(List.of(
        new RouteSpec("ANY", "/v1/x", "Any", "A"), new RouteSpec("GET", "/v1/x", "Get", "G")));
    assertThat(((Found) both.match("GET", "/v1/x")).route().function()).isEqualTo("Get");
    assertThat(((Found) both.match("PUT", "/v1/x")).route().function()).isEqualTo("Any");
  }
}

package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(final String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpAndUnknownCommands() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: mandate-local serve");
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'frobnicate'");
  }

  @Test
  void serveFailsClearlyWithoutATemplate() {
    System.setProperty("MANDATE_TEMPLATE", "/nonexistent/template.yaml");
    try {
      assertThat(run("serve")).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("template not found: /nonexistent/template.yaml");
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening on");
    } finally {
      System.clearProperty("MANDATE_TEMPLATE");
    }
  }

  @Test
  void serveRejectsABadPort() {
    System.setProperty("PORT", "99999");
    try {
      assertThat(run("serve")).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("PORT must be a port number");
    } finally {
      System.clearProperty("PORT");
    }
  }

  @Test
  void generatedDevCredentialsHaveTheDocumentedShape() {
    final DevCredentials credentials = DevCredentials.generate();
    assertThat(credentials.appId()).matches("[a-z0-9]{24}");
    assertThat(credentials.appSecret()).matches("privy_app_secret_[A-Za-z0-9_-]{43}");
    assertThat(credentials.toString()).doesNotContain(credentials.appSecret());
    assertThat(DevCredentials.generate().appId()).isNotEqualTo(credentials.appId());
  }
}

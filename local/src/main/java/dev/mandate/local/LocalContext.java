package dev.mandate.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.mandate.local.TemplateRoutes.FunctionSpec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The Lambda {@link Context} of one local invocation; logs go to stderr, prefixed with the function. */
final class LocalContext implements Context {
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "000000000000";

  private final FunctionSpec function;
  private final String requestId;
  private final long deadlineMillis;
  private final LambdaLogger logger;

  LocalContext(final FunctionSpec function, final String requestId, final PrintStream log) {
    this.function = function;
    this.requestId = requestId;
    this.deadlineMillis = System.currentTimeMillis() + function.timeoutSeconds() * 1000L;
    this.logger = new LambdaLogger() {
      @Override
      public void log(final String message) {
        log.println("[" + function.name() + "] " + message);
      }

      @Override
      public void log(final byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
      }
    };
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + function.name();
  }

  @Override
  public String getLogStreamName() {
    return "local";
  }

  @Override
  public String getFunctionName() {
    return function.name();
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + function.name() + ":live";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
  }

  @Override
  public int getMemoryLimitInMB() {
    return function.memoryMb();
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}

package dev.mandate.config;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Tells an outage of a dependency (AWS did not answer in time, refused the connection, throttled, or
 * failed on its side) from everything else. Such a failure is temporary and says nothing about the
 * request: the API answers 503 with {@code Retry-After}, never 500 or a hang.
 */
public final class Unavailable {
  private static final int MAX_CAUSES = 8;

  private Unavailable() {}

  /** Whether {@code failure}, or one of its causes, is a dependency that did not answer or is overloaded. */
  public static boolean isDependencyOutage(final Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; current != null && depth < MAX_CAUSES; depth++, current = current.getCause()) {
      if (current instanceof SdkClientException) {
        // No answer: connect refused or timed out, attempt or call budget spent, I/O error.
        return true;
      }
      if (current instanceof AwsServiceException service) {
        return service.isThrottlingException() || service.statusCode() >= 500;
      }
    }
    return false;
  }
}

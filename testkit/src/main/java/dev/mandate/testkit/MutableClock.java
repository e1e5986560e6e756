package dev.mandate.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, to cross expiry boundaries without sleeping. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(final Instant start) {
    this.now = start;
  }

  public void advance(final Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(final ZoneId zone) {
    return this;
  }
}

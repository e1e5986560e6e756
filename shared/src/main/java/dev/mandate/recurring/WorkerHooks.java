package dev.mandate.recurring;

/**
 * Points in a run where tests inject a crash: a hook that throws stops the worker there, as a killed
 * process would (nothing after it is written; the queue redelivers after the lease).
 */
public interface WorkerHooks {
  WorkerHooks NONE = new WorkerHooks() {};

  /** The run is claimed (its lease written); nothing is signed yet. */
  default void afterClaim(final DueRun run) {}

  /** The enclave signed the run and the record advanced; the request is not submitted yet. */
  default void afterSign(final DueRun run) {}
}

/**
 * Policies: Privy-compatible rules the enclave checks before it signs (privy-api.md §8).
 *
 * <ul>
 *   <li>{@link dev.mandate.enclave.policy.PolicyParser} validates API input into {@link
 *       dev.mandate.enclave.policy.Policy} / {@link dev.mandate.enclave.policy.Rule} / {@link
 *       dev.mandate.enclave.policy.Condition}; {@link dev.mandate.enclave.policy.Aggregation}
 *       parses itself;
 *   <li>{@link dev.mandate.enclave.policy.PolicyEngine} evaluates a policy against a request body
 *       into a {@link dev.mandate.enclave.policy.Decision} that names the deciding rule;
 *   <li>{@link dev.mandate.enclave.policy.EvaluationContext} is how the caller supplies the clock,
 *       condition sets and aggregation sums: this package does no I/O and keeps no state.
 * </ul>
 *
 * <p>Only Ethereum is supported; Privy's Solana, Tron, Sui, XRPL and Tempo sources and methods are
 * refused at validation, as are the {@code neq}/{@code contains}/… operators and the {@code
 * action_request_body}/{@code message} sources. {@code wallet_sendCalls} and {@code
 * eth_signUserOperation} rules can be written, but only {@code system} and {@code reference}
 * conditions apply to them (their calls are not read as transactions).
 */
package dev.mandate.enclave.policy;

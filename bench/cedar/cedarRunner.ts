// Evaluates requests with Cedar through `@cedar-policy/cedar-wasm` (its Node build). The policy
// set is parsed once and cached inside the wasm module (`preparsePolicySet`); each request then
// goes through `statefulIsAuthorized`, which looks the parsed set up by id. What a call still
// costs: converting the request (principal, action, resource, the context record and the
// request's entity list) from JS objects into Rust values, building Cedar's entity store for
// those entities (hierarchy closure included), evaluating every policy of the set (Cedar has no
// index by action), and converting the answer back into a JS object. No schema, no validation.
// Measured with cedar-wasm 4.13 on this machine: ~57 µs a request with 1 policy, ~440 µs with
// 300 policies whose principal scope never matches, ~700 µs with the benchmark's 300 policies;
// so most of the cost is per policy, not the JS↔wasm conversion.

import { Worker } from 'node:worker_threads';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarRequest } from '../engineWorkload/cedar';

export type CedarEffect = 'allow' | 'deny';

export interface CedarAnswer {
  readonly decision: CedarEffect;
  /** Ids of the policies that determined the decision. */
  readonly reasons: readonly string[];
  /** Policies that errored on the request (Cedar skips them). */
  readonly errors: readonly string[];
}

export class CedarRunner {
  private constructor(private readonly policySetId: string) {}

  /** The Cedar version the wasm build carries. */
  static version(): string {
    return cedar.getCedarVersion();
  }

  /** Parses and caches the policy set (policy text by id) under `policySetId`. */
  static prepare(policies: Readonly<Record<string, string>>, policySetId = 'gatehouse-bench'): CedarRunner {
    const answer = cedar.preparsePolicySet(policySetId, { staticPolicies: { ...policies } });
    if (answer.type !== 'success') throw new Error(`Cedar rejected the policy set: ${answer.errors.map((error) => error.message).join('; ')}`);
    return new CedarRunner(policySetId);
  }

  /** The full answer for one request. */
  answer(request: CedarRequest): CedarAnswer {
    const { decision, diagnostics } = this.authorize(request);
    return { decision, reasons: diagnostics.reason, errors: diagnostics.errors.map((error) => `${error.policyId}: ${error.error.message}`) };
  }

  /** Only the decision (what the timed loop calls). */
  decide(request: CedarRequest): CedarEffect {
    return this.authorize(request).decision;
  }

  /** One call of Cedar with the preparsed policy set; a failed call is a bench bug, so it throws. */
  private authorize(request: CedarRequest) {
    const result = cedar.statefulIsAuthorized({
      principal: request.principal,
      action: request.action,
      resource: request.resource,
      context: request.context,
      entities: request.entities as cedar.EntityJson[],
      preparsedPolicySetId: this.policySetId,
    });
    if (result.type !== 'success') throw new Error(`Cedar failed on a request: ${result.errors.map((error) => error.message).join('; ')}`);
    return result.response;
  }
}

/**
 * Decides `requests` with Cedar in `threads` worker threads (each parses the policy set once);
 * 1 allow, 0 deny, in request order, plus the policy evaluation errors Cedar reported (first few).
 * For checking agreement on many requests, not for timing.
 */
export async function decideInWorkers(policies: Readonly<Record<string, string>>, requests: readonly CedarRequest[], threads = 2): Promise<{ decisions: Uint8Array; errors: string[] }> {
  const size = Math.ceil(requests.length / threads);
  const slices = Array.from({ length: threads }, (_, i) => requests.slice(i * size, (i + 1) * size)).filter((slice) => slice.length > 0);
  const results = await Promise.all(
    slices.map(
      (slice, i) =>
        new Promise<{ decisions: Uint8Array; errors: string[] }>((resolve, reject) => {
          const worker = new Worker(new URL('./cedarWorker.mjs', import.meta.url), { workerData: { policySetId: `worker-${i}`, policies, requests: slice } });
          worker.once('message', (message: { decisions: Uint8Array; errors: string[] }) => {
            resolve(message);
            void worker.terminate();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`Cedar worker ${i} exited with code ${code}`));
          });
        }),
    ),
  );
  const decisions = new Uint8Array(requests.length);
  let offset = 0;
  for (const result of results) {
    decisions.set(result.decisions, offset);
    offset += result.decisions.length;
  }
  return { decisions, errors: results.flatMap((result) => result.errors) };
}

// A worker thread that decides a slice of requests with Cedar (cedar-wasm's Node build), so the
// `engine` benchmark can check agreement on every request using both cores. Plain JavaScript:
// worker threads do not inherit the TypeScript loader `npm run bench` runs under.
// Input (workerData): { policySetId, policies: { id: text }, requests: CedarRequest[] }.
// Output (one message): { decisions: Uint8Array (1 allow, 0 deny), errors: string[] }.

import { parentPort, workerData } from 'node:worker_threads';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

const { policySetId, policies, requests } = workerData;
const prepared = cedar.preparsePolicySet(policySetId, { staticPolicies: policies });
if (prepared.type !== 'success') throw new Error(`Cedar rejected the policy set: ${prepared.errors.map((error) => error.message).join('; ')}`);
const decisions = new Uint8Array(requests.length);
const errors = [];
for (let i = 0; i < requests.length; i++) {
  const request = requests[i];
  const answer = cedar.statefulIsAuthorized({ ...request, preparsedPolicySetId: policySetId });
  if (answer.type !== 'success') throw new Error(`Cedar failed on a request: ${answer.errors.map((error) => error.message).join('; ')}`);
  decisions[i] = answer.response.decision === 'allow' ? 1 : 0;
  for (const error of answer.response.diagnostics.errors) if (errors.length < 20) errors.push(`request ${i}: ${error.policyId}: ${error.error.message}`);
}
parentPort.postMessage({ decisions, errors });

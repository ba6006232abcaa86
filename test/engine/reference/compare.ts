// Runs one generated case through the compiled engine and the reference interpreter and
// reports the first disagreement, and minimises a failing case by deleting parts of it while
// it still fails (fast-check's shrinking of chained arbitraries is coarse; this finishes it).

import { compilePolicy } from '../../../src/engine/compile';
import type { Decision } from '../../../src/engine/decision';
import { createEngine } from '../../../src/engine/engine';
import { describeCase, renderEvents, renderWorkspace, smallerCases, type CaseModel } from '../../support/policyArbitraries';
import { ReferenceInterpreter, type RefDecision } from './interpreter';

export interface Mismatch {
  readonly message: string;
}

function summarize(decision: Decision): RefDecision {
  return {
    effect: decision.effect,
    approver: decision.approver,
    deciding: [...new Set(decision.deciding.map((rule) => rule.id))].sort(),
  };
}

const show = (d: RefDecision) => `${d.effect}${d.approver !== undefined ? ` by ${d.approver}` : ''} [${d.deciding.join(', ')}]`;

/** Undefined when the engine agrees with the reference on every call, in both approval modes. */
export function compareCase(model: CaseModel, coverage?: (tag: string) => void): Mismatch | undefined {
  const text = renderWorkspace(model.workspace);
  const compiled = compilePolicy(new Map([['p.gate', text]]));
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (!compiled.value || errors.length > 0) {
    return { message: `the generated workspace has check errors:\n${errors.map((d) => `  ${d.code} ${d.message} @${d.span.start}`).join('\n')}` };
  }
  const events = renderEvents(model);
  for (const approvals of ['approve', 'reject'] as const) {
    // `explain: false` must change no effect or deciding rule (S-41): run both.
    const engines = [createEngine(compiled.value, { approvals }), createEngine(compiled.value, { approvals, explain: false })];
    const reference = new ReferenceInterpreter(text, { approvals, ...(coverage ? { coverage } : {}) });
    for (const event of events) {
      const expected = reference.decide(event);
      for (const [index, engine] of engines.entries()) {
        let decision: Decision | undefined;
        try {
          decision = engine.decide(event);
        } catch (error) {
          return { message: `the engine threw on seq ${event.seq} (approvals ${approvals}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
        }
        if (event.kind !== 'tool_call') {
          if (decision !== undefined) return { message: `the engine decided a ${event.kind} (seq ${event.seq})` };
          continue;
        }
        if (!decision || !expected) return { message: `no decision for seq ${event.seq}` };
        const actual = summarize(decision);
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          return {
            message: `seq ${event.seq} (${event.tool}, approvals ${approvals}${index === 1 ? ', explain false' : ''}): engine ${show(actual)}, reference ${show(expected)}`,
          };
        }
      }
    }
  }
  return undefined;
}

/** Greedily deletes parts of a failing case while it keeps failing (with a check-clean policy). */
export function minimizeCase(model: CaseModel, fails: (model: CaseModel) => boolean, budget = 2000): CaseModel {
  let current = model;
  let tries = 0;
  let progress = true;
  while (progress && tries < budget) {
    progress = false;
    for (const smaller of smallerCases(current)) {
      if (++tries > budget) break;
      if (fails(smaller)) {
        current = smaller;
        progress = true;
        break;
      }
    }
  }
  return current;
}

/** The failure report of a case: the minimised policy, events and disagreement. */
export function failureReport(model: CaseModel): string {
  const first = compareCase(model);
  if (!first) return 'no disagreement';
  const isCheckError = first.message.startsWith('the generated workspace');
  const minimal = isCheckError
    ? model
    : minimizeCase(model, (candidate) => {
        const mismatch = compareCase(candidate);
        return mismatch !== undefined && !mismatch.message.startsWith('the generated workspace');
      });
  const mismatch = compareCase(minimal)!;
  return `${mismatch.message}\n${describeCase(minimal)}`;
}

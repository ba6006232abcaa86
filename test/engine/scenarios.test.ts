// The decision scenarios of the design brief (../shared/scenarios/S*.json), replayed against
// their sample workspaces (samples/scenarios/<id>/). Every expected effect and approver comes
// from the JSON; the facts each `why` names are asserted per scenario below.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/engine/decision';
import { createEngine } from '../../src/engine/engine';
import { localTime, renderLocalTime } from '../../src/engine/localTime';
import type { DecisionProgram } from '../../src/engine/program';
import type { TraceEvent } from '../../src/traces/event';
import { compileOrThrow, factsOf, ids, readGateFiles } from './support';

const ROOT = resolve(__dirname, '../..');
const SCENARIOS = resolve(ROOT, '../shared/scenarios');

interface ScenarioEvent {
  readonly seq: number;
  readonly time: string;
  readonly session: string;
  readonly kind: 'tool_call' | 'user_message';
  readonly agent?: string;
  readonly on_behalf_of?: string;
  readonly tool?: string;
  readonly args?: Record<string, unknown>;
  readonly result?: unknown;
  readonly text?: string;
}

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly catalog: readonly { readonly tool: string; readonly labels: readonly string[] }[];
  readonly identities: {
    readonly agents?: readonly { readonly id: string; readonly roles?: readonly string[] }[];
    readonly humans?: readonly { readonly id: string; readonly roles?: readonly string[] }[];
  };
  readonly timezone?: string;
  readonly options?: { readonly approvals?: 'approve' | 'reject' };
  readonly events: readonly ScenarioEvent[];
  readonly expect: readonly { readonly seq: number; readonly effect: Decision['effect']; readonly approver?: string; readonly why?: string }[];
}

/**
 * Expectations of the JSON that the engine rightly does not meet. They stay visible as
 * `it.fails` tests, so the day the scenario file is corrected the test turns red and goes.
 */
const KNOWN_DISCREPANCIES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  // S13 expects `allow` for the path "aaab" against the glob "a*a*a*a*a*a*a*a*a*a*b". Under glob
  // semantics (`*` is any run of characters, every other character is itself) the pattern needs
  // at least ten `a`s before the final `b`; "aaab" has three, so no glob matcher can allow it. Only
  // a regular expression (`a*` = zero or more `a`) would. The scenario file is in error.
  S13: { 2: 'the glob a*a*a*a*a*a*a*a*a*a*b needs ten `a`s before the `b`; "aaab" has three' },
};

function loadScenarios(): Scenario[] {
  const names = readdirSync(SCENARIOS)
    .filter((name) => /^S\d+\.json$/.test(name))
    .sort();
  return names.map((name) => JSON.parse(readFileSync(resolve(SCENARIOS, name), 'utf8')) as Scenario);
}

/** A scenario's event as an engine event. */
function toEngineEvent(event: ScenarioEvent): TraceEvent {
  const time = Date.parse(event.time);
  if (event.kind === 'user_message') return { kind: 'user_message', session: event.session, seq: event.seq, time, text: event.text ?? '' };
  if (event.kind !== 'tool_call') throw new Error(`unknown event kind ${String(event.kind)} at seq ${String(event.seq)}`);
  return {
    kind: 'tool_call',
    session: event.session,
    seq: event.seq,
    time,
    agent: event.agent ?? '',
    ...(event.on_behalf_of !== undefined ? { onBehalfOf: event.on_behalf_of } : {}),
    tool: event.tool ?? '',
    args: event.args ?? {},
    ...(event.result !== undefined ? { result: event.result } : {}),
  };
}

interface Replay {
  readonly program: DecisionProgram;
  readonly decisions: ReadonlyMap<number, Decision>;
  /** Milliseconds each decision took (a hang guard for S13, not a benchmark). */
  readonly durations: ReadonlyMap<number, number>;
}

function compileWorkspace(id: string): DecisionProgram {
  const folder = resolve(ROOT, 'samples/scenarios', id);
  if (!existsSync(folder)) throw new Error(`scenario ${id} has no workspace in samples/scenarios/${id}/`);
  return compileOrThrow(readGateFiles(folder, ROOT));
}

/** Replays the events (or some of them) against the scenario's workspace, from empty state. */
function replay(scenario: Scenario, events: readonly ScenarioEvent[] = scenario.events): Replay {
  const program = compileWorkspace(scenario.id);
  const engine = createEngine(program, { approvals: scenario.options?.approvals ?? 'reject' });
  const decisions = new Map<number, Decision>();
  const durations = new Map<number, number>();
  for (const event of events) {
    const started = performance.now();
    const decision = engine.decide(toEngineEvent(event));
    durations.set(event.seq, performance.now() - started);
    if (decision) decisions.set(event.seq, decision);
  }
  return { program, decisions, durations };
}

const scenarios = loadScenarios();
const replays = new Map<string, Replay>();
/** The replay of a scenario, computed once. */
function replayOf(id: string): Replay {
  let found = replays.get(id);
  if (!found) {
    const scenario = scenarios.find((candidate) => candidate.id === id);
    if (!scenario) throw new Error(`no scenario ${id} in ${SCENARIOS}`);
    replays.set(id, (found = replay(scenario)));
  }
  return found;
}

/** The decision for `seq` of scenario `id`, failing clearly when there is none. */
function decisionOf(id: string, seq: number): Decision {
  const decision = replayOf(id).decisions.get(seq);
  if (!decision) throw new Error(`${id}: no decision for seq ${seq}`);
  return decision;
}

describe('decision scenarios (../shared/scenarios)', () => {
  it('the scenario folder holds the fourteen scenarios of the brief', () => {
    expect(scenarios.map((scenario) => scenario.id)).toEqual(Array.from({ length: 14 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`));
  });

  for (const scenario of scenarios) {
    describe(`${scenario.id} ${scenario.title}`, () => {
      it('its workspace declares the catalog, identities and time zone of the scenario', () => {
        const { program } = replayOf(scenario.id);
        for (const tool of scenario.catalog) {
          expect(program.toolLabels.get(tool.tool), `tool ${tool.tool}`).toEqual(expect.arrayContaining([...tool.labels]));
        }
        for (const [side, declared] of [
          ['agent', program.agents],
          ['human', program.humans],
        ] as const) {
          for (const identity of (side === 'agent' ? scenario.identities.agents : scenario.identities.humans) ?? []) {
            const principal = declared.get(identity.id);
            expect(principal, `${side} ${identity.id}`).toBeDefined();
            expect([...principal!.roles], `roles of ${identity.id}`).toEqual(expect.arrayContaining([...(identity.roles ?? [])]));
          }
        }
        expect(program.zone).toBe(scenario.timezone ?? 'UTC');
      });

      const known = KNOWN_DISCREPANCIES[scenario.id] ?? {};
      it('every expected effect and approver of the scenario file', () => {
        for (const expected of scenario.expect) {
          if (known[expected.seq]) continue;
          const decision = decisionOf(scenario.id, expected.seq);
          const where = `${scenario.id} seq ${expected.seq}${expected.why ? ` (${expected.why})` : ''}`;
          expect(decision.effect, `${where}: effect; reasons: ${decision.reasons.join('; ')}`).toBe(expected.effect);
          if (expected.approver !== undefined) expect(decision.approver, `${where}: approver`).toBe(expected.approver);
        }
      });

      for (const expected of scenario.expect.filter((entry) => known[entry.seq])) {
        it.fails(`KNOWN DISCREPANCY seq ${expected.seq}: the file expects ${expected.effect}, but ${known[expected.seq]}`, () => {
          expect(decisionOf(scenario.id, expected.seq).effect).toBe(expected.effect);
        });
      }
    });
  }
});

describe('the facts each scenario names in its `why`', () => {
  it('S01: the delete is a default deny and the decision says so', () => {
    const decision = decisionOf('S01', 2);
    expect(decision).toMatchObject({ defaultDeny: true, deciding: [] });
    expect(decision.reasons).toEqual(['no rule permits `delete_invoice` for agent `agent-a`: default deny']);
  });

  it("S02: the forbid decides with its because text; the role's permit also matched", () => {
    const decision = decisionOf('S02', 2);
    expect(decision.deciding.map((rule) => [rule.id, rule.kind])).toEqual([['payroll-never-pays', 'forbid']]);
    expect(decision.reasons).toEqual(['payroll validation must never initiate transfers']);
    expect(decision.matching.find((rule) => rule.kind === 'permit')).toMatchObject({ id: 'finance-banking', role: 'finance' });
  });

  it('S03: the monitor is a finding on seq 2 and 3 and never decides; forbid > approval > permit', () => {
    const [first, second, third] = [1, 2, 3].map((seq) => decisionOf('S03', seq));
    expect(first!.findings).toEqual([]);
    for (const decision of [second!, third!]) {
      expect(decision.findings.map((rule) => [rule.id, rule.kind])).toEqual([['watch-us-recipients', 'monitor']]);
      expect(decision.deciding.map((rule) => rule.kind)).not.toContain('monitor');
    }
    expect(second!.deciding.map((rule) => rule.kind)).toEqual(['approval']);
    expect(third!.deciding.map((rule) => rule.kind)).toEqual(['forbid']);
    expect(third!.matching.map((rule) => rule.kind)).toEqual(expect.arrayContaining(['approval', 'permit']));
  });

  it('S04: on behalf of dana the agent side allows and the human side denies; alone, no delegation', () => {
    expect(factsOf(decisionOf('S04', 2), 'delegation')).toEqual([{ kind: 'delegation', human: 'dana', agentEffect: 'allow', humanEffect: 'deny' }]);
    expect(factsOf(decisionOf('S04', 1), 'delegation')[0]).toMatchObject({ agentEffect: 'allow', humanEffect: 'allow' });
    const alone = decisionOf('S04', 3);
    expect(factsOf(alone, 'delegation')).toEqual([]);
    expect(alone.deciding.map((rule) => rule.side)).toEqual(['agent']);
  });

  it('S05: hours are read in Berlin local time, summer and winter; the holds carry the local time', () => {
    const { program } = replayOf('S05');
    const local = (seq: number) => renderLocalTime(localTime(decisionTime('S05', seq), program.zone));
    expect([1, 2, 3, 4].map(local)).toEqual(['2026-07-01 17:30 wed', '2026-07-01 18:30 wed', '2026-01-15 17:30 thu', '2026-07-04 12:00 sat']);
    expect(factsOf(decisionOf('S05', 2), 'time')).toEqual([{ kind: 'time', zone: 'Europe/Berlin', local: '2026-07-01 18:30 wed' }]);
    expect(factsOf(decisionOf('S05', 4), 'time')).toEqual([{ kind: 'time', zone: 'Europe/Berlin', local: '2026-07-04 12:00 sat' }]);
    for (const seq of [1, 3]) expect(ids(decisionOf('S05', seq).matching)).not.toContain('after-hours-approval');
  });

  it('S06: the denied read never tainted; seq 4 is tainted by get_webpage at seq 3', () => {
    expect(factsOf(decisionOf('S06', 2), 'taint')).toEqual([]);
    expect(ids(decisionOf('S06', 2).matching)).not.toContain('email-after-untrusted');
    expect(factsOf(decisionOf('S06', 4), 'taint').map((fact) => fact.event)).toEqual([{ session: 's1', seq: 3, tool: 'get_webpage' }]);
  });

  it("S07: seq 4's recipient first appeared in read_file's result at seq 2; seq 3's in the user's request", () => {
    expect(factsOf(decisionOf('S07', 4), 'provenance')).toEqual([
      {
        kind: 'provenance',
        rule: 'recipient-from-untrusted',
        argument: 'args.recipient',
        value: 'US133000000121212121212',
        origin: { session: 's1', seq: 2, role: 'tool_result', tool: 'read_file' },
      },
    ]);
    expect(factsOf(decisionOf('S07', 3), 'provenance')).toEqual([]);
    expect(ids(decisionOf('S07', 3).matching)).not.toContain('recipient-from-untrusted');
  });

  it('S08: the rate fact of seq 4 lists seq 1-3; that of seq 6 lists 2, 3 and 5', () => {
    const seqs = (seq: number) => factsOf(decisionOf('S08', seq), 'rate').map((fact) => fact.events.map((event) => event.seq));
    expect(seqs(4)).toEqual([[1, 2, 3]]);
    expect(seqs(6)).toEqual([[2, 3, 5]]);
    expect(factsOf(decisionOf('S08', 4), 'rate')[0]).toMatchObject({ rule: 'delete-rate', limit: 3, windowMs: 60_000 });
  });

  it('S09: seq 2 is decided by the grant opened by the approval at seq 1; it expired before seq 3', () => {
    const decision = decisionOf('S09', 2);
    expect(decision.deciding.map((rule) => [rule.id, rule.kind])).toEqual([['provision-window', 'grant']]);
    expect(factsOf(decision, 'grant')).toEqual([
      { kind: 'grant', rule: 'provision-window', openedBy: { session: 's1', seq: 1, tool: 'provision_vm' }, expires: Date.parse('2026-07-01T10:15:00Z') },
    ]);
    expect(decisionOf('S09', 1).assumedApproved).toBe(true);
    expect(decisionOf('S09', 3).nearMisses.map((miss) => miss.rule.id)).toEqual(['provision-window']);
  });

  it('S10: seq 2 fails closed with a GH3001 error recorded; seq 3 is still decided', () => {
    const bad = decisionOf('S10', 2);
    expect(bad.deciding.map((rule) => [rule.id, rule.kind])).toEqual([['payment-ceiling', 'forbid']]);
    expect(bad.errors).toEqual([{ code: 'GH3001', rule: 'payment-ceiling', message: expect.stringContaining('cannot compare the text "twenty thousand" with the number 10000') }]);
    expect(decisionOf('S10', 3).errors).toEqual([]);
  });

  it('S11: session s2 decides as if s1 did not exist; s1 is tainted by its own read', () => {
    const scenario = scenarios.find((candidate) => candidate.id === 'S11')!;
    const alone = replay(
      scenario,
      scenario.events.filter((event) => event.session === 's2'),
    );
    expect(alone.decisions.get(2)).toEqual(decisionOf('S11', 2));
    expect(factsOf(decisionOf('S11', 2), 'taint')).toEqual([]);
    expect(factsOf(decisionOf('S11', 3), 'taint').map((fact) => fact.event)).toEqual([{ session: 's1', seq: 1, tool: 'get_webpage' }]);
  });

  it('S12: the near miss names the permit and its failed condition on the amount (150)', () => {
    const decision = decisionOf('S12', 1);
    expect(decision.defaultDeny).toBe(true);
    expect(decision.nearMisses).toHaveLength(1);
    const [miss] = decision.nearMisses;
    expect(miss!.rule).toMatchObject({ id: 'small-payments', kind: 'permit' });
    expect(miss!.failed.map(({ text, value, observed }) => ({ text, value, observed }))).toEqual([{ text: 'args.amount <= 100', value: false, observed: 'args.amount = 150' }]);
  });

  it('S13: 50,000 `a`s are denied without hanging; "aaab" is denied, as the glob demands', () => {
    expect(decisionOf('S13', 1)).toMatchObject({ effect: 'deny', defaultDeny: true });
    expect(replayOf('S13').durations.get(1), 'a hang guard, not a benchmark: deciding seq 1 took too long').toBeLessThan(1000);
    // The scenario file expects allow here; see KNOWN_DISCREPANCIES (the `it.fails` test above).
    // "aaab" has three `a`s and the pattern needs ten, so the permit's condition is false.
    const aaab = decisionOf('S13', 2);
    expect(aaab).toMatchObject({ effect: 'deny', defaultDeny: true });
    expect(aaab.nearMisses[0]!.failed.map((condition) => [condition.text, condition.value])).toEqual([['args.path ~ "a*a*a*a*a*a*a*a*a*a*b"', false]]);
  });

  it('S14: a glob permit, a label-selected approval over a permit, and a default deny', () => {
    expect(ids(decisionOf('S14', 1).deciding)).toEqual(['agent-a-getters']);
    const destructive = decisionOf('S14', 2);
    expect(ids(destructive.deciding)).toEqual(['destructive-needs-approval']);
    expect(ids(destructive.matching)).toContain('agent-a-deletes');
    expect(decisionOf('S14', 3)).toMatchObject({ defaultDeny: true, deciding: [] });
  });
});

/** The time of a scenario's event, in epoch ms. */
function decisionTime(id: string, seq: number): number {
  const event = scenarios.find((scenario) => scenario.id === id)?.events.find((candidate) => candidate.seq === seq);
  if (!event) throw new Error(`${id}: no event with seq ${seq}`);
  return Date.parse(event.time);
}

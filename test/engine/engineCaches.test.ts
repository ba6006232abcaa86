// The engine's caches of principals and plans are bounded: past the bound it starts over. Every
// decision must be the one a fresh engine gives, across the restart and for every principal.

import { describe, expect, it } from 'vitest';
import type { ToolCallEvent } from '../../src/traces/event';
import { createEngine } from '../../src/engine/engine';
import { compileOrThrow } from './support';

const POLICY = `tool op { args { n: number } labels [w] }
tool other { labels [w] }
agent "known" { roles [ops] }
human "dana" { roles [ops] }
role ops { permit tool op when args.n < 10 id ops-op }
`;

function opCall(seq: number, agent: string, onBehalfOf?: string): ToolCallEvent {
  return { kind: 'tool_call', session: `s${seq % 7}`, seq, time: Date.parse('2026-07-01T10:00:00Z') + seq, agent, tool: seq % 3 === 0 ? 'other' : 'op', args: { n: seq % 20 }, ...(onBehalfOf ? { onBehalfOf } : {}) };
}

describe('bounded principal and plan caches', () => {
  it('decide every call as a fresh engine does, past 10,000 distinct principals', () => {
    const program = compileOrThrow(new Map([['p.gate', POLICY]]));
    const engine = createEngine(program, { approvals: 'reject' });
    for (let seq = 0; seq < 21_000; seq++) {
      // Mostly new undeclared agents (and humans), with the declared ones in between.
      const agent = seq % 5 === 0 ? 'known' : `rogue-${seq}`;
      const human = seq % 4 === 0 ? (seq % 8 === 0 ? 'dana' : `ghost-${seq}`) : undefined;
      const event = opCall(seq, agent, human);
      const expected = createEngine(program, { approvals: 'reject' }).decide(event)!;
      const decision = engine.decide(event)!;
      expect([decision.effect, decision.deciding.map((rule) => rule.id)], `seq ${seq}`).toEqual([expected.effect, expected.deciding.map((rule) => rule.id)]);
    }
  });
});

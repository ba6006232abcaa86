// Helpers for engine tests: compile a small inline policy, build events tersely, replay them.
// Every helper fails loudly (with the check diagnostics) rather than deciding on a broken policy.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Engine, ReplayOptions } from '../../src/engine/api';
import { compilePolicy } from '../../src/engine/compile';
import type { Decision, Fact } from '../../src/engine/decision';
import { createEngine } from '../../src/engine/engine';
import type { DecisionProgram } from '../../src/engine/program';
import type { ToolCallEvent, TraceEvent, UserMessageEvent } from '../../src/traces/event';

/** The time of the first event when a test does not say (a Wednesday, 10:00 UTC). */
export const BASE_TIME = Date.parse('2026-07-01T10:00:00Z');

/** A `tool_call` without a seq yet; `at` is ISO 8601 or epoch ms (default: one second per event). */
export interface CallSpec {
  readonly kind: 'tool_call';
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly agent: string;
  readonly session: string;
  readonly onBehalfOf?: string;
  readonly at?: string | number;
  readonly seq?: number;
  readonly result?: unknown;
  readonly error?: string;
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface MessageSpec {
  readonly kind: 'user_message' | 'agent_message';
  readonly text: string;
  readonly session: string;
  readonly at?: string | number;
  readonly seq?: number;
}

export type EventSpec = CallSpec | MessageSpec;

/** A tool call; defaults: agent `agent-a`, session `s1`, no args. */
export function call(fields: Partial<Omit<CallSpec, 'kind'>> & { readonly tool: string }): CallSpec {
  return { kind: 'tool_call', agent: 'agent-a', session: 's1', args: {}, ...fields };
}

/** The user's own request (trusted text), in session `s1` unless told. */
export function user(text: string, fields: Partial<Omit<MessageSpec, 'kind' | 'text'>> = {}): MessageSpec {
  return { kind: 'user_message', text, session: 's1', ...fields };
}

/** What the agent said (context only). */
export function agentSays(text: string, fields: Partial<Omit<MessageSpec, 'kind' | 'text'>> = {}): MessageSpec {
  return { kind: 'agent_message', text, session: 's1', ...fields };
}

/** Turns a spec into an engine event: seq defaults to `position`, time to BASE_TIME + position s. */
export function toEvent(spec: EventSpec, position: number): TraceEvent {
  const seq = spec.seq ?? position;
  const time = spec.at === undefined ? BASE_TIME + position * 1000 : typeof spec.at === 'number' ? spec.at : Date.parse(spec.at);
  if (Number.isNaN(time)) throw new Error(`bad time ${String(spec.at)} in a test event`);
  if (spec.kind === 'tool_call') {
    const { at: _at, ...rest } = spec;
    return { ...rest, seq, time } satisfies ToolCallEvent;
  }
  if (spec.kind === 'user_message') return { kind: 'user_message', session: spec.session, seq, time, text: spec.text } satisfies UserMessageEvent;
  return { kind: 'agent_message', session: spec.session, seq, time, text: spec.text };
}

export interface EngineForOptions {
  /** Replay option for approval-required calls (default `reject`). */
  readonly approvals?: ReplayOptions['approvals'];
  readonly explain?: boolean;
  /** More files of the workspace beside `policy.gate` (path → text). */
  readonly files?: Readonly<Record<string, string>>;
}

export interface TestEngine {
  readonly engine: Engine;
  readonly program: DecisionProgram;
  /** Decides one spec (seq and time from `position`, 1-based). */
  decide(spec: EventSpec, position?: number): Decision | undefined;
  /**
   * Replays the specs in order, giving each the seq of its position (1-based) unless it has one,
   * and returns the decisions of the tool calls only, in order.
   */
  run(...specs: EventSpec[]): Decision[];
}

/** Compiles files (path → text) or throws with the check errors. */
export function compileOrThrow(files: ReadonlyMap<string, string>): DecisionProgram {
  const compiled = compilePolicy(files);
  if (!compiled.value) {
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file ?? '?'}: ${d.code} ${d.message}`);
    throw new Error(`the test policy does not compile:\n${errors.join('\n')}`);
  }
  return compiled.value;
}

/** An engine with empty state for an inline policy (`policy.gate`, plus `options.files`). */
export function engineFor(policyText: string, options: EngineForOptions = {}): TestEngine {
  const files = new Map<string, string>([['policy.gate', policyText], ...Object.entries(options.files ?? {})]);
  const program = compileOrThrow(files);
  const engine = createEngine(program, { approvals: options.approvals ?? 'reject', ...(options.explain !== undefined ? { explain: options.explain } : {}) });
  let position = 0;
  const decide = (spec: EventSpec, at?: number): Decision | undefined => {
    position = at ?? position + 1;
    return engine.decide(toEvent(spec, position));
  };
  return {
    engine,
    program,
    decide,
    run: (...specs) => {
      const decisions: Decision[] = [];
      for (const spec of specs) {
        const decision = decide(spec);
        if (spec.kind === 'tool_call') {
          if (!decision) throw new Error(`the engine returned no decision for the call to \`${spec.tool}\``);
          decisions.push(decision);
        } else if (decision) throw new Error('the engine decided a message');
      }
      return decisions;
    },
  };
}

/** The facts of one kind in a decision. */
export function factsOf<K extends Fact['kind']>(decision: Decision, kind: K): Extract<Fact, { kind: K }>[] {
  return decision.facts.filter((fact): fact is Extract<Fact, { kind: K }> => fact.kind === kind);
}

/** Ids of rules, for compact assertions. */
export function ids(rules: readonly { readonly id: string }[]): string[] {
  return rules.map((rule) => rule.id);
}

/** Every `.gate` file under `directory`, keyed by its path relative to `root` (`/`-separated). */
export function readGateFiles(directory: string, root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.gate')) files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(directory);
  return files;
}

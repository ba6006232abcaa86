// The evaluation context of one decision: what conditions read (the event, the principals, the
// tool's labels, the session) and, while a decision is explained, where they report the facts
// they use. The engine resets one per call; an explanation rendered later gets its own.

import type { ToolCallEvent } from '../traces/event';
import { EMPTY } from './evaluate';
import { localTime, type LocalTime } from './localTime';
import type { EvalContext, Principal, TracedFact } from './program';
import type { SessionState } from './session';
import type { Value } from './values';

const EMPTY_ARGS: Readonly<Record<string, unknown>> = Object.freeze({});
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

function positiveModulo(value: number, modulus: number): number {
  const rest = value % modulus;
  return rest < 0 ? rest + modulus : rest;
}

/** A fact a condition reported, under the rule being explained. */
export interface TracedEntry {
  readonly rule: string;
  readonly fact: TracedFact;
}

export class DecisionContext implements EvalContext {
  event!: ToolCallEvent;
  time = 0;
  args: Readonly<Record<string, unknown>> = EMPTY_ARGS;
  toolLabels: readonly string[] = EMPTY;
  agent!: Principal;
  human: Principal | undefined = undefined;
  session!: SessionState;
  callsAsOf = 0;
  /** The texts conditions read, when fixed (-1: all the session holds, read when a condition asks). */
  private textsFixed = -1;
  trace: ((fact: TracedFact) => void) | undefined = undefined;
  /** The facts reported since tracing began, and the rule they are reported under. */
  traced: TracedEntry[] | undefined = undefined;
  tracedRule = '';
  /** Set as `trace` to collect into `traced`. */
  readonly tracer = (fact: TracedFact): void => {
    (this.traced ??= []).push({ rule: this.tracedRule, fact });
  };
  private cachedLocal: LocalTime | undefined = undefined;
  /** Arguments read for the current event: a slot's value is current when its epoch is. */
  private epoch = 1;
  private readonly argEpochs: Int32Array;
  private readonly argValues: Value[];

  /** UTC has no offsets: hours and minutes are arithmetic. */
  private readonly utc: boolean;

  constructor(
    readonly zone: string,
    /** The program's argument names by slot. */
    private readonly argNames: readonly string[],
  ) {
    this.utc = zone === 'UTC';
    this.argEpochs = new Int32Array(argNames.length);
    this.argValues = argNames.map(() => null);
  }

  /** Resets for an event; the session is read as of `callsAsOf` calls and `textsAsOf` texts (by default, all it holds). */
  reset(event: ToolCallEvent, toolLabels: readonly string[], agent: Principal, human: Principal | undefined, session: SessionState, callsAsOf = session.calls, textsAsOf = -1): void {
    this.event = event;
    this.callsAsOf = callsAsOf;
    this.textsFixed = textsAsOf;
    this.time = event.time;
    this.args = event.args;
    this.toolLabels = toolLabels;
    this.agent = agent;
    this.human = human;
    this.session = session;
    this.trace = undefined;
    this.traced = undefined;
    this.cachedLocal = undefined;
    if (++this.epoch === 0x7fffffff) {
      this.epoch = 1;
      this.argEpochs.fill(0);
    }
  }

  /** How many of the session's texts conditions read (its texts are only read when a `from` asks). */
  get textsAsOf(): number {
    return this.textsFixed >= 0 ? this.textsFixed : this.session.textCount;
  }

  arg(slot: number): Value {
    if (this.argEpochs[slot] === this.epoch) return this.argValues[slot]!;
    const args = this.args;
    const name = this.argNames[slot]!;
    const value = Object.hasOwn(args, name) ? ((args[name] ?? null) as Value) : null;
    this.argValues[slot] = value;
    this.argEpochs[slot] = this.epoch;
    return value;
  }

  local(): LocalTime {
    return (this.cachedLocal ??= localTime(this.time, this.zone));
  }

  localHour(): number {
    const time = this.time;
    return this.utc && Number.isFinite(time) ? positiveModulo(Math.floor(time / HOUR_MS), 24) : this.local().hour;
  }

  localMinute(): number {
    const time = this.time;
    return this.utc && Number.isFinite(time) ? positiveModulo(Math.floor(time / MINUTE_MS), 60) : this.local().minute;
  }
}

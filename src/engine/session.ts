// What a session remembers, advanced only by events the decision let run: which tools and
// labels ran (taint), every text that entered the session in order (provenance), open grants.
// Calls and texts are only ever appended, so a reading "as of" a count of calls and texts (what
// the session held when a decision was made) gives the same answer however far it has moved on.
// A session keeps only what the program's conditions can read (the engine says so per tool with
// CallKeys, and passes texts only when a `from` reads them).
// Rate windows span sessions (per agent, per tool…) and live in RateWindows.

import type { EventRef } from './decision';
import type { CompiledRule } from './program';
import { TextArena, SessionTexts, type TextSource } from './sessionTexts';

/** A call that ran. */
export interface RanCall {
  readonly seq: number;
  readonly time: number;
  readonly tool: string;
}

/** What the session records of a call to one tool: its source for texts, and what `after` clauses read of it. */
export interface CallKeys extends TextSource {
  /** Whether an `after` clause can name the tool itself. */
  readonly trackTool: boolean;
  /** Its labels an `after` clause names. */
  readonly trackedLabels: readonly string[];
}

/** The keys of a tool whose calls are tracked under its name and every label (what a program with every kind of `after` needs). */
export function trackEverything(tool: string, labels: readonly string[]): CallKeys {
  return { tool, labels: new Set(labels), trackTool: true, trackedLabels: labels };
}

/** The texts of every session that has none: never added to, and searching it stores nothing. */
const NO_TEXTS = new SessionTexts();

export class SessionState {
  /** Calls that ran so far. */
  calls = 0;
  // Per tracked call (a tool or label `after` reads), in order, as parallel lists: its number among
  // the calls that ran, seq, time and tool; and per tool and label, the tracked calls, in order.
  private readonly callNumbers: number[] = [];
  private readonly callSeqs: number[] = [];
  private readonly callTimes: number[] = [];
  private readonly callTools: string[] = [];
  private readonly callsByTool = new Map<string, number[]>();
  private readonly callsByLabel = new Map<string, number[]>();
  /** The texts of tool results and of the user's requests, when conditions read them (none yet: one empty store for all). */
  texts = NO_TEXTS;
  /** Open grants by rule index: expiry time and the approval that opened them. */
  readonly grants = new Map<number, { readonly expires: number; readonly openedBy: EventRef }>();

  constructor(
    readonly id: string,
    /** The time of the session's first event: grants `for <d>` without `after approval` run from it. */
    readonly started: number,
    /** Where its texts' code units are kept (one per engine; a session of its own by default). */
    private readonly arena?: TextArena,
  ) {}

  /** Records a call that ran, and its result text when given. */
  recordCall(seq: number, time: number, keys: CallKeys, resultText: string | undefined): void {
    const call = this.calls++;
    const labels = keys.trackedLabels;
    if (keys.trackTool || labels.length > 0) {
      const tracked = this.callNumbers.length;
      this.callNumbers.push(call);
      this.callSeqs.push(seq);
      this.callTimes.push(time);
      this.callTools.push(keys.tool);
      if (keys.trackTool) appendTo(this.callsByTool, keys.tool, tracked);
      for (let i = 0; i < labels.length; i++) appendTo(this.callsByLabel, labels[i]!, tracked);
    }
    if (resultText) this.addText(resultText, seq, keys);
  }

  /** Records the user's own request (trusted text). */
  recordUserText(text: string, seq: number): void {
    if (text) this.addText(text, seq, undefined);
  }

  private addText(text: string, seq: number, source: TextSource | undefined): void {
    if (this.texts === NO_TEXTS) this.texts = new SessionTexts(this.arena);
    this.texts.add(text, seq, source);
  }

  /** How many texts the session holds. */
  get textCount(): number {
    return this.texts.count;
  }

  /**
   * The tracked call that tainted the session for a selector, among the first `callsAsOf` calls
   * that ran: the first matching call (by seq), or with a window, the most recent one within it;
   * -1 for none.
   */
  taintedBy(tools: readonly string[], labels: readonly string[], now: number, withinMs: number | undefined, callsAsOf: number): number {
    let found = -1;
    const numbers = this.callNumbers;
    const seqs = this.callSeqs;
    const times = this.callTimes;
    for (let i = 0; i < tools.length + labels.length; i++) {
      const calls = i < tools.length ? this.callsByTool.get(tools[i]!) : this.callsByLabel.get(labels[i - tools.length]!);
      if (calls === undefined) continue;
      if (withinMs === undefined) {
        const call = calls[0]!;
        if (numbers[call]! < callsAsOf && (found < 0 || seqs[call]! < seqs[found]!)) found = call;
        continue;
      }
      const call = lastBefore(calls, numbers, callsAsOf);
      if (call >= 0 && times[call]! > now - withinMs && (found < 0 || times[call]! > times[found]!)) found = call;
    }
    return found;
  }

  /** The tracked call `index` (one taintedBy found). */
  ranCall(index: number): RanCall {
    return { seq: this.callSeqs[index]!, time: this.callTimes[index]!, tool: this.callTools[index]! };
  }

  /** Every tool name that ran and is tracked (all of them when a selector has a pattern). */
  ranTools(): IterableIterator<string> {
    return this.callsByTool.keys();
  }

  /** The index of the first of the session's first `textsAsOf` texts that contains `value`, or -1. */
  origin(value: string, textsAsOf: number): number {
    return this.texts.origin(value, textsAsOf);
  }
}

function appendTo(lists: Map<string, number[]>, key: string, call: number): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [call]);
  else list.push(call);
}

/** The last tracked call of an ascending list whose number is below `before`, or -1. */
function lastBefore(calls: readonly number[], numbers: readonly number[], before: number): number {
  let high = calls.length - 1;
  if (numbers[calls[high]!]! < before) return calls[high]!;
  let low = 0;
  if (numbers[calls[0]!]! >= before) return -1;
  // numbers[calls[low]] < before <= numbers[calls[high]]
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (numbers[calls[middle]!]! < before) low = middle;
    else high = middle;
  }
  return calls[low]!;
}

/**
 * The calls of a window at one moment, `start` to `end`: lists are only ever appended to
 * (compaction makes new ones), so those calls stay as they were.
 */
export interface WindowView {
  /** Per call, its time and seq. */
  readonly moments: readonly number[];
  /** Per call, its session and tool. */
  readonly names: readonly string[];
  readonly start: number;
  readonly end: number;
}

/** The calls of a view as event references. */
export function windowEvents(view: WindowView): EventRef[] {
  const refs: EventRef[] = [];
  for (let i = view.start; i < view.end; i++) refs.push({ session: view.names[i * 2]!, seq: view.moments[i * 2 + 1]!, tool: view.names[i * 2 + 1]! });
  return refs;
}

/** The calls counted under one limit and key, oldest first, from `start` on (two lists, no object per call). */
export class RateWindow {
  /** Per call, its time and seq (two numbers a call). */
  private moments: number[] = [];
  /** Per call, its session and tool (two strings a call). */
  private names: string[] = [];
  private start = 0;

  /** How many calls are within (now - windowMs, now]. */
  count(now: number, windowMs: number): number {
    this.trim(now - windowMs);
    return (this.moments.length >> 1) - this.start;
  }

  /** The calls within (now - windowMs, now], as a view later calls do not change. */
  view(now: number, windowMs: number): WindowView {
    this.trim(now - windowMs);
    return { moments: this.moments, names: this.names, start: this.start, end: this.moments.length >> 1 };
  }

  record(time: number, session: string, seq: number, tool: string): void {
    this.moments.push(time, seq);
    this.names.push(session, tool);
  }

  private trim(after: number): void {
    const moments = this.moments;
    const calls = moments.length >> 1;
    let start = this.start;
    while (start < calls && moments[start * 2]! <= after) start++;
    this.start = start;
    // Compact now and then so memory stays bounded by the window, not the trace: into new lists,
    // so views taken earlier keep theirs.
    if (start > 1024 && start * 2 > calls) {
      this.moments = moments.slice(start * 2);
      this.names = this.names.slice(start * 2);
      this.start = 0;
    }
  }
}

/** What a limit's key is made of, for one call. */
export interface LimitCall {
  readonly session: string;
  readonly agent: string;
  readonly onBehalfOf?: string | undefined;
  readonly tool: string;
}

/** Sliding windows of calls that ran, per limit rule and key (the session, agent, human or tool the limit counts per). */
export class RateWindows {
  /** Per rule index, its windows by key. */
  private readonly byRule: (Map<string, RateWindow> | undefined)[] = [];

  /** The window of a limit rule for a call (created empty when new). */
  window(rule: CompiledRule, call: LimitCall): RateWindow {
    const per = rule.limit!.per;
    const key = per.length === 0 ? call.session : per.length === 1 ? keyPart(per[0]!, call) : JSON.stringify(per.map((part) => keyPart(part, call)));
    let windows = this.byRule[rule.index];
    if (windows === undefined) this.byRule[rule.index] = windows = new Map();
    let window = windows.get(key);
    if (window === undefined) windows.set(key, (window = new RateWindow()));
    return window;
  }
}

function keyPart(part: string, call: LimitCall): string {
  return part === 'agent' ? call.agent : part === 'human' ? (call.onBehalfOf ?? '') : part === 'tool' ? call.tool : call.session;
}

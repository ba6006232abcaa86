// What a session remembers, advanced only by events the decision let run: which tools and
// labels ran (taint), every text that entered the session in order (provenance), open grants.
// Calls and texts are only ever appended, so a reading "as of" a count of calls and texts (what
// the session held when a decision was made) gives the same answer however far it has moved on.
// Rate windows span sessions (per agent, per tool…) and live in RateWindows.

import type { EventRef } from './decision';
import { GramFilters, gramProbe } from './gramFilter';

/** A call that ran. */
export interface RanCall {
  /** Its number among the session's calls that ran, from 0. */
  readonly index: number;
  readonly seq: number;
  readonly time: number;
  readonly tool: string;
}

/** Where a value first appeared in the session. */
export interface Origin {
  readonly seq: number;
  readonly tool: string | undefined;
  readonly labels: ReadonlySet<string> | undefined;
}

/** Texts form blocks of about this many characters, each with its gram filter. */
const BLOCK_LENGTH = 1_024;

export class SessionState {
  /** Calls that ran so far. */
  calls = 0;
  // Per call that ran, in order (as parallel lists: no object per call), and the numbers of the
  // calls per tool and per label, in order.
  private readonly callSeqs: number[] = [];
  private readonly callTimes: number[] = [];
  private readonly callTools: string[] = [];
  private readonly callsByTool = new Map<string, number[]>();
  private readonly callsByLabel = new Map<string, number[]>();
  // Per text of the session, in order: the text, the seq of its event, and the tool whose result
  // it was with the tool's labels (undefined for the user's own request).
  private readonly texts: string[] = [];
  private readonly textSeqs: number[] = [];
  private readonly textTools: (string | undefined)[] = [];
  private readonly textLabels: (ReadonlySet<string> | undefined)[] = [];
  /**
   * Texts form blocks of about BLOCK_LENGTH characters, each with a filter of its grams: a search
   * skips the blocks whose filter proves they cannot hold the value. `blockEnds[b]` is the index
   * of the first text after block b; the texts after the last block are in the open filter.
   */
  private readonly blockEnds: number[] = [];
  private readonly filters = new GramFilters();
  private openLength = 0;
  /** value → index of the first text holding it, or when none yet, -1 - how many texts were searched. */
  private readonly origins = new Map<string, number>();
  /** Open grants by rule index: expiry time and the approval that opened them. */
  readonly grants = new Map<number, { readonly expires: number; readonly openedBy: EventRef }>();

  constructor(
    readonly id: string,
    /** The time of the session's first event: grants `for <d>` without `after approval` run from it. */
    readonly started: number,
  ) {}

  /** Records a call that ran, with its labels and result text. */
  recordCall(seq: number, time: number, tool: string, labels: readonly string[], resultText: string | undefined, labelSet?: ReadonlySet<string>): void {
    const call = this.calls++;
    this.callSeqs.push(seq);
    this.callTimes.push(time);
    this.callTools.push(tool);
    appendTo(this.callsByTool, tool, call);
    for (let i = 0; i < labels.length; i++) appendTo(this.callsByLabel, labels[i]!, call);
    if (resultText) this.addText(resultText, seq, tool, labelSet ?? new Set(labels));
  }

  /** Records the user's own request (trusted text). */
  recordUserText(text: string, seq: number): void {
    if (text) this.addText(text, seq, undefined, undefined);
  }

  /** How many texts the session holds. */
  get textCount(): number {
    return this.textSeqs.length;
  }

  /**
   * The number of the call that tainted the session for a selector, among the first `callsAsOf`
   * calls that ran: the first matching call (by seq), or with a window, the most recent one
   * within it; -1 for none.
   */
  taintedBy(tools: readonly string[], labels: readonly string[], now: number, withinMs: number | undefined, callsAsOf: number): number {
    let found = -1;
    const seqs = this.callSeqs;
    const times = this.callTimes;
    for (let i = 0; i < tools.length + labels.length; i++) {
      const calls = i < tools.length ? this.callsByTool.get(tools[i]!) : this.callsByLabel.get(labels[i - tools.length]!);
      if (calls === undefined) continue;
      if (withinMs === undefined) {
        const call = calls[0]!;
        if (call < callsAsOf && (found < 0 || seqs[call]! < seqs[found]!)) found = call;
        continue;
      }
      const call = lastBefore(calls, callsAsOf);
      if (call >= 0 && times[call]! > now - withinMs && (found < 0 || times[call]! > times[found]!)) found = call;
    }
    return found;
  }

  /** Call number `index` (one taintedBy found). */
  ranCall(index: number): RanCall {
    return { index, seq: this.callSeqs[index]!, time: this.callTimes[index]!, tool: this.callTools[index]! };
  }

  /** Every tool name that ran, for selectors with patterns. */
  ranTools(): IterableIterator<string> {
    return this.callsByTool.keys();
  }

  /** The first of the session's first `textsAsOf` texts that contains `value` (searched incrementally). */
  origin(value: string, textsAsOf: number): Origin | undefined {
    const known = this.origins.get(value);
    let index: number;
    if (known !== undefined && known >= 0) index = known;
    else {
      const searched = known === undefined ? 0 : -known - 1;
      const count = this.textSeqs.length;
      index = searched < count ? this.search(value, searched) : -1;
      this.origins.set(value, index >= 0 ? index : -count - 1);
    }
    return index < 0 || index >= textsAsOf ? undefined : { seq: this.textSeqs[index]!, tool: this.textTools[index], labels: this.textLabels[index] };
  }

  private addText(text: string, seq: number, tool: string | undefined, labels: ReadonlySet<string> | undefined): void {
    this.texts.push(text);
    this.textSeqs.push(seq);
    this.textTools.push(tool);
    this.textLabels.push(labels);
    this.filters.add(text);
    this.openLength += text.length;
    if (this.openLength >= BLOCK_LENGTH) {
      this.filters.seal();
      this.blockEnds.push(this.texts.length);
      this.openLength = 0;
    }
  }

  /** The index of the first text from `from` on that holds `value`, or -1. */
  private search(value: string, from: number): number {
    const texts = this.texts;
    const blockEnds = this.blockEnds;
    const probe = gramProbe(value);
    // The block holding text `from`: the first that ends after it (the open one after the last).
    let block = 0;
    let high = blockEnds.length;
    while (block < high) {
      const middle = (block + high) >> 1;
      if (blockEnds[middle]! <= from) block = middle + 1;
      else high = middle;
    }
    for (let start = from; block <= blockEnds.length; block++) {
      const end = block < blockEnds.length ? blockEnds[block]! : texts.length;
      if (probe === undefined || this.filters.mayHold(block, probe)) {
        for (let i = start; i < end; i++) if (texts[i]!.includes(value)) return i;
      }
      start = end;
    }
    return -1;
  }
}

function appendTo(lists: Map<string, number[]>, key: string, call: number): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [call]);
  else list.push(call);
}

/** The last call number of an ascending list below `before`, or -1. */
function lastBefore(calls: readonly number[], before: number): number {
  let high = calls.length - 1;
  if (calls[high]! < before) return calls[high]!;
  let low = 0;
  if (calls[0]! >= before) return -1;
  // calls[low] < before <= calls[high]
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (calls[middle]! < before) low = middle;
    else high = middle;
  }
  return calls[low]!;
}

/** One window: the calls under a key, oldest first, from `start` on (as parallel lists: no object per call). */
interface Window {
  times: number[];
  sessions: string[];
  seqs: number[];
  tools: string[];
  start: number;
}

/**
 * The calls of a window at one moment: lists are only ever appended to (compaction makes new
 * ones), so the calls between `start` and `end` stay as they were.
 */
export interface WindowView {
  readonly sessions: readonly string[];
  readonly seqs: readonly number[];
  readonly tools: readonly string[];
  readonly start: number;
  readonly end: number;
}

const NO_CALLS: WindowView = { sessions: [], seqs: [], tools: [], start: 0, end: 0 };

/** The calls of a view as event references. */
export function windowEvents(view: WindowView): EventRef[] {
  const refs: EventRef[] = [];
  for (let i = view.start; i < view.end; i++) refs.push({ session: view.sessions[i]!, seq: view.seqs[i]!, tool: view.tools[i]! });
  return refs;
}

/** Sliding windows of calls that ran, per limit rule and key. */
export class RateWindows {
  private readonly windows = new Map<string, Window>();

  /** The calls within (now - windowMs, now] under `key`, as a view later calls do not change. */
  view(key: string, now: number, windowMs: number): WindowView {
    const window = this.windows.get(key);
    if (!window) return NO_CALLS;
    this.trim(window, now - windowMs);
    return { sessions: window.sessions, seqs: window.seqs, tools: window.tools, start: window.start, end: window.times.length };
  }

  /** How many calls are within (now - windowMs, now] under `key`. */
  count(key: string, now: number, windowMs: number): number {
    const window = this.windows.get(key);
    if (!window) return 0;
    this.trim(window, now - windowMs);
    return window.times.length - window.start;
  }

  record(key: string, time: number, session: string, seq: number, tool: string): void {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = { times: [], sessions: [], seqs: [], tools: [], start: 0 }));
    window.times.push(time);
    window.sessions.push(session);
    window.seqs.push(seq);
    window.tools.push(tool);
  }

  private trim(window: Window, after: number): void {
    while (window.start < window.times.length && window.times[window.start]! <= after) window.start++;
    // Compact now and then so memory stays bounded by the window, not the trace: into new lists,
    // so views taken earlier keep theirs.
    if (window.start > 1024 && window.start * 2 > window.times.length) {
      const start = window.start;
      window.times = window.times.slice(start);
      window.sessions = window.sessions.slice(start);
      window.seqs = window.seqs.slice(start);
      window.tools = window.tools.slice(start);
      window.start = 0;
    }
  }
}

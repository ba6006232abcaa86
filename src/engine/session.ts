// What a session remembers, advanced only by events the decision let run: which tools and
// labels ran (taint), every text that entered the session in order (provenance), open grants.
// Rate windows span sessions (per agent, per tool…) and live in RateWindows.

import type { EventRef } from './decision';

/** A call that ran. */
export interface RanCall {
  readonly seq: number;
  readonly time: number;
  readonly tool: string;
}

interface SessionText {
  readonly text: string;
  readonly seq: number;
  /** The tool whose result it was; undefined for the user's own request. */
  readonly tool: string | undefined;
  readonly labels: ReadonlySet<string> | undefined;
}

/** Where a value first appeared in the session. */
export interface Origin {
  readonly seq: number;
  readonly tool: string | undefined;
  readonly labels: ReadonlySet<string> | undefined;
}

export class SessionState {
  /** Calls that ran so far. */
  calls = 0;
  private readonly firstByTool = new Map<string, RanCall>();
  private readonly lastByTool = new Map<string, RanCall>();
  private readonly firstByLabel = new Map<string, RanCall>();
  private readonly lastByLabel = new Map<string, RanCall>();
  private readonly texts: SessionText[] = [];
  /** value → index of the first text holding it (-1: none yet), and how far texts were searched. */
  private readonly origins = new Map<string, { index: number; searched: number }>();
  /** Open grants by rule index: expiry time and the approval that opened them. */
  readonly grants = new Map<number, { readonly expires: number; readonly openedBy: EventRef }>();

  constructor(
    readonly id: string,
    /** The time of the session's first event: grants `for <d>` without `after approval` run from it. */
    readonly started: number,
  ) {}

  /** Records a call that ran, with its labels and result text. */
  recordCall(call: RanCall, labels: readonly string[], resultText: string | undefined): void {
    this.calls++;
    if (!this.firstByTool.has(call.tool)) this.firstByTool.set(call.tool, call);
    this.lastByTool.set(call.tool, call);
    for (const label of labels) {
      if (!this.firstByLabel.has(label)) this.firstByLabel.set(label, call);
      this.lastByLabel.set(label, call);
    }
    if (resultText) this.texts.push({ text: resultText, seq: call.seq, tool: call.tool, labels: new Set(labels) });
  }

  /** Records the user's own request (trusted text). */
  recordUserText(text: string, seq: number): void {
    if (text) this.texts.push({ text, seq, tool: undefined, labels: undefined });
  }

  /**
   * The call that tainted the session for a selector: the first matching call that ran, or with
   * a window, the most recent one within it.
   */
  taintedBy(tools: readonly string[], labels: readonly string[], now: number, withinMs: number | undefined): RanCall | undefined {
    let found: RanCall | undefined;
    const consider = (call: RanCall | undefined): void => {
      if (!call) return;
      if (withinMs !== undefined) {
        if (call.time > now - withinMs && (!found || call.time > found.time)) found = call;
      } else if (!found || call.seq < found.seq) found = call;
    };
    const byTool = withinMs === undefined ? this.firstByTool : this.lastByTool;
    const byLabel = withinMs === undefined ? this.firstByLabel : this.lastByLabel;
    for (const tool of tools) consider(byTool.get(tool));
    for (const label of labels) consider(byLabel.get(label));
    return found;
  }

  /** Every tool name that ran, for selectors with patterns. */
  ranTools(): IterableIterator<string> {
    return this.firstByTool.keys();
  }

  /** The first text of the session that contains `value`, searched incrementally. */
  origin(value: string): Origin | undefined {
    let entry = this.origins.get(value);
    if (!entry) {
      entry = { index: -1, searched: 0 };
      this.origins.set(value, entry);
    }
    if (entry.index < 0) {
      for (let i = entry.searched; i < this.texts.length; i++) {
        if (this.texts[i]!.text.includes(value)) {
          entry.index = i;
          break;
        }
      }
      entry.searched = this.texts.length;
    }
    if (entry.index < 0) return undefined;
    const text = this.texts[entry.index]!;
    return { seq: text.seq, tool: text.tool, labels: text.labels };
  }
}

/** Sliding windows of calls that ran, per limit rule and key. */
export class RateWindows {
  private readonly windows = new Map<string, { times: number[]; seqs: EventRef[]; start: number }>();

  /** The calls within (now - windowMs, now] under `key`. */
  inWindow(key: string, now: number, windowMs: number): readonly EventRef[] {
    const window = this.windows.get(key);
    if (!window) return [];
    this.trim(window, now - windowMs);
    return window.seqs.slice(window.start);
  }

  /** How many calls are within (now - windowMs, now] under `key`. */
  count(key: string, now: number, windowMs: number): number {
    const window = this.windows.get(key);
    if (!window) return 0;
    this.trim(window, now - windowMs);
    return window.times.length - window.start;
  }

  record(key: string, time: number, ref: EventRef): void {
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = { times: [], seqs: [], start: 0 }));
    window.times.push(time);
    window.seqs.push(ref);
  }

  private trim(window: { times: number[]; seqs: EventRef[]; start: number }, after: number): void {
    while (window.start < window.times.length && window.times[window.start]! <= after) window.start++;
    // Compact now and then so memory stays bounded by the window, not the trace.
    if (window.start > 1024 && window.start * 2 > window.times.length) {
      window.times.splice(0, window.start);
      window.seqs.splice(0, window.start);
      window.start = 0;
    }
  }
}

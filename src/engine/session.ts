// What a session remembers, advanced only by events the decision let run: which tools and
// labels ran (taint), every text that entered the session in order (provenance), open grants.
// Rate windows span sessions (per agent, per tool…) and live in RateWindows.

import type { EventRef } from './decision';
import { GramFilters, gramProbe } from './gramFilter';

/** A call that ran. */
export interface RanCall {
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

const SEPARATOR = '\u0000';
/** Texts are joined in blocks of about this many characters. */
const BLOCK_LENGTH = 4_096;

export class SessionState {
  /** Calls that ran so far. */
  calls = 0;
  private readonly firstByTool = new Map<string, RanCall>();
  private readonly lastByTool = new Map<string, RanCall>();
  private readonly firstByLabel = new Map<string, RanCall>();
  private readonly lastByLabel = new Map<string, RanCall>();
  // Per text of the session, in order (the text itself is kept only in the joined blocks): the
  // seq of its event, and the tool whose result it was with the tool's labels (undefined for the
  // user's own request).
  private readonly textSeqs: number[] = [];
  private readonly textTools: (string | undefined)[] = [];
  private readonly textLabels: (ReadonlySet<string> | undefined)[] = [];
  /**
   * Older texts joined in blocks, each text followed by SEPARATOR: a value without the separator
   * cannot match across two texts, so `indexOf` over a block finds the first text there holding
   * it. Blocks are joined once, when the texts after them (`recent`) reach BLOCK_LENGTH
   * characters; the recent texts are searched one by one, so a text added never makes a long
   * string be copied again.
   */
  private readonly blocks: string[] = [];
  /** Per block, the filter of its texts' grams (then the recent texts'): a search skips the blocks that cannot hold the value. */
  private readonly filters = new GramFilters();
  /** The index of the first text of each block. */
  private readonly blockFirst: number[] = [];
  /** The texts after the last block, and how many characters they hold. */
  private recent: string[] = [];
  private recentLength = 0;
  /** The index of the first recent text. */
  private recentFirst = 0;
  /** Where each text of a block starts within its block. */
  private readonly starts: number[] = [];
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
  recordCall(call: RanCall, labels: readonly string[], resultText: string | undefined, labelSet?: ReadonlySet<string>): void {
    this.calls++;
    if (!this.firstByTool.has(call.tool)) this.firstByTool.set(call.tool, call);
    this.lastByTool.set(call.tool, call);
    for (const label of labels) {
      if (!this.firstByLabel.has(label)) this.firstByLabel.set(label, call);
      this.lastByLabel.set(label, call);
    }
    if (resultText) this.addText(resultText, call.seq, call.tool, labelSet ?? new Set(labels));
  }

  /** Records the user's own request (trusted text). */
  recordUserText(text: string, seq: number): void {
    if (text) this.addText(text, seq, undefined, undefined);
  }

  /**
   * The call that tainted the session for a selector: the first matching call that ran, or with
   * a window, the most recent one within it.
   */
  taintedBy(tools: readonly string[], labels: readonly string[], now: number, withinMs: number | undefined): RanCall | undefined {
    let found: RanCall | undefined;
    const byTool = withinMs === undefined ? this.firstByTool : this.lastByTool;
    const byLabel = withinMs === undefined ? this.firstByLabel : this.lastByLabel;
    for (let i = 0; i < tools.length + labels.length; i++) {
      const call = i < tools.length ? byTool.get(tools[i]!) : byLabel.get(labels[i - tools.length]!);
      if (!call) continue;
      if (withinMs !== undefined) {
        if (call.time > now - withinMs && (!found || call.time > found.time)) found = call;
      } else if (!found || call.seq < found.seq) found = call;
    }
    return found;
  }

  /** Every tool name that ran, for selectors with patterns. */
  ranTools(): IterableIterator<string> {
    return this.firstByTool.keys();
  }

  /** The first text of the session that contains `value`, searched incrementally. */
  origin(value: string): Origin | undefined {
    const known = this.origins.get(value);
    let index: number;
    if (known !== undefined && known >= 0) index = known;
    else {
      const searched = known === undefined ? 0 : -known - 1;
      const count = this.textSeqs.length;
      index = searched < count ? this.search(value, searched) : -1;
      this.origins.set(value, index >= 0 ? index : -count - 1);
    }
    return index < 0 ? undefined : { seq: this.textSeqs[index]!, tool: this.textTools[index], labels: this.textLabels[index] };
  }

  private addText(text: string, seq: number, tool: string | undefined, labels: ReadonlySet<string> | undefined): void {
    this.textSeqs.push(seq);
    this.textTools.push(tool);
    this.textLabels.push(labels);
    this.recent.push(text);
    this.filters.add(text);
    this.recentLength += text.length + 1;
    if (this.recentLength >= BLOCK_LENGTH) this.joinRecent();
  }

  /** Joins the recent texts into a block. */
  private joinRecent(): void {
    const recent = this.recent;
    let start = 0;
    for (let i = 0; i < recent.length; i++) {
      this.starts.push(start);
      start += recent[i]!.length + 1;
    }
    const block = recent.join(SEPARATOR) + SEPARATOR;
    this.blocks.push(block);
    this.filters.seal();
    this.blockFirst.push(this.recentFirst);
    this.recentFirst = this.textSeqs.length;
    this.recent = [];
    this.recentLength = 0;
  }

  /** Text `index` of a block, cut from it. */
  private blockText(block: number, index: number): string {
    const joined = this.blocks[block]!;
    const last = (block + 1 < this.blocks.length ? this.blockFirst[block + 1]! : this.recentFirst) - 1;
    const end = index < last ? this.starts[index + 1]! - 1 : joined.length - 1;
    return joined.slice(this.starts[index]!, end);
  }

  /** The index of the first text from `from` on that holds `value`, or -1. */
  private search(value: string, from: number): number {
    const blocks = this.blocks;
    const blockFirst = this.blockFirst;
    if (from < this.recentFirst) {
      // The block holding text `from`: the last one starting at or before it.
      let low = 0;
      let high = blocks.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (blockFirst[middle]! <= from) low = middle;
        else high = middle - 1;
      }
      const straddles = value.includes(SEPARATOR);
      const probe = straddles ? undefined : gramProbe(value);
      for (let b = low; b < blocks.length; b++) {
        if (probe !== undefined && !this.filters.mayHold(b, probe)) continue;
        const first = b === low ? from : blockFirst[b]!;
        const last = (b + 1 < blocks.length ? blockFirst[b + 1]! : this.recentFirst) - 1;
        if (straddles) {
          // A value holding the separator could match across two texts of a block.
          for (let i = first; i <= last; i++) if (this.blockText(b, i).includes(value)) return i;
          continue;
        }
        const joined = blocks[b]!;
        const at = joined.indexOf(value, this.starts[first]!);
        if (at < 0) continue;
        // The text whose span holds `at`: the last start at or before it.
        let lowText = first;
        let highText = last;
        while (lowText < highText) {
          const middle = (lowText + highText + 1) >> 1;
          if (this.starts[middle]! <= at) lowText = middle;
          else highText = middle - 1;
        }
        return lowText;
      }
    }
    const recent = this.recent;
    const probe = gramProbe(value);
    if (probe !== undefined && !value.includes(SEPARATOR) && !this.filters.mayHold(this.filters.open, probe)) return -1;
    for (let i = Math.max(from, this.recentFirst); i < this.textSeqs.length; i++) if (recent[i - this.recentFirst]!.includes(value)) return i;
    return -1;
  }
}

/** One window: the calls under a key, oldest first, from `start` on (as parallel lists: no object per call). */
interface Window {
  readonly times: number[];
  readonly sessions: string[];
  readonly seqs: number[];
  readonly tools: string[];
  start: number;
}

/** Sliding windows of calls that ran, per limit rule and key. */
export class RateWindows {
  private readonly windows = new Map<string, Window>();

  /** The calls within (now - windowMs, now] under `key`. */
  inWindow(key: string, now: number, windowMs: number): readonly EventRef[] {
    const window = this.windows.get(key);
    if (!window) return [];
    this.trim(window, now - windowMs);
    const refs: EventRef[] = [];
    for (let i = window.start; i < window.times.length; i++) refs.push({ session: window.sessions[i]!, seq: window.seqs[i]!, tool: window.tools[i]! });
    return refs;
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
    // Compact now and then so memory stays bounded by the window, not the trace.
    if (window.start > 1024 && window.start * 2 > window.times.length) {
      const start = window.start;
      window.times.splice(0, start);
      window.sessions.splice(0, start);
      window.seqs.splice(0, start);
      window.tools.splice(0, start);
      window.start = 0;
    }
  }
}

// The texts of one session, for provenance: every text that entered it in order (tool results,
// the user's own requests), and where a value first appeared among them.
//
// The texts' code units are copied, back to back, into one typed array (one byte each until a
// text needs two), with per text where it starts, its event's seq and its source: the session
// keeps no string per text, so a long replay's texts cost the garbage collector nothing. Texts
// form blocks of about BLOCK_LENGTH code units, each with a filter of its grams (gramFilter.ts)
// that lets a search skip blocks; filters are built when a search first needs them, a run of
// texts at a time (a gram across two texts only adds a "maybe"). A match never spans two texts.

import { GramFilters, gramProbe } from './gramFilter';

/** Where a text came from: the tool whose result it was, with the tool's labels. */
export interface TextSource {
  readonly tool: string;
  readonly labels: ReadonlySet<string>;
}

/** Texts form blocks of about this many code units, each with its gram filter. */
const BLOCK_LENGTH = 1_024;
/** A session's code units start in this many bytes, and grow by doubling. */
const FIRST_REGION = 1_024;
/** Regions are cut from shared buffers of this size; larger ones are buffers of their own. */
const SLAB = 1 << 22;

/**
 * What many sessions' texts (one engine's) share: their code-unit arrays, cut from large shared
 * buffers (a session's array grows by doubling, and the region it leaves is reused by the next
 * session that grows to that size: allocating typed arrays one by one costs more than copying),
 * and the sources of their texts by number.
 */
export class TextArena {
  /** Sources by number, and their numbers. */
  readonly sources: TextSource[] = [];
  private readonly sourceNumbers = new Map<TextSource, number>();
  private slab: ArrayBuffer | undefined = undefined;
  private used = 0;
  /** Regions given back, by byte size (a power of two). */
  private readonly free = new Map<number, Uint8Array[]>();

  /** A region of `bytes` bytes (a power of two); its contents are undefined. */
  take(bytes: number): Uint8Array {
    if (bytes > SLAB / 4) return new Uint8Array(bytes);
    const reused = this.free.get(bytes)?.pop();
    if (reused !== undefined) return reused;
    if (this.slab === undefined || this.used + bytes > SLAB) {
      this.slab = new ArrayBuffer(SLAB);
      this.used = 0;
    }
    const region = new Uint8Array(this.slab, this.used, bytes);
    this.used += bytes;
    return region;
  }

  /** The number of a source (-1 for none: the user's own request). */
  numberOf(source: TextSource | undefined): number {
    if (source === undefined) return -1;
    let number = this.sourceNumbers.get(source);
    if (number === undefined) {
      this.sourceNumbers.set(source, (number = this.sources.length));
      this.sources.push(source);
    }
    return number;
  }

  /** Gives a region back for reuse. */
  give(region: Uint8Array): void {
    if (region.byteLength === 0 || region.byteLength > SLAB / 4) return;
    let list = this.free.get(region.byteLength);
    if (list === undefined) this.free.set(region.byteLength, (list = []));
    list.push(region);
  }
}

/** The code units and text records of a store with no text yet. */
const NO_CODES = new Uint8Array(0);
const NO_META = new Float64Array(0);

/** The smallest power of two at least `size` (and at least FIRST_REGION). */
function regionBytes(size: number): number {
  let bytes = FIRST_REGION;
  while (bytes < size) bytes *= 2;
  return bytes;
}

export class SessionTexts {
  /** How many texts it holds. */
  count = 0;
  /** The region holding the code units, and the code units (the region itself, or two bytes each over it). */
  private region: Uint8Array;
  private codes: Uint8Array | Uint16Array;
  /** Code units in use. */
  private length = 0;
  /** Per text, where its code units start, its event's seq and its source's number in the arena (three numbers a text). */
  private meta: Float64Array = NO_META;
  /** The arena region under `meta`. */
  private metaRegion: Uint8Array = NO_CODES;
  private readonly filters = new GramFilters();
  /** How many texts (from the first) have their grams in the filters. */
  private filtered = 0;
  /** Code units filtered into the open block. */
  private openLength = 0;
  /** `blockEnds[b]`: the index of the first text after block b; the texts after the last block are in the open one. */
  private readonly blockEnds: number[] = [];
  /** value → index of the first text holding it, or when none yet, -1 - how many texts were searched. */
  private readonly origins = new Map<string, number>();

  constructor(private readonly arena: TextArena = new TextArena()) {
    this.region = this.codes = NO_CODES;
  }

  /** Adds a text (empty texts hold nothing and are not added). */
  add(text: string, seq: number, source: TextSource | undefined): void {
    const size = text.length;
    if (size === 0) return;
    const start = this.length;
    if (start + size > this.codes.length) this.resize(Math.max(start + size, this.codes.length * 2), start, this.codes instanceof Uint16Array);
    let i = 0;
    let codes = this.codes;
    if (codes instanceof Uint8Array) {
      for (; i < size; i++) {
        const code = text.charCodeAt(i);
        if (code > 0xff) break;
        codes[start + i] = code;
      }
      if (i < size) codes = this.resize(codes.length, start + i, true); // a code unit past one byte: two bytes each from now on
    }
    for (; i < size; i++) codes[start + i] = text.charCodeAt(i);
    this.length = start + size;
    this.count++;
    const at = (this.count - 1) * 3;
    if (at + 3 > this.meta.length) this.growMeta();
    const meta = this.meta;
    meta[at] = start;
    meta[at + 1] = seq;
    meta[at + 2] = this.arena.numberOf(source);
  }

  /** The seq of text `index`'s event. */
  seqOf(index: number): number {
    return this.meta[index * 3 + 1]!;
  }

  /** The source of text `index` (undefined: the user's own request). */
  sourceOf(index: number): TextSource | undefined {
    const number = this.meta[index * 3 + 2]!;
    return number < 0 ? undefined : this.arena.sources[number];
  }

  /** The index of the first of the first `asOf` texts that holds `value`, or -1 (searched incrementally). */
  origin(value: string, asOf: number): number {
    if (this.count === 0) return -1;
    const known = this.origins.get(value);
    let index: number;
    if (known !== undefined && known >= 0) index = known;
    else {
      const searched = known === undefined ? 0 : -known - 1;
      const count = this.count;
      index = searched < count ? this.search(value, searched) : -1;
      this.origins.set(value, index >= 0 ? index : -count - 1);
    }
    return index < asOf ? index : -1;
  }

  /** A new array of at least `size` code units, two bytes each when `wide`, with the first `used` copied; returns it. */
  private resize(size: number, used: number, wide: boolean): Uint8Array | Uint16Array {
    const region = this.arena.take(regionBytes(wide ? size * 2 : size));
    const codes = wide ? new Uint16Array(region.buffer, region.byteOffset, region.byteLength / 2) : region;
    codes.set(this.codes.subarray(0, used));
    this.arena.give(this.region);
    this.region = region;
    return (this.codes = codes);
  }

  /** Room for twice as many texts in `meta`, from the arena. */
  private growMeta(): void {
    const region = this.arena.take(regionBytes(this.meta.byteLength * 2));
    const meta = new Float64Array(region.buffer, region.byteOffset, region.byteLength / 8);
    meta.set(this.meta);
    this.arena.give(this.metaRegion);
    this.metaRegion = region;
    this.meta = meta;
  }

  /** Where text `index` starts (`count`: where the next would). */
  private startOf(index: number): number {
    return index < this.count ? this.meta[index * 3]! : this.length;
  }

  /** The index of the first text from `from` on that holds `value`, or -1. */
  private search(value: string, from: number): number {
    this.filterAll();
    const count = this.count;
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
      const end = block < blockEnds.length ? blockEnds[block]! : count;
      if (start < end && (probe === undefined || this.filters.mayHold(block, probe))) {
        const found = this.find(value, start, end);
        if (found >= 0) return found;
      }
      start = end;
    }
    return -1;
  }

  /** The index of the first of texts `first…end-1` that holds `value` (not empty), or -1. */
  private find(value: string, first: number, end: number): number {
    const codes = this.codes;
    const size = value.length;
    const lead = value.charCodeAt(0);
    const stop = this.startOf(end);
    let text = first;
    let textEnd = this.startOf(first + 1);
    for (let at = this.startOf(first); at + size <= stop; at++) {
      at = codes.indexOf(lead, at);
      if (at < 0 || at + size > stop) return -1;
      while (at >= textEnd) textEnd = this.startOf(++text + 1);
      if (at + size > textEnd) continue; // it would run into the next text
      let matched = 1;
      while (matched < size && codes[at + matched] === value.charCodeAt(matched)) matched++;
      if (matched === size) return text;
    }
    return -1;
  }

  /** Adds the grams of every text not yet in the filters, a block's run of texts at a time, sealing blocks as they fill. */
  private filterAll(): void {
    const filters = this.filters;
    let runStart = this.startOf(this.filtered);
    for (let index = this.filtered; index < this.count; index++) {
      const end = this.startOf(index + 1);
      this.openLength += end - this.startOf(index);
      if (this.openLength >= BLOCK_LENGTH) {
        filters.add(this.codes, runStart, end);
        filters.seal();
        this.blockEnds.push(index + 1);
        this.openLength = 0;
        runStart = end;
      }
    }
    filters.add(this.codes, runStart, this.length);
    this.filtered = this.count;
  }
}

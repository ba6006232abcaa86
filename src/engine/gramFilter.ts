// Bloom filters of the 4-character grams of session texts, one per block of texts: a value that
// occurs in a text has every one of its grams there, so a filter without one of the value's
// grams proves none of its block's texts holds the value, and provenance search skips the block.
// A filter can only say "maybe" wrongly (two grams sharing a bit), never "no": skipping never
// changes an answer. A gram is packed into 32 bits from its four UTF-16 code units (a function of
// those four alone), then mixed to one bit; all of a session's filters share one array.
// Texts are given as code units in typed arrays (sessionTexts.ts keeps them so).

const GRAM = 4;
const BITS_LOG2 = 12;
const WORDS = (1 << BITS_LOG2) >>> 5;
/** At most this many of a value's grams are probed (spread over it): plenty to rule a block out. */
const PROBED_GRAMS = 12;

/** The bit of a packed gram. */
function bitOf(packed: number): number {
  return Math.imul(packed, 0x9e3779b1) >>> (32 - BITS_LOG2);
}

const probeBits = new Int32Array(PROBED_GRAMS);

/**
 * The filter bits a value needs, or undefined when it is shorter than a gram. The returned array
 * is reused: valid until the next call.
 */
export function gramProbe(value: string): Int32Array | undefined {
  const grams = value.length - GRAM + 1;
  if (grams < 1) return undefined;
  const probes = Math.min(grams, PROBED_GRAMS);
  const bits = probes === PROBED_GRAMS ? probeBits : probeBits.subarray(0, probes);
  for (let i = 0; i < probes; i++) {
    const at = probes === 1 ? 0 : ((i * (grams - 1)) / (probes - 1)) | 0;
    let packed = 0;
    for (let j = at; j < at + GRAM; j++) packed = (packed << 8) ^ value.charCodeAt(j);
    bits[i] = bitOf(packed);
  }
  return bits;
}

/** Sets the bits of the grams of `codes[start…end)` (at least one gram) in the filter at `base`. */
function addGrams(codes: Uint8Array, start: number, end: number, words: Uint32Array, base: number): void {
  let packed = (((codes[start]! << 8) ^ codes[start + 1]!) << 8) ^ codes[start + 2]!;
  for (let at = start + GRAM - 1; at < end; at++) {
    packed = (packed << 8) ^ codes[at]!;
    const bit = bitOf(packed);
    words[base + (bit >>> 5)]! |= 1 << (bit & 31);
  }
}

/** addGrams for two-byte code units. */
function addWideGrams(codes: Uint16Array, start: number, end: number, words: Uint32Array, base: number): void {
  let packed = (((codes[start]! << 8) ^ codes[start + 1]!) << 8) ^ codes[start + 2]!;
  for (let at = start + GRAM - 1; at < end; at++) {
    packed = (packed << 8) ^ codes[at]!;
    const bit = bitOf(packed);
    words[base + (bit >>> 5)]! |= 1 << (bit & 31);
  }
}

/** The filters of one session: sealed blocks 0…count-1, and the open one texts are added to. */
export class GramFilters {
  private words = new Uint32Array(WORDS * 16);
  /** Sealed filters; the open one is at index `count`. */
  private count = 0;

  /**
   * Adds the grams of the code units `codes[start…end)` to the open filter. A run of several texts
   * may be given at once: the few grams that span two texts only make the filter say "maybe" a
   * little more often.
   */
  add(codes: Uint8Array | Uint16Array, start: number, end: number): void {
    if (end - start < GRAM) return;
    // One loop per array type, so each reads one kind of element.
    if (codes instanceof Uint8Array) addGrams(codes, start, end, this.words, this.count * WORDS);
    else addWideGrams(codes, start, end, this.words, this.count * WORDS);
  }

  /** Seals the open filter (its block is complete) and opens an empty one. */
  seal(): void {
    this.count++;
    if ((this.count + 1) * WORDS > this.words.length) {
      const grown = new Uint32Array(this.words.length * 4);
      grown.set(this.words);
      this.words = grown;
    }
  }

  /**
   * False when filter `index` (`count`: the open one) proves its texts cannot hold a value with
   * these probe bits. The probe that rules a filter out moves to the front: the grams a value
   * shares with most of a session's texts (a common prefix, a domain) stop coming first.
   */
  mayHold(index: number, probe: Int32Array): boolean {
    const words = this.words;
    const base = index * WORDS;
    for (let i = 0; i < probe.length; i++) {
      const bit = probe[i]!;
      if ((words[base + (bit >>> 5)]! & (1 << (bit & 31))) === 0) {
        if (i > 0) {
          probe[i] = probe[0]!;
          probe[0] = bit;
        }
        return false;
      }
    }
    return true;
  }

  /** The index of the open filter. */
  get open(): number {
    return this.count;
  }
}

// A Bloom filter of the 8-character grams of session texts: a value that occurs in a text has
// every one of its grams there, so a filter without one of the value's grams proves none of its
// texts holds the value (without the separator that joins texts) and provenance search skips them. A filter can only say "maybe"
// wrongly (two grams sharing bits), never "no": skipping never changes an answer.

/** Grams are this many UTF-16 code units long; shorter values are not filtered. */
export const GRAM = 8;
const BITS_LOG2 = 14;
const WORDS = (1 << BITS_LOG2) >>> 5;
const BASE = 0x01000193;
/** BASE to the power GRAM, modulo 2^32: what the character leaving a rolling gram weighed. */
const BASE_POW = (() => {
  let power = 1;
  for (let i = 0; i < GRAM; i++) power = Math.imul(power, BASE);
  return power;
})();

/** The two bits of a gram's hash: its high bits, and the high bits of it mixed once more. */
function firstBit(hash: number): number {
  return hash >>> (32 - BITS_LOG2);
}

function secondBit(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> (32 - BITS_LOG2);
}

/** The hash of the gram of `text` at `at`. */
function gramHash(text: string, at: number): number {
  let hash = 0;
  for (let i = at; i < at + GRAM; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

const probeBits = new Int32Array(6);

/**
 * The filter bits a value needs (those of its first, middle and last grams), or undefined when
 * it is shorter than a gram. The one array is reused: valid until the next call.
 */
export function gramProbe(value: string): Int32Array | undefined {
  if (value.length < GRAM) return undefined;
  probeGram(value, 0, 0);
  probeGram(value, (value.length - GRAM) >> 1, 2);
  probeGram(value, value.length - GRAM, 4);
  return probeBits;
}

function probeGram(value: string, at: number, slot: number): void {
  const hash = gramHash(value, at);
  probeBits[slot] = firstBit(hash);
  probeBits[slot + 1] = secondBit(hash);
}

export class GramFilter {
  private readonly words = new Uint32Array(WORDS);

  /** Adds every gram of `text`. */
  add(text: string): void {
    const words = this.words;
    if (text.length < GRAM) return;
    let hash = gramHash(text, 0);
    for (let at = 0; ; at++) {
      const one = firstBit(hash);
      const two = secondBit(hash);
      words[one >>> 5]! |= 1 << (one & 31);
      words[two >>> 5]! |= 1 << (two & 31);
      if (at + GRAM >= text.length) break;
      // Roll: drop the character at `at`, take the one at `at + GRAM`.
      hash = (Math.imul(hash, BASE) - Math.imul(text.charCodeAt(at), BASE_POW) + text.charCodeAt(at + GRAM)) | 0;
    }
  }

  /** False when the text cannot hold a value with these probe bits. */
  mayHold(probe: Int32Array): boolean {
    const words = this.words;
    for (let i = 0; i < probe.length; i++) {
      const bit = probe[i]!;
      if ((words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

// Timestamps as the formats write them → epoch milliseconds (UTC).

/** The largest distance from the epoch a JavaScript date can have. */
export const MAX_TIME_MS = 8.64e15;

/**
 * The made-up clock of traces that record no time: events start here (2024-06-01T00:00:00Z) and
 * follow one second apart, so order and time agree and replays are deterministic.
 */
export const SYNTHETIC_BASE_TIME = Date.UTC(2024, 5, 1, 0, 0, 0);
export const SYNTHETIC_INTERVAL_MS = 1000;

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 timestamp → epoch ms, or undefined. A timestamp without a zone is read as UTC when
 * `naiveIsUtc` (LangSmith, whose API writes naive UTC), else rejected (it would depend on the
 * machine reading it). Fractions beyond milliseconds are truncated.
 */
export function isoToMs(text: string, naiveIsUtc = false): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (zone === undefined && !naiveIsUtc) return undefined;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  let time = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March; a real timestamp never needs that.
  if (new Date(time).getUTCDate() !== day) return undefined;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(time) && Math.abs(time) <= MAX_TIME_MS ? time : undefined;
}

/** Unix nanoseconds (OTLP's fixed64, as a decimal string or a number) → epoch ms, or undefined. */
export function nanosToMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value / 1e6) : undefined;
  if (!/^\d{1,20}$/.test(value)) return undefined;
  // Milliseconds are the leading digits; no precision is lost to floating point.
  const ms = value.length > 6 ? Number(value.slice(0, -6)) : 0;
  return ms <= MAX_TIME_MS ? ms : undefined;
}

/** Epoch seconds (OpenAI's `created`, possibly fractional) → epoch ms, or undefined. */
export function secondsToMs(value: number): number | undefined {
  const ms = Math.round(value * 1000);
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS ? ms : undefined;
}

// An event's wall-clock time in the workspace's time zone (hour, minute, weekday, date), with
// daylight saving from the platform's time-zone data. Cached per zone and minute: replaying a
// million events asks Intl only once per distinct minute.

export interface LocalTime {
  readonly hour: number;
  readonly minute: number;
  /** `mon` … `sun`. */
  readonly weekday: string;
  /** `2026-07-01`. */
  readonly date: string;
}

const WEEKDAY_NAMES: Readonly<Record<string, string>> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };
/** Weekdays from the epoch's (1970-01-01, a Thursday). */
const WEEKDAYS_FROM_EPOCH = ['thu', 'fri', 'sat', 'sun', 'mon', 'tue', 'wed'];
const MINUTES_PER_DAY = 1440;
const CACHE_LIMIT = 100_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone: local times by epoch minute. */
const caches = new Map<string, Map<number, LocalTime>>();
/** The last answer: consecutive events mostly fall in the same minute. */
let lastZone: string | undefined;
let lastMinute = NaN;
let lastLocal: LocalTime | undefined;
/** UTC dates by epoch day, and the last one. */
const utcDays = new Map<number, string>();
let lastDay = NaN;
let lastDate = '';

/** The local time of `epochMs` in `zone` (an IANA name; `UTC` when none is declared). */
export function localTime(epochMs: number, zone: string): LocalTime {
  const minute = Math.floor(epochMs / 60_000);
  if (minute === lastMinute && zone === lastZone) return lastLocal!;
  let local: LocalTime | undefined;
  if (zone === 'UTC') local = utcLocalTime(minute);
  if (local === undefined) {
    let cache = caches.get(zone);
    if (!cache) caches.set(zone, (cache = new Map()));
    local = cache.get(minute);
    if (!local) {
      local = formatLocalTime(minute, zone);
      if (cache.size > CACHE_LIMIT) cache.clear();
      cache.set(minute, local);
    }
  }
  lastZone = zone;
  lastMinute = minute;
  lastLocal = local;
  return local;
}

/** UTC by arithmetic (no offsets, no daylight saving); undefined outside years 1000–9999. */
function utcLocalTime(minute: number): LocalTime | undefined {
  const day = Math.floor(minute / MINUTES_PER_DAY);
  let date: string | undefined;
  if (day === lastDay) date = lastDate;
  else {
    date = utcDays.get(day);
    if (date === undefined) {
      const midnight = new Date(day * 86_400_000);
      const year = midnight.getUTCFullYear();
      if (!(year >= 1000 && year <= 9999)) return undefined;
      date = `${year}-${String(midnight.getUTCMonth() + 1).padStart(2, '0')}-${String(midnight.getUTCDate()).padStart(2, '0')}`;
      if (utcDays.size > CACHE_LIMIT) utcDays.clear();
      utcDays.set(day, date);
    }
    lastDay = day;
    lastDate = date;
  }
  const ofDay = minute - day * MINUTES_PER_DAY;
  return { hour: Math.floor(ofDay / 60), minute: ofDay % 60, weekday: WEEKDAYS_FROM_EPOCH[((day % 7) + 7) % 7]!, date };
}

function formatLocalTime(minute: number, zone: string): LocalTime {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(minute * 60_000))) parts[part.type] = part.value;
  return {
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAY_NAMES[parts.weekday ?? ''] ?? '',
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** `2026-07-01 17:30 wed` for explanations. */
export function renderLocalTime(local: LocalTime): string {
  return `${local.date} ${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')} ${local.weekday}`;
}

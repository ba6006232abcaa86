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
const formatters = new Map<string, Intl.DateTimeFormat>();
const cache = new Map<string, LocalTime>();

/** The local time of `epochMs` in `zone` (an IANA name; `UTC` when none is declared). */
export function localTime(epochMs: number, zone: string): LocalTime {
  const minute = Math.floor(epochMs / 60_000);
  const key = `${zone}\u0000${minute}`;
  let local = cache.get(key);
  if (local) return local;
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
  local = {
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAY_NAMES[parts.weekday ?? ''] ?? '',
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
  if (cache.size > 100_000) cache.clear();
  cache.set(key, local);
  return local;
}

/** `2026-07-01 17:30 wed` for explanations. */
export function renderLocalTime(local: LocalTime): string {
  return `${local.date} ${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')} ${local.weekday}`;
}

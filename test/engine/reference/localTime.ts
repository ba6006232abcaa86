// The reference's own local-time reading, with the daylight-saving rules of the three zones the
// generator uses written out by hand (no Intl), so it checks the engine's Intl-based reading
// instead of repeating it. Valid for the years the tests use (2007 and later for New York).
//
// - UTC: no offset.
// - Europe/Berlin: UTC+1; UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday of
//   October 01:00 UTC.
// - America/New_York: UTC−5; UTC−4 from the second Sunday of March 07:00 UTC (02:00 EST) to
//   the first Sunday of November 06:00 UTC (02:00 EDT).

export const REFERENCE_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York'] as const;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface RefLocalTime {
  readonly hour: number;
  readonly minute: number;
  readonly weekday: string;
  readonly date: string;
}

/** Day of month of the n-th Sunday (1-based) of a month (0-based), or the last with n = -1. */
function sunday(year: number, month: number, n: number): number {
  const sundays: number[] = [];
  for (let day = 1; day <= 31; day++) {
    const date = new Date(Date.UTC(year, month, day));
    if (date.getUTCMonth() !== month) break;
    if (date.getUTCDay() === 0) sundays.push(day);
  }
  return n === -1 ? sundays[sundays.length - 1]! : sundays[n - 1]!;
}

/** Minutes to add to UTC to get local time in `zone` at `epochMs`. */
export function offsetMinutes(zone: string, epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  switch (zone) {
    case 'UTC':
      return 0;
    case 'Europe/Berlin': {
      const start = Date.UTC(year, 2, sunday(year, 2, -1), 1);
      const end = Date.UTC(year, 9, sunday(year, 9, -1), 1);
      return epochMs >= start && epochMs < end ? 120 : 60;
    }
    case 'America/New_York': {
      const start = Date.UTC(year, 2, sunday(year, 2, 2), 7);
      const end = Date.UTC(year, 10, sunday(year, 10, 1), 6);
      return epochMs >= start && epochMs < end ? -240 : -300;
    }
    default:
      throw new Error(`the reference interpreter knows no time zone ${zone}`);
  }
}

export function refLocalTime(epochMs: number, zone: string): RefLocalTime {
  const local = new Date(epochMs + offsetMinutes(zone, epochMs) * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: WEEKDAYS[local.getUTCDay()]!,
    date: `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
  };
}

// What every trace reader returns: the events it could read, and one line per record it could
// not (`file:line: reason`). A bad record never stops a reader; the good ones are kept.

import type { TraceEvent } from '../event';

export interface ReadResult {
  readonly events: TraceEvent[];
  /** Problems with the input, one line each, `file:line: reason` (or `file: reason`). */
  readonly problems: string[];
}

/** `file:line: message`, or `file: message` when the line is unknown. */
export function problemAt(file: string, line: number | undefined, message: string): string {
  return line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`;
}

// The trace of the `import` benchmark: the replay workload's generated events (sessions
// interleaved in time, user requests, results with untrusted text, payments, mail), written as
// the project's JSON Lines until the text reaches the size asked for.

import { generateReplayTrace } from '../engineWorkload/replay';

/** Events the generator writes per megabyte, measured: ~212 bytes each. */
const EVENTS_PER_MB = 4_800;

export interface ImportTrace {
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly lines: number;
}

/** A JSON Lines trace of at least `megabytes` MB (10^6 bytes), cut at a line end. */
export function generateImportTrace(megabytes: number): ImportTrace {
  const target = megabytes * 1e6;
  const trace = generateReplayTrace({ events: Math.ceil(megabytes * EVENTS_PER_MB * 1.05), sessions: 1_000 });
  let text = trace.chunks.join('');
  if (text.length < target) throw new Error(`the generated trace is ${text.length} characters, short of ${target}`);
  text = text.slice(0, text.indexOf('\n', target) + 1);
  const bytes = new TextEncoder().encode(text);
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return { text, bytes, lines };
}

// The project's own trace format, JSON Lines: one event per line, field names in snake_case.
// docs/formats.md describes it and docs/trace.schema.json is its JSON Schema.
//
//   {"kind":"tool_call","session":"s1","seq":1,"time":"2026-07-01T10:00:00Z","agent":"a",
//    "on_behalf_of":"dana","tool":"x","args":{},"result":"...","context":{}}
//   {"kind":"user_message","session":"s1","seq":2,"time":"2026-07-01T10:00:05Z","text":"..."}
//   {"kind":"agent_message", ... ,"text":"..."}
//
// - `kind` defaults to `tool_call` when the record has a `tool`.
// - `session` defaults to the file's path (a file without sessions is one session); `seq`
//   defaults to the line number.
// - `time` is required: an ISO 8601 timestamp with a zone (`Z` or `+02:00`; a zoneless time would
//   depend on the machine reading it) or a number of milliseconds since the epoch.
// - Tool calls need `agent` and `tool`; `args` defaults to `{}`; `result` may be any JSON;
//   `error` is text; `context` an object; `call_id` the call's id in the original trace;
//   `args_raw`, `server`, `outcome` (`allowed`|`denied`) and `unpaired` (true) as importers set them.
// - Blank lines are ignored; a bad line is skipped with a diagnostic naming its line number.
//
// Records are parsed with JSON.parse, which defines every member (even `__proto__`) as the
// object's own data, and parsed objects are never merged into existing ones, so no input reaches
// a prototype. Fields are read as plain properties: none of the names read here exists on
// Object.prototype, so an inherited value can never stand in for a missing field.

import type { JsonNode } from '../../../language/catalog/jsonTree';
import type { SourceLocation, ToolCallEvent, TraceEvent } from '../../event';
import type { TraceBuilder } from '../builder';
import type { ImportDiagnosticKind } from '../diagnostics';
import type { Detection, RecordReader, TraceImporter } from '../types';

type JsonRecord = { readonly [key: string]: unknown };

/** Why a line is not an event. */
interface Rejection {
  readonly rejected: ImportDiagnosticKind;
  readonly message: string;
}

const KINDS = new Set(['tool_call', 'user_message', 'agent_message']);
const hasOwn = Object.prototype.hasOwnProperty;

/** Whether an object the event keeps has a reserved key of its own (three lookups, no scan). */
function ownsReservedKey(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (hasOwn.call(value, '__proto__') || hasOwn.call(value, 'constructor') || hasOwn.call(value, 'prototype'));
}

/** Whether the objects a tool call keeps (arguments, context, a JSON result) have reserved keys. */
function keepsReservedKey(event: TraceEvent): boolean {
  return event.kind === 'tool_call' && (ownsReservedKey(event.args) || ownsReservedKey(event.context) || ownsReservedKey(event.result));
}

export const jsonlImporter: TraceImporter = {
  format: 'jsonl',
  label: 'Gatehouse JSON Lines',
  detect(sample: JsonNode, shape): Detection | undefined {
    if (sample.kind !== 'object') return undefined;
    const kind = sample.members.get('kind');
    if (kind?.kind === 'string' && KINDS.has(kind.value)) {
      return { confidence: shape === 'lines' ? 0.95 : 0.6, reason: `a record with \`kind\` \`${kind.value}\`` };
    }
    const tool = sample.members.get('tool');
    const agent = sample.members.get('agent');
    const time = sample.members.get('time');
    if (tool?.kind === 'string' && agent?.kind === 'string' && time !== undefined) return { confidence: 0.7, reason: 'a record with `tool`, `agent` and `time`' };
    return undefined;
  },
  start(out: TraceBuilder): RecordReader {
    const record = (line: number, text: string): void => {
      const read = readRecord(text, out.file, line);
      if ('rejected' in read) {
        out.skip(read.rejected, read.message, { file: out.file, line });
        return;
      }
      if (keepsReservedKey(read)) out.diagnostic('reservedKey', 'a `__proto__`, `constructor` or `prototype` key is kept as plain data', { file: out.file, line });
      out.event(read);
    };
    return {
      readLine: (text, line) => record(line, text),
      // Only reached when the JSON Lines file is read as one document (a single line).
      read: (value, origin) => {
        const at = origin.locate(value, '$');
        record(at.line ?? 1, JSON.stringify(out.plain(value, at)));
      },
      finish: () => undefined,
    };
  },
};

/** One line → an event, or why it is not one. */
function readRecord(line: string, file: string, lineNumber: number): TraceEvent | Rejection {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return { rejected: 'notJson', message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isRecord(record)) return { rejected: 'wrongType', message: `expected a JSON object (one event per line), found ${describe(record)}` };

  const tool = record.tool;
  const kindValue = record.kind ?? (tool !== undefined ? 'tool_call' : undefined);
  if (kindValue === undefined) return { rejected: 'missingField', message: 'missing `kind` (`tool_call`, `user_message` or `agent_message`)' };
  if (kindValue !== 'tool_call' && kindValue !== 'user_message' && kindValue !== 'agent_message') {
    return { rejected: 'wrongType', message: `unknown kind ${JSON.stringify(kindValue)}: expected \`tool_call\`, \`user_message\` or \`agent_message\`` };
  }

  const session = record.session ?? file;
  if (typeof session !== 'string' || session === '') return { rejected: 'wrongType', message: '`session` should be a non-empty string' };
  const seq = record.seq ?? lineNumber;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return { rejected: 'wrongType', message: '`seq` should be a whole number, 0 or more' };
  const time = readTime(record.time);
  if (typeof time !== 'number') return time;
  const source: SourceLocation = { file, line: lineNumber };

  if (kindValue !== 'tool_call') {
    const text = record.text;
    if (typeof text !== 'string') return { rejected: text === undefined ? 'missingField' : 'wrongType', message: `a ${kindValue} needs \`text\` (a string)` };
    return { kind: kindValue, session, seq, time, source, text };
  }

  const agent = record.agent;
  if (typeof agent !== 'string' || agent === '') return { rejected: agent === undefined ? 'missingField' : 'wrongType', message: 'a tool call needs `agent` (a non-empty string)' };
  if (typeof tool !== 'string' || tool === '') return { rejected: tool === undefined ? 'missingField' : 'wrongType', message: 'a tool call needs `tool` (a non-empty string)' };
  const onBehalfOf = record.on_behalf_of;
  if (onBehalfOf !== undefined && onBehalfOf !== null && typeof onBehalfOf !== 'string') return { rejected: 'wrongType', message: '`on_behalf_of` should be a string' };
  const args = record.args ?? {};
  if (!isRecord(args)) return { rejected: 'wrongType', message: `\`args\` should be an object, found ${describe(args)}` };
  const context = record.context;
  if (context !== undefined && context !== null && !isRecord(context)) return { rejected: 'wrongType', message: `\`context\` should be an object, found ${describe(context)}` };
  const error = record.error;
  if (error !== undefined && error !== null && typeof error !== 'string') return { rejected: 'wrongType', message: '`error` should be a string' };
  const callId = record.call_id;
  if (callId !== undefined && callId !== null && typeof callId !== 'string') return { rejected: 'wrongType', message: '`call_id` should be a string' };
  const argsRaw = record.args_raw;
  if (argsRaw !== undefined && argsRaw !== null && typeof argsRaw !== 'string') return { rejected: 'wrongType', message: '`args_raw` should be a string' };
  const server = record.server;
  if (server !== undefined && server !== null && typeof server !== 'string') return { rejected: 'wrongType', message: '`server` should be a string' };
  const outcome = record.outcome;
  if (outcome !== undefined && outcome !== null && outcome !== 'allowed' && outcome !== 'denied') return { rejected: 'wrongType', message: '`outcome` should be `allowed` or `denied`' };
  const unpaired = record.unpaired;
  if (unpaired !== undefined && unpaired !== null && typeof unpaired !== 'boolean') return { rejected: 'wrongType', message: '`unpaired` should be a boolean' };
  const result = record.result;

  if (typeof onBehalfOf !== 'string' && typeof error !== 'string' && !isRecord(context) && typeof callId !== 'string' && typeof argsRaw !== 'string' && typeof server !== 'string' && typeof outcome !== 'string' && unpaired !== true) {
    // The common record, built without spreads (the same members in the same order).
    return result !== undefined ? { kind: 'tool_call', session, seq, time, source, agent, tool, args, result } : { kind: 'tool_call', session, seq, time, source, agent, tool, args };
  }
  const event: ToolCallEvent = {
    kind: 'tool_call',
    session,
    seq,
    time,
    source,
    agent,
    ...(typeof onBehalfOf === 'string' ? { onBehalfOf } : {}),
    tool,
    args,
    ...(result !== undefined ? { result } : {}),
    ...(typeof error === 'string' ? { error } : {}),
    ...(isRecord(context) ? { context } : {}),
    ...(typeof callId === 'string' ? { callId } : {}),
    ...(typeof argsRaw === 'string' ? { argsRaw } : {}),
    ...(typeof server === 'string' ? { server } : {}),
    ...(outcome === 'allowed' || outcome === 'denied' ? { outcome } : {}),
    ...(unpaired === true ? { unpaired: true as const } : {}),
  };
  return event;
}

/** The largest distance from the epoch a JavaScript date can have. */
const MAX_TIME = 8.64e15;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds, or why the value is not a time. */
function readTime(value: unknown): number | Rejection {
  if (value === undefined) return { rejected: 'missingField', message: 'missing `time` (an ISO 8601 timestamp with a zone, or epoch milliseconds)' };
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= MAX_TIME ? value : { rejected: 'wrongType', message: '`time` should be a number of milliseconds within the range of dates' };
  }
  if (typeof value !== 'string') return { rejected: 'wrongType', message: '`time` should be an ISO 8601 timestamp or a number of milliseconds' };
  const fast = fastIsoTime(value);
  if (fast !== undefined) return fast;
  if (!ISO_TIMESTAMP.test(value)) {
    return { rejected: 'wrongType', message: `\`time\` ${JSON.stringify(value)} is not an ISO 8601 timestamp with a zone (like 2026-07-01T10:00:00Z)` };
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? { rejected: 'wrongType', message: `\`time\` ${JSON.stringify(value)} is not a valid date` } : ms;
}

/** The two decimal digits at `at`, or -1. */
function digits2(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Epoch milliseconds of the common `YYYY-MM-DDTHH:MM:SS(.sss)?Z` form with ordinary field values
 * (years 1000 on, days up to 28: nothing a date parser might roll over); undefined for anything
 * else, which the regular expression and Date.parse then read.
 */
function fastIsoTime(text: string): number | undefined {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const century = digits2(text, 0);
  const yearOf = digits2(text, 2);
  const month = digits2(text, 5);
  const day = digits2(text, 8);
  const hour = digits2(text, 11);
  const minute = digits2(text, 14);
  const second = digits2(text, 17);
  if (century < 10 || yearOf < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let ms = 0;
  if (length === 24) {
    if (text.charCodeAt(19) !== 46 /* . */) return undefined;
    const tens = digits2(text, 20);
    const units = text.charCodeAt(22) - 48;
    if (tens < 0 || units < 0 || units > 9) return undefined;
    ms = tens * 10 + units;
  }
  // Events of a trace mostly share their day: its midnight is computed once.
  const dayKey = ((century * 100 + yearOf) * 100 + month) * 100 + day;
  if (dayKey !== lastDay) {
    lastDay = dayKey;
    lastMidnight = Date.UTC(century * 100 + yearOf, month - 1, day);
  }
  return lastMidnight + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** The day (YYYYMMDD) fastIsoTime read last, and its midnight in epoch milliseconds. */
let lastDay = -1;
let lastMidnight = 0;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


function describe(value: unknown): string {
  if (value === null) return '`null`';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** One event as a JSONL record (the inverse of reading; `source` is not written). */
export function eventToRecord(event: TraceEvent): Record<string, unknown> {
  const base = { kind: event.kind, session: event.session, seq: event.seq, time: writeTime(event.time) };
  if (event.kind !== 'tool_call') return { ...base, text: event.text };
  return {
    ...base,
    agent: event.agent,
    ...(event.onBehalfOf !== undefined ? { on_behalf_of: event.onBehalfOf } : {}),
    tool: event.tool,
    args: event.args,
    ...(event.result !== undefined ? { result: event.result } : {}),
    ...(event.error !== undefined ? { error: event.error } : {}),
    ...(event.context !== undefined ? { context: event.context } : {}),
    ...(event.callId !== undefined ? { call_id: event.callId } : {}),
    ...(event.argsRaw !== undefined ? { args_raw: event.argsRaw } : {}),
    ...(event.server !== undefined ? { server: event.server } : {}),
    ...(event.outcome !== undefined ? { outcome: event.outcome } : {}),
    ...(event.unpaired ? { unpaired: true } : {}),
  };
}

/** An ISO timestamp when one says exactly the same instant, else the milliseconds. */
function writeTime(time: number): string | number {
  if (!Number.isInteger(time) || Math.abs(time) > MAX_TIME) return time;
  const iso = new Date(time).toISOString();
  return ISO_TIMESTAMP.test(iso) ? iso : time;
}

/** Events as a JSON Lines trace, one record per line, ending in a newline. */
export function writeJsonl(events: readonly TraceEvent[]): string {
  return events.map((event) => `${JSON.stringify(eventToRecord(event))}\n`).join('');
}

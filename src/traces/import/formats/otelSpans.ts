// OpenTelemetry spans, whichever file they came from, → tool calls and messages. The OTLP/JSON,
// console-exporter and Jaeger decoders (otlp.ts) and the Phoenix decoder (openinference.ts) all
// produce `OtelSpan`s; a `SpanCollector` holds them to the end of the file (exporters write spans
// in any order), orders them by start time, resolves each span's ancestors by trace and span id
// and writes the events (TRACE-FORMATS.md §1.2–1.4 and the §1.6 table):
//
// - A tool span is one with `gen_ai.operation.name` `execute_tool`, a name `execute_tool X`, an MCP
//   `tools/call` span (`mcp.method.name`, or a name `tools/call X`), `openinference.span.kind`
//   `TOOL`, `traceloop.span.kind` `tool`, Sentry's op `gen_ai.execute_tool`, or `claude_code.tool`.
// - tool: `gen_ai.tool.name`, `tool.name`, `tool_call.function.name`, `traceloop.entity.name`,
//   `tool_name`, else the span name after `execute_tool ` / `tools/call ` (OpenInference: the name).
// - call id: `gen_ai.tool.call.id`, `jsonrpc.request.id`, `tool.id`, `tool_call.id`, `tool_use_id`.
// - args: `gen_ai.tool.call.arguments` (JSON text, or structured), `tool_call.function.arguments`,
//   `gen_ai.tool.input`, `traceloop.entity.input` (its `kwargs`), `input.value`.
// - result: `gen_ai.tool.call.result`, `gen_ai.tool.output`, `traceloop.entity.output`,
//   `output.value`. Text stays the text as recorded (JSON text included, so the engine searches it
//   as written); a structured value (kvlist, array) becomes its plain value.
// - error: status ERROR → the status message, else an `exception` event's message, else
//   `error.type`; `error.type` alone also marks the call failed.
// - agent: `gen_ai.agent.name` or `agent.name` on the span or its nearest ancestor, an
//   `invoke_agent X` or OpenInference `AGENT` ancestor's name, `agent_id`; else the resource's
//   `service.name`.
// - session: `gen_ai.conversation.id`, `session.id` or Traceloop's `session_id` on the span or an
//   ancestor, else `mcp.session.id`, else the trace id (one session per trace).
// - time: the span's start.
// Spans record their own outcome, so calls never await a separate result. An MCP server span
// under its client span (or an MCP span under the `execute_tool` span of the same call) is the
// same call recorded twice: it only fills in what the outer span lacks.
// Other spans (model calls, HTTP) give no tool calls; their messages give user and agent messages
// (otelMessages.ts), and tool calls too in traces that have no tool span at all.

import type { JsonNode } from '../../../language/catalog/jsonTree';
import type { SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { arrayAt, describeJsonKind, member, pathIndex, pathKey, stringAt } from '../json';
import { isoToMs, nanosToMs } from '../time';
import type { RecordOrigin } from '../types';
import { MessageWriter } from './otelMessages';

/** One attribute value as a JSON node (OTLP AnyValues are decoded to plain JSON nodes). */
export interface SpanValue {
  readonly node: JsonNode;
  readonly at: SourceLocation;
}

export type SpanAttributes = ReadonlyMap<string, SpanValue>;

export interface SpanEvent {
  readonly name: string;
  readonly attributes: SpanAttributes;
}

export interface OtelSpan {
  /** Lower-case hex when the file gave hex or base64; '' when the span has none. */
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | undefined;
  readonly name: string;
  /** Start in nanoseconds as 20 digits, for ordering; undefined when not recorded. */
  readonly startKey: string | undefined;
  /** Start and end in epoch ms. */
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly status: 'unset' | 'ok' | 'error';
  readonly statusMessage: string | undefined;
  readonly attributes: SpanAttributes;
  /** The resource's attributes (`service.name`), when the file has resources. */
  readonly resource: SpanAttributes | undefined;
  readonly events: readonly SpanEvent[];
  readonly at: SourceLocation;
}

type Draft = ReturnType<TraceBuilder['toolCall']>;

export const EMPTY_ATTRIBUTES: SpanAttributes = new Map();

/** Deeper nesting than this in attribute values is cut off (no input overflows the stack). */
export const MAX_VALUE_DEPTH = 64;

/** A string attribute; numbers are written as text (a JSON-RPC id may be a number). */
export function textOf(attributes: SpanAttributes, key: string): string | undefined {
  const node = attributes.get(key)?.node;
  if (node?.kind === 'string') return node.value;
  if (node?.kind === 'number') return String(node.value);
  return undefined;
}

/** `textOf`, with '' as undefined. */
function filled(attributes: SpanAttributes, key: string): string | undefined {
  const text = textOf(attributes, key);
  return text === undefined || text === '' ? undefined : text;
}

/** A nanosecond key from milliseconds (ISO timestamps, Jaeger's µs). */
export function msKey(ms: number): string {
  return `${Math.max(0, Math.floor(ms))}000000`.padStart(20, '0');
}

/** A span start as OTLP writes it (fixed64 as a decimal string, or a number) → key and ms. */
export function nanosTime(node: JsonNode): { key: string; ms: number } | undefined {
  if (node.kind === 'string' && /^\d{1,20}$/.test(node.value)) {
    const ms = nanosToMs(node.value);
    return ms === undefined ? undefined : { key: node.value.padStart(20, '0'), ms };
  }
  if (node.kind === 'number' && Number.isInteger(node.value) && node.value >= 0 && node.value < 1e20) {
    const ms = nanosToMs(node.value);
    return ms === undefined ? undefined : { key: String(node.value).padStart(20, '0'), ms };
  }
  return undefined;
}

/**
 * An id as exporters write it → lower-case hex: hex in any case or with `0x` (console exporter),
 * or, when `base64` and it decodes to exactly `bytes` bytes, protobuf JSON's base64. Anything
 * else (Phoenix's own ids) is kept as written.
 */
export function normalizeId(text: string, bytes: 8 | 16, base64: boolean): string {
  const hex = /^0x/i.test(text) ? text.slice(2) : text;
  if (/^[0-9a-f]+$/i.test(hex) && (hex.length === bytes * 2 || hex !== text)) return hex.toLowerCase();
  if (!base64) return text;
  const decoded = base64ToHex(text);
  return decoded !== undefined && decoded.length === bytes * 2 ? decoded : text;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64ToHex(text: string): string | undefined {
  const clean = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (clean.length === 0 || clean.length % 4 === 1 || !/^[A-Za-z0-9+/]+$/.test(clean)) return undefined;
  let bits = 0;
  let count = 0;
  let hex = '';
  for (const char of clean) {
    bits = (bits << 6) | BASE64.indexOf(char);
    count += 6;
    if (count >= 8) {
      count -= 8;
      hex += ((bits >> count) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
}

/** Decoders of span JSON share this: the builder, and where the current record came from. */
export interface SpanSource {
  readonly out: TraceBuilder;
  readonly origin: RecordOrigin;
}

/** Attributes that hold structured values themselves: flattening stops there. */
const STRUCTURED_ATTRIBUTES = new Set([
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'metadata',
]);

/**
 * A flat attribute dict (console exporter, Phoenix, an OpenInference map) → attributes. Nested
 * objects (Phoenix also writes `{"llm": {"input_messages": [{"message": {…}}]}}`) are flattened to
 * the dotted keys OpenInference defines; arrays are flattened only when they hold objects.
 */
export function flatAttributes(node: JsonNode | undefined, path: string, source: SpanSource): Map<string, SpanValue> {
  const attributes = new Map<string, SpanValue>();
  if (node === undefined || node.kind === 'null') return attributes;
  if (node.kind !== 'object') {
    source.out.diagnostic('wrongType', `\`attributes\` should be an object, found ${describeJsonKind(node)}; ignored`, source.origin.locate(node, path));
    return attributes;
  }
  const stack: Array<{ node: JsonNode; prefix: string; path: string; depth: number }> = [{ node, prefix: '', path, depth: 0 }];
  while (stack.length > 0) {
    const { node: current, prefix, path: at, depth } = stack.pop()!;
    const entries: Array<[string, JsonNode, string]> =
      current.kind === 'object' ? [...current.members].map(([key, value]) => [key, value, pathKey(at, key)]) : current.kind === 'array' ? current.items.map((value, index) => [String(index), value, pathIndex(at, index)]) : [];
    for (const [key, value, valuePath] of entries.reverse()) {
      const full = prefix === '' ? key : `${prefix}.${key}`;
      const nests = value.kind === 'object' ? value.members.size > 0 : value.kind === 'array' && value.items.length > 0 && value.items.every((item) => item.kind === 'object');
      if (nests && depth < MAX_VALUE_DEPTH && !STRUCTURED_ATTRIBUTES.has(full)) stack.push({ node: value, prefix: full, path: valuePath, depth: depth + 1 });
      else attributes.set(full, { node: value, at: source.origin.locate(value, valuePath) });
    }
  }
  return attributes;
}

/**
 * A span written as a flat JSON object: the Python SDK's console exporter (`context.trace_id`,
 * `kind: "SpanKind.…"`, `status.status_code`) and Phoenix (`span_kind`, `status_code`,
 * `status_message`). Both have `name`, `parent_id`, ISO `start_time`/`end_time`, a flat
 * `attributes` dict and `events[{name, attributes}]`; the console form adds `resource`.
 */
export function flatSpan(node: JsonNode, path: string, source: SpanSource): OtelSpan | undefined {
  const { out, origin } = source;
  const at = origin.locate(node, path);
  if (node.kind !== 'object') {
    out.skip('wrongType', `a span should be an object, found ${describeJsonKind(node)}; it is skipped`, at);
    return undefined;
  }
  const context = member(node, 'context');
  if (context?.kind !== 'object') out.diagnostic(context ? 'wrongType' : 'missingField', `${context ? '`context` should be an object' : 'the span has no `context`'}; its ids are unknown`, origin.locate(context ?? node, pathKey(path, 'context')));
  const id = (key: string, bytes: 8 | 16, value = stringAt(context, key)) => (value === undefined || value === '' ? '' : normalizeId(value, bytes, false));
  const parent = stringAt(node, 'parent_id');
  const start = isoTime(member(node, 'start_time'));
  if (start === 'invalid') out.diagnostic('invalidTime', '`start_time` is not an ISO 8601 timestamp; the span gets a time from its neighbours', origin.locate(member(node, 'start_time')!, pathKey(path, 'start_time')));
  const end = isoTime(member(node, 'end_time'));
  const status = member(node, 'status');
  const statusCode = (stringAt(node, 'status_code') ?? stringAt(status, 'status_code'))?.toUpperCase();
  const attributes = flatAttributes(member(node, 'attributes'), pathKey(path, 'attributes'), source);
  const kind = member(node, 'span_kind');
  if (kind?.kind === 'string' && !attributes.has('openinference.span.kind')) attributes.set('openinference.span.kind', { node: kind, at: origin.locate(kind, pathKey(path, 'span_kind')) });
  const events = (arrayAt(node, 'events') ?? []).map((event, index) => ({
    name: stringAt(event, 'name') ?? '',
    attributes: flatAttributes(member(event, 'attributes'), pathKey(pathIndex(pathKey(path, 'events'), index), 'attributes'), source),
  }));
  const resource = member(node, 'resource');
  return {
    traceId: id('trace_id', 16),
    spanId: id('span_id', 8),
    parentId: parent === undefined || parent === '' ? undefined : id('', 8, parent),
    name: stringAt(node, 'name') ?? '',
    startKey: start === 'invalid' ? undefined : start?.key,
    start: start === 'invalid' ? undefined : start?.ms,
    end: end === 'invalid' ? undefined : end?.ms,
    status: statusCode === 'ERROR' || statusCode === 'STATUSCODE.ERROR' ? 'error' : statusCode === 'OK' || statusCode === 'STATUSCODE.OK' ? 'ok' : 'unset',
    statusMessage: stringAt(node, 'status_message') ?? stringAt(status, 'description'),
    attributes,
    resource: resource === undefined ? undefined : flatAttributes(member(resource, 'attributes'), pathKey(pathKey(path, 'resource'), 'attributes'), source),
    events,
    at,
  };
}

/** Spans of one file, held until its end. */
export class SpanCollector {
  private readonly spans: OtelSpan[] = [];
  private readonly messages: MessageWriter;

  constructor(private readonly out: TraceBuilder) {
    this.messages = new MessageWriter(out);
  }

  add(span: OtelSpan): void {
    this.spans.push(span);
  }

  /** Orders the spans by start, resolves ancestors, writes the events. */
  finish(): void {
    const ordered = orderByStart(this.spans);
    const byId = new Map<string, OtelSpan>();
    for (const span of this.spans) {
      if (span.spanId === '') continue;
      const key = spanKey(span.traceId, span.spanId);
      if (byId.has(key)) this.out.diagnostic('duplicateId', `the span id \`${span.spanId}\` is used twice in trace \`${span.traceId}\`; children follow the first`, span.at);
      else byId.set(key, span);
    }
    const tracesWithToolSpans = new Set(this.spans.filter(isToolSpan).map((span) => span.traceId));
    const drafts = new Map<OtelSpan, Draft>();
    for (const span of ordered) {
      const lineage = lineageOf(span, byId);
      const session = sessionOf(lineage);
      const agent = agentOf(lineage);
      if (isToolSpan(span)) this.toolSpan(span, lineage, { session, agent }, drafts);
      else this.messages.span(span, { session, agent, readsToolCalls: !tracesWithToolSpans.has(span.traceId), userInput: isAgentSpan(span) });
    }
  }

  private toolSpan(span: OtelSpan, lineage: readonly OtelSpan[], who: { session?: string; agent?: string }, drafts: Map<OtelSpan, Draft>): void {
    const tool = toolNameOf(span);
    if (tool === undefined) {
      this.out.skip('missingField', `the tool span \`${span.name}\` names no tool (\`gen_ai.tool.name\`); it is skipped`, span.at);
      return;
    }
    const a = span.attributes;
    const callId = filled(a, 'gen_ai.tool.call.id') ?? filled(a, 'jsonrpc.request.id') ?? filled(a, 'tool.id') ?? filled(a, 'tool_call.id') ?? filled(a, 'tool_use_id');
    const { args, argsRaw } = this.argumentsOf(span);
    const result = this.resultOf(span);
    const error = errorOf(span);
    const outer = lineage.slice(1).find((ancestor) => drafts.has(ancestor));
    const outerDraft = outer === undefined ? undefined : drafts.get(outer);
    if (outerDraft !== undefined && outerDraft.tool === tool && (callId === undefined || outerDraft.callId === undefined || outerDraft.callId === callId)) {
      // The same call seen by two instrumentations (MCP client and server, execute_tool and MCP).
      if (Object.keys(outerDraft.args).length === 0 && outerDraft.argsRaw === undefined) {
        outerDraft.args = args;
        if (argsRaw !== undefined) outerDraft.argsRaw = argsRaw;
      }
      if (outerDraft.result === undefined && result !== undefined) outerDraft.result = result;
      if (outerDraft.error === undefined && error !== undefined) outerDraft.error = error;
      if (outerDraft.callId === undefined && callId !== undefined) outerDraft.callId = callId;
      drafts.set(span, outerDraft);
      return;
    }
    const draft = this.out.toolCall({ ...who, tool, args, argsRaw, result, error, callId, time: span.start, source: span.at, awaitsResult: false });
    drafts.set(span, draft);
  }

  private argumentsOf(span: OtelSpan): { args: Record<string, unknown>; argsRaw?: string } {
    const a = span.attributes;
    const traceloop = a.get('traceloop.entity.input');
    const value = a.get('gen_ai.tool.call.arguments') ?? a.get('tool_call.function.arguments') ?? a.get('gen_ai.tool.input') ?? traceloop ?? a.get('input.value');
    if (value === undefined || value.node.kind === 'null') return { args: {} };
    const { node, at } = value;
    if (node.kind === 'object') return { args: this.out.plain(node, at) as Record<string, unknown> };
    if (node.kind === 'string') {
      const read = this.out.argumentsFromText(node.value, at);
      // Traceloop records a Python call: `{"args": [], "kwargs": {…}}`.
      const kwargs = read.args.kwargs;
      if (value === traceloop && isRecord(kwargs) && Array.isArray(read.args.args) && read.args.args.length === 0) return { args: kwargs };
      return read;
    }
    const raw = JSON.stringify(this.out.plain(node, at));
    this.out.diagnostic('invalidArguments', `the arguments are ${describeJsonKind(node)}, not an object; they are kept raw and conditions on them see no arguments`, at);
    return { args: {}, argsRaw: raw };
  }

  private resultOf(span: OtelSpan): unknown {
    const a = span.attributes;
    const value = a.get('gen_ai.tool.call.result') ?? a.get('gen_ai.tool.output') ?? a.get('traceloop.entity.output') ?? a.get('output.value');
    if (value === undefined || value.node.kind === 'null') return undefined;
    return value.node.kind === 'string' ? value.node.value : this.out.plain(value.node, value.at);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function spanKey(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

/** Spans by start time; a span without one stays after the timed span it followed in the file. */
function orderByStart(spans: readonly OtelSpan[]): OtelSpan[] {
  let last = '';
  const keyed = spans.map((span, index) => {
    if (span.startKey !== undefined) last = span.startKey;
    return { span, key: span.startKey ?? last, index };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  return keyed.map((entry) => entry.span);
}

/** The span, its parent, its grandparent, … (a cycle or a missing parent ends the chain). */
function lineageOf(span: OtelSpan, byId: ReadonlyMap<string, OtelSpan>): OtelSpan[] {
  const lineage = [span];
  const seen = new Set<OtelSpan>(lineage);
  let current = span;
  while (current.parentId !== undefined && current.parentId !== '') {
    const parent = byId.get(spanKey(current.traceId, current.parentId));
    if (parent === undefined || seen.has(parent)) break;
    lineage.push(parent);
    seen.add(parent);
    current = parent;
  }
  return lineage;
}

function operationOf(span: OtelSpan): string | undefined {
  return textOf(span.attributes, 'gen_ai.operation.name');
}

function openinferenceKind(span: OtelSpan): string | undefined {
  return textOf(span.attributes, 'openinference.span.kind')?.toUpperCase();
}

export function isToolSpan(span: OtelSpan): boolean {
  const a = span.attributes;
  return (
    operationOf(span) === 'execute_tool' ||
    span.name.startsWith('execute_tool ') ||
    textOf(a, 'mcp.method.name') === 'tools/call' ||
    span.name.startsWith('tools/call ') ||
    openinferenceKind(span) === 'TOOL' ||
    textOf(a, 'traceloop.span.kind') === 'tool' ||
    textOf(a, 'sentry.op') === 'gen_ai.execute_tool' ||
    span.name === 'claude_code.tool'
  );
}

function isAgentSpan(span: OtelSpan): boolean {
  return operationOf(span) === 'invoke_agent' || openinferenceKind(span) === 'AGENT';
}

function toolNameOf(span: OtelSpan): string | undefined {
  const a = span.attributes;
  const named = filled(a, 'gen_ai.tool.name') ?? filled(a, 'tool.name') ?? filled(a, 'tool_call.function.name') ?? filled(a, 'traceloop.entity.name') ?? filled(a, 'tool_name');
  if (named !== undefined) return named;
  for (const prefix of ['execute_tool ', 'tools/call ']) {
    if (span.name.startsWith(prefix) && span.name.length > prefix.length) return span.name.slice(prefix.length).trim();
  }
  if (openinferenceKind(span) === 'TOOL' && span.name !== '') return span.name;
  return undefined;
}

function errorOf(span: OtelSpan): string | undefined {
  const errorType = filled(span.attributes, 'error.type');
  if (span.status === 'error') {
    const exception = span.events.find((event) => event.name === 'exception');
    const exceptionMessage = exception === undefined ? undefined : filled(exception.attributes, 'exception.message');
    return span.statusMessage || exceptionMessage || errorType || 'error';
  }
  return errorType;
}

const SESSION_KEYS = ['gen_ai.conversation.id', 'session.id', 'traceloop.association.properties.session_id'];

function sessionOf(lineage: readonly OtelSpan[]): string | undefined {
  for (const key of SESSION_KEYS) {
    for (const span of lineage) {
      const session = filled(span.attributes, key);
      if (session !== undefined) return session;
    }
  }
  for (const span of lineage) {
    const session = filled(span.attributes, 'mcp.session.id');
    if (session !== undefined) return session;
  }
  const traceId = lineage[0]!.traceId;
  return traceId === '' ? undefined : traceId;
}

function agentOf(lineage: readonly OtelSpan[]): string | undefined {
  for (const span of lineage) {
    const named = filled(span.attributes, 'gen_ai.agent.name') ?? filled(span.attributes, 'agent.name');
    if (named !== undefined) return named;
    if (span.name.startsWith('invoke_agent ')) return span.name.slice('invoke_agent '.length).trim();
    if (openinferenceKind(span) === 'AGENT' && span.name !== '') return span.name;
    const id = filled(span.attributes, 'agent_id');
    if (id !== undefined) return id;
  }
  for (const span of lineage) {
    const service = span.resource === undefined ? undefined : filled(span.resource, 'service.name');
    if (service !== undefined) return service;
  }
  return undefined;
}

/** An ISO timestamp of a span (Phoenix writes UTC, sometimes without a zone) → key and ms. */
export function isoTime(node: JsonNode | undefined): { key: string; ms: number } | undefined | 'invalid' {
  if (node === undefined || node.kind === 'null') return undefined;
  const ms = node.kind === 'string' ? isoToMs(node.value, true) : undefined;
  return ms === undefined ? 'invalid' : { key: msKey(ms), ms };
}

// OpenAI Agents SDK trace exports → normalized events. The SDK's exporter sends
// `{"data": [item, …]}`; a file holds that, a bare array of items, or JSON Lines of items (or of
// such batches). Items are traces `{object: "trace", id, workflow_name, group_id?}` and spans
// `{object: "trace.span", id, trace_id, parent_id, started_at, ended_at, span_data, error}`.
//
// Spans are held until the end and read in `started_at` order (ISO 8601; the SDK writes UTC with
// `+00:00`, so a time without a zone is read as UTC too). By `span_data.type`:
// - `function`: a tool call named `name`. `input` is the arguments as a JSON string (invalid JSON
//   is kept raw with GH4112; null when the SDK redacts tool data). `output` is the result as the
//   SDK recorded it, Python `str()` of the return value (a dict arrives as a Python repr, so it
//   stays text). The span's `error` `{message, data?}` is the error text (`message: data`).
//   `mcp_data.server` is the server. The span id is the call id; results are never separate.
// - `agent`: the agent identity of the spans below it: a call's agent is the `name` of its
//   nearest ancestor `agent` span (by `parent_id`).
// - `generation` (chat-completions model calls, with messages): the user messages of its `input`
//   that the session has not seen yet become user messages (every generation repeats the
//   history; the same text asked twice in one session is read once), and the assistant text of its
//   `output` becomes agent messages.
// - `mcp_tools` `{server, result: [names]}`: tool definitions `{name, server}`.
// - `response`, `handoff`, `guardrail`, `custom`, speech…: not tool calls; one GH4114 per type.
// Session: the trace's `group_id` (the conversation), else the trace id.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { arrayAt, describeJsonKind, describeShape, member, objectAt, pathIndex, stringAt } from '../json';
import { isoToMs } from '../time';
import type { Detection, RecordOrigin, RecordReader, TraceImporter } from '../types';
import { contentText } from './openaiChat';

const ITEM_OBJECTS = new Set(['trace', 'trace.span']);

export const openaiAgentsImporter: TraceImporter = {
  format: 'openai-agents',
  label: 'OpenAI Agents SDK trace',
  detect: detectAgents,
  start(out) {
    const reader = new AgentsReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => reader.finish() } satisfies RecordReader;
  },
};

function detectAgents(sample: JsonNode): Detection | undefined {
  const object = stringAt(sample, 'object');
  if (object !== undefined && ITEM_OBJECTS.has(object)) return { confidence: 0.95, reason: `an item with \`object\` \`${object}\`` };
  const items = sample.kind === 'array' ? sample.items : arrayAt(sample, 'data');
  const first = items?.find((item) => ITEM_OBJECTS.has(stringAt(item, 'object') ?? ''));
  if (first === undefined) return undefined;
  return { confidence: 1, reason: `${sample.kind === 'array' ? 'an array' : '`data`'} of items with \`object\` \`${stringAt(first, 'object')}\`` };
}

/** A span held until the end of the file, with where it came from. */
interface HeldSpan {
  readonly node: JsonObject;
  readonly path: string;
  readonly origin: RecordOrigin;
  readonly id: string | undefined;
  readonly parentId: string | undefined;
  readonly traceId: string | undefined;
  readonly type: string | undefined;
  time: number | undefined;
}

class AgentsReader {
  private readonly spans: HeldSpan[] = [];
  /** Trace id → its `group_id`, when it has one. */
  private readonly groups = new Map<string, string | undefined>();
  /** User texts already read from generation inputs, per session. */
  private readonly userTexts = new Map<string, Set<string>>();

  constructor(private readonly out: TraceBuilder) {}

  read(root: JsonNode, origin: RecordOrigin): void {
    if (root.kind === 'array') root.items.forEach((item, index) => this.item(item, pathIndex('$', index), origin));
    else if (root.kind === 'object' && member(root, 'data')?.kind === 'array') arrayAt(root, 'data')!.forEach((item, index) => this.item(item, pathIndex('$.data', index), origin));
    else if (root.kind === 'object' && root.members.has('object')) this.item(root, '$', origin);
    else this.out.skip('wrongType', `expected an Agents SDK export (\`data\` of traces and spans), found ${describeShape(root)}`, origin.locate(root, '$'));
  }

  private item(node: JsonNode, path: string, origin: RecordOrigin): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `an item should be an object, found ${describeJsonKind(node)}`, origin.locate(node, path));
      return;
    }
    const object = stringAt(node, 'object');
    if (object === 'trace') {
      const id = stringAt(node, 'id');
      if (id === undefined) {
        this.out.skip('missingField', 'a trace needs an `id`; skipped', origin.locate(node, `${path}.id`));
        return;
      }
      const group = stringAt(node, 'group_id');
      this.groups.set(id, group === '' ? undefined : group);
      return;
    }
    if (object !== 'trace.span') {
      this.out.skip('unknownRecord', `an item with \`object\` ${object === undefined ? 'missing' : `\`${object}\``} is not a trace or a span; skipped`, origin.locate(node, path));
      return;
    }
    const spanData = objectAt(node, 'span_data');
    if (spanData === undefined) {
      const found = member(node, 'span_data');
      this.out.skip(found ? 'wrongType' : 'missingField', found ? `\`span_data\` should be an object, found ${describeJsonKind(found)}; skipped` : 'a span needs `span_data`; skipped', origin.locate(found ?? node, `${path}.span_data`));
      return;
    }
    this.spans.push({
      node,
      path,
      origin,
      id: stringAt(node, 'id'),
      parentId: stringAt(node, 'parent_id'),
      traceId: stringAt(node, 'trace_id'),
      type: stringAt(spanData, 'type'),
      time: undefined,
    });
  }

  finish(): void {
    const byId = new Map<string, HeldSpan>();
    for (const span of this.spans) {
      span.time = this.startTime(span);
      if (span.id === undefined) continue;
      if (byId.has(span.id)) this.out.diagnostic('duplicateId', `span id \`${span.id}\` is used twice; the later span is the parent of spans that name it`, this.at(span, span.path));
      byId.set(span.id, span);
    }
    const ignored = new Map<string, number>();
    for (const span of inTimeOrder(this.spans)) {
      switch (span.type) {
        case 'function':
          this.toolCall(span, byId);
          break;
        case 'generation':
          this.generation(span);
          break;
        case 'mcp_tools':
          this.mcpTools(span);
          break;
        case 'agent':
          break;
        default: {
          const type = span.type ?? 'untyped';
          if (!ignored.has(type)) this.out.diagnostic('unknownRecord', `\`${type}\` spans are not tool calls; they are skipped`, this.at(span, `${span.path}.span_data`));
          ignored.set(type, (ignored.get(type) ?? 0) + 1);
        }
      }
    }
  }

  private at(span: HeldSpan, path: string, node: JsonNode = span.node): SourceLocation {
    return span.origin.locate(node, path);
  }

  private startTime(span: HeldSpan): number | undefined {
    const started = member(span.node, 'started_at');
    if (started === undefined || started.kind === 'null') return undefined;
    const time = started.kind === 'string' ? isoToMs(started.value, true) : undefined;
    if (time === undefined) this.out.diagnostic('invalidTime', `\`started_at\` should be an ISO 8601 time, found ${started.kind === 'string' ? `\`${started.value}\`` : describeJsonKind(started)}`, this.at(span, `${span.path}.started_at`, started));
    return time;
  }

  private sessionOf(span: HeldSpan): string | undefined {
    if (span.traceId === undefined) return undefined;
    return this.groups.get(span.traceId) ?? span.traceId;
  }

  /** The name of the nearest ancestor `agent` span. */
  private agentOf(span: HeldSpan, byId: ReadonlyMap<string, HeldSpan>): string | undefined {
    const seen = new Set<HeldSpan>();
    let current = span.parentId === undefined ? undefined : byId.get(span.parentId);
    while (current !== undefined && !seen.has(current)) {
      seen.add(current);
      if (current.type === 'agent') return stringAt(objectAt(current.node, 'span_data'), 'name');
      current = current.parentId === undefined ? undefined : byId.get(current.parentId);
    }
    return undefined;
  }

  private toolCall(span: HeldSpan, byId: ReadonlyMap<string, HeldSpan>): void {
    const data = objectAt(span.node, 'span_data')!;
    const dataPath = `${span.path}.span_data`;
    const name = member(data, 'name');
    if (name?.kind !== 'string' || name.value === '') {
      this.out.skip(name ? 'wrongType' : 'missingField', `${name ? `\`name\` should be a tool name, found ${describeJsonKind(name)}` : 'a `function` span needs `name`'}; skipped`, this.at(span, `${dataPath}.name`, name ?? data));
      return;
    }
    if (span.traceId === undefined) this.out.diagnostic('missingField', 'the span has no `trace_id`; its call goes to the file’s session', this.at(span, `${span.path}.trace_id`));
    this.out.toolCall({
      session: this.sessionOf(span),
      agent: this.agentOf(span, byId),
      tool: name.value,
      ...this.argumentsOf(span, data, dataPath),
      result: this.resultOf(span, data, dataPath),
      error: this.errorOf(span),
      server: stringAt(objectAt(data, 'mcp_data'), 'server'),
      callId: span.id,
      time: span.time,
      source: this.at(span, span.path),
      awaitsResult: false,
    });
  }

  private argumentsOf(span: HeldSpan, data: JsonObject, dataPath: string): { args: Record<string, unknown>; argsRaw?: string } {
    const input = member(data, 'input');
    if (input === undefined || input.kind === 'null') return { args: {} };
    const at = this.at(span, `${dataPath}.input`, input);
    if (input.kind === 'string') return this.out.argumentsFromText(input.value, at);
    if (input.kind === 'object') return { args: this.out.plain(input, at) as Record<string, unknown> };
    this.out.diagnostic('invalidArguments', `\`input\` should be a JSON string, found ${describeJsonKind(input)}; kept raw`, at);
    return { args: {}, argsRaw: JSON.stringify(this.out.plain(input, at)) };
  }

  /** `output` as recorded: Python `str()` text (JSON or repr, left as is), or a plain value. */
  private resultOf(span: HeldSpan, data: JsonObject, dataPath: string): unknown {
    const output = member(data, 'output');
    if (output === undefined || output.kind === 'null') return undefined;
    if (output.kind === 'string') return output.value;
    return this.out.plain(output, this.at(span, `${dataPath}.output`, output));
  }

  /** The span's `error`: `message`, with `data` after a colon when there is any. */
  private errorOf(span: HeldSpan): string | undefined {
    const error = member(span.node, 'error');
    if (error === undefined || error.kind === 'null') return undefined;
    if (error.kind === 'string') return error.value;
    const at = this.at(span, `${span.path}.error`, error);
    const message = stringAt(error, 'message') ?? 'error';
    const data = member(error, 'data');
    if (data === undefined || data.kind === 'null') return message;
    const detail = data.kind === 'string' ? data.value : JSON.stringify(this.out.plain(data, { ...at, path: `${at.path}.data` }));
    return `${message}: ${detail}`;
  }

  private generation(span: HeldSpan): void {
    const data = objectAt(span.node, 'span_data')!;
    const session = this.sessionOf(span);
    const key = session ?? this.out.defaultSession;
    let seen = this.userTexts.get(key);
    if (seen === undefined) this.userTexts.set(key, (seen = new Set()));
    const source = this.at(span, span.path);
    for (const message of arrayAt(data, 'input') ?? []) {
      if (stringAt(message, 'role') !== 'user') continue;
      const text = contentText(member(message, 'content'));
      if (text === undefined || text.trim() === '' || seen.has(text)) continue;
      seen.add(text);
      this.out.userMessage({ session, text, time: span.time, source });
    }
    for (const message of arrayAt(data, 'output') ?? []) {
      if (stringAt(message, 'role') !== 'assistant') continue;
      const text = contentText(member(message, 'content'));
      if (text !== undefined && text.trim() !== '') this.out.agentMessage({ session, text, time: span.time, source });
    }
  }

  private mcpTools(span: HeldSpan): void {
    const data = objectAt(span.node, 'span_data')!;
    const server = stringAt(data, 'server');
    const names = (arrayAt(data, 'result') ?? []).flatMap((name) => (name.kind === 'string' ? [name.value] : []));
    this.out.tools(names.map((name) => (server === undefined ? { name } : { name, server })));
  }
}

/** Spans by start time, file order among equals; a span without a time stays after its predecessor. */
function inTimeOrder(spans: readonly HeldSpan[]): HeldSpan[] {
  let last = -Infinity;
  const keyed = spans.map((span, index) => {
    if (span.time !== undefined) last = span.time;
    return { span, index, key: span.time ?? last };
  });
  keyed.sort((a, b) => a.key - b.key || a.index - b.index);
  return keyed.map((entry) => entry.span);
}

// OpenTelemetry traces → tool calls (TRACE-FORMATS.md §1). Reads:
// - OTLP/JSON `TracesData` / `ExportTraceServiceRequest` documents, and the file exporters' JSON
//   Lines (one `TracesData` per line): `resourceSpans[].resource.attributes` (`service.name`),
//   `scopeSpans[]` (or the older `instrumentationLibrarySpans[]`) `.spans[]` with `traceId`,
//   `spanId`, `parentSpanId`, `name`, `startTimeUnixNano`/`endTimeUnixNano` (fixed64 as a decimal
//   string or a number), `attributes[{key, value: AnyValue}]`, `events[]` and `status{code,
//   message}`. AnyValues are decoded in full: `stringValue`, `boolValue`, `intValue` (a decimal
//   string; a number when it fits exactly, else kept as text), `doubleValue`, `arrayValue`,
//   `kvlistValue` (an object), `bytesValue` (the base64 text), and `{}` as null.
// - the protobuf-JSON variant (`MessageToJson`): base64 ids (normalized to hex so parents match),
//   `SPAN_KIND_*` and `STATUS_CODE_*` enum names, default values left out;
// - the Python SDK console exporter's spans (`context.trace_id`, `kind: "SpanKind.…"`, ISO times,
//   flat attributes): one span per line, or an array of spans;
// - Jaeger's JSON export (`data[].spans[]` with `traceID`, `spanID`, `operationName`, `references`,
//   `startTime` in µs, typed `tags`; `processes[].serviceName`).
// Every span is held to the end of the file; otelSpans.ts says how spans map to tool calls
// (execute_tool, MCP tools/call, OpenInference, Traceloop and Claude Code tool spans), agents and
// sessions, and otelMessages.ts how their messages become user and agent messages. Spans other
// than tools and model calls (HTTP, database) are passed over in silence; OTLP logs and metrics
// records are skipped (GH4114). Not read: GenAI ≤v1.36 content in span events and logs.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { TraceBuilder } from '../builder';
import { arrayAt, describeJsonKind, describeShape, member, pathIndex, pathKey, stringAt } from '../json';
import type { Detection, RecordOrigin, RecordReader, TraceImporter } from '../types';
import { flatSpan, MAX_VALUE_DEPTH, msKey, nanosTime, normalizeId, SpanCollector, type SpanAttributes, type SpanEvent, type SpanValue } from './otelSpans';

export const otlpImporter: TraceImporter = {
  format: 'otlp',
  label: 'OpenTelemetry traces (OTLP/JSON)',
  detect(sample): Detection | undefined {
    if (sample.kind === 'array') return isConsoleSpan(sample.items[0]) ? { confidence: 0.85, reason: 'a list of spans with `context.trace_id` and `kind` `SpanKind.…`' } : undefined;
    if (sample.kind !== 'object') return undefined;
    if (member(sample, 'resourceSpans')?.kind === 'array') return { confidence: 0.95, reason: 'an object with `resourceSpans`' };
    if (isJaegerTrace(sample)) return { confidence: 0.9, reason: 'a Jaeger trace with `traceID` and `spans`' };
    const data = arrayAt(sample, 'data');
    if (data !== undefined && isJaegerTrace(data[0])) return { confidence: 0.9, reason: 'a Jaeger export: `data` with `traceID` and `spans`' };
    if (isConsoleSpan(sample)) return { confidence: 0.85, reason: 'a span with `context.trace_id` and `kind` `SpanKind.…`' };
    return undefined;
  },
  start(out: TraceBuilder): RecordReader {
    const reader = new OtlpReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => reader.finish() };
  },
};

function isJaegerTrace(node: JsonNode | undefined): boolean {
  return stringAt(node, 'traceID') !== undefined && arrayAt(node, 'spans') !== undefined;
}

function isConsoleSpan(node: JsonNode | undefined): boolean {
  return stringAt(member(node, 'context'), 'trace_id') !== undefined && (stringAt(node, 'kind')?.startsWith('SpanKind.') ?? false);
}

const STATUS_ERROR = new Set<unknown>([2, 'STATUS_CODE_ERROR']);
const STATUS_OK = new Set<unknown>([1, 'STATUS_CODE_OK']);

class OtlpReader {
  private readonly collector: SpanCollector;
  private origin!: RecordOrigin;

  constructor(private readonly out: TraceBuilder) {
    this.collector = new SpanCollector(out);
  }

  finish(): void {
    this.collector.finish();
  }

  private at(node: JsonNode, path: string) {
    return this.origin.locate(node, path);
  }

  read(root: JsonNode, origin: RecordOrigin): void {
    this.origin = origin;
    const source = { out: this.out, origin };
    if (root.kind === 'array') {
      root.items.forEach((item, index) => {
        const span = flatSpan(item, pathIndex('$', index), source);
        if (span !== undefined) this.collector.add(span);
      });
      return;
    }
    if (root.kind === 'object' && member(root, 'resourceSpans') !== undefined) return this.tracesData(root);
    if (isJaegerTrace(root)) return this.jaegerTrace(root, '$');
    const data = arrayAt(root, 'data');
    if (data !== undefined) {
      data.forEach((trace, index) => this.jaegerTrace(trace, pathIndex('$.data', index)));
      return;
    }
    if (member(root, 'context') !== undefined) {
      const span = flatSpan(root, '$', source);
      if (span !== undefined) this.collector.add(span);
      return;
    }
    if (root.kind === 'object' && ['resourceLogs', 'resourceMetrics', 'resourceProfiles'].some((key) => root.members.has(key))) {
      this.out.skip('unknownRecord', 'OTLP logs, metrics and profiles hold no spans; the record is skipped', this.at(root, '$'));
      return;
    }
    this.out.skip(root.kind === 'object' ? 'missingField' : 'wrongType', `expected OTLP/JSON traces (an object with \`resourceSpans\`), found ${describeShape(root)}; skipped`, this.at(root, '$'));
  }

  private tracesData(root: JsonObject): void {
    const resources = member(root, 'resourceSpans')!;
    if (resources.kind !== 'array') {
      this.out.skip('wrongType', `\`resourceSpans\` should be an array, found ${describeJsonKind(resources)}; skipped`, this.at(resources, '$.resourceSpans'));
      return;
    }
    resources.items.forEach((resourceSpans, r) => {
      const path = pathIndex('$.resourceSpans', r);
      if (resourceSpans.kind !== 'object') {
        this.out.skip('wrongType', `a \`resourceSpans\` entry should be an object, found ${describeJsonKind(resourceSpans)}; skipped`, this.at(resourceSpans, path));
        return;
      }
      const resource = this.keyValues(member(member(resourceSpans, 'resource'), 'attributes'), `${path}.resource.attributes`);
      const scopesKey = resourceSpans.members.has('scopeSpans') ? 'scopeSpans' : 'instrumentationLibrarySpans';
      for (const [scope, scopePath] of this.list(resourceSpans, scopesKey, path)) {
        for (const [span, spanPath] of this.list(scope, 'spans', scopePath)) this.span(span, spanPath, resource);
      }
    });
  }

  /** The items of an array member with their paths; absent is empty (OTLP omits defaults). */
  private list(node: JsonNode, key: string, path: string): Array<[JsonNode, string]> {
    const value = member(node, key);
    const at = pathKey(path, key);
    if (value === undefined || value.kind === 'null') return [];
    if (value.kind !== 'array') {
      this.out.skip('wrongType', `\`${key}\` should be an array, found ${describeJsonKind(value)}; skipped`, this.at(value, at));
      return [];
    }
    return value.items.map((item, index) => [item, pathIndex(at, index)]);
  }

  private span(node: JsonNode, path: string, resource: SpanAttributes): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `a span should be an object, found ${describeJsonKind(node)}; it is skipped`, this.at(node, path));
      return;
    }
    const traceId = this.id(node, 'traceId', 16, path);
    const spanId = this.id(node, 'spanId', 8, path);
    const parent = stringAt(node, 'parentSpanId');
    const start = this.time(node, 'startTimeUnixNano', path);
    const end = this.time(node, 'endTimeUnixNano', path);
    const status = member(node, 'status');
    const code = member(status, 'code');
    const codeValue = code?.kind === 'number' || code?.kind === 'string' ? code.value : 0;
    const events: SpanEvent[] = this.list(node, 'events', path).map(([event, eventPath]) => ({
      name: stringAt(event, 'name') ?? '',
      attributes: this.keyValues(member(event, 'attributes'), `${eventPath}.attributes`),
    }));
    this.collector.add({
      traceId,
      spanId,
      parentId: parent === undefined || parent === '' ? undefined : normalizeId(parent, 8, true),
      name: stringAt(node, 'name') ?? '',
      startKey: start?.key,
      start: start?.ms,
      end: end?.ms,
      status: STATUS_ERROR.has(codeValue) ? 'error' : STATUS_OK.has(codeValue) ? 'ok' : 'unset',
      statusMessage: stringAt(status, 'message'),
      attributes: this.keyValues(member(node, 'attributes'), `${path}.attributes`),
      resource,
      events,
      at: this.at(node, path),
    });
  }

  private id(node: JsonObject, key: string, bytes: 8 | 16, path: string): string {
    const value = member(node, key);
    if (value?.kind === 'string' && value.value !== '') return normalizeId(value.value, bytes, true);
    const message = value === undefined ? `the span has no \`${key}\`` : `\`${key}\` should be a hex string, found ${describeJsonKind(value)}`;
    this.out.diagnostic(value === undefined ? 'missingField' : 'wrongType', `${message}; its parent and children cannot be matched`, this.at(value ?? node, pathKey(path, key)));
    return '';
  }

  private time(node: JsonObject, key: string, path: string): { key: string; ms: number } | undefined {
    const value = member(node, key);
    if (value === undefined) return undefined;
    const time = nanosTime(value);
    if (time === undefined) this.out.diagnostic('invalidTime', `\`${key}\` should be nanoseconds since the epoch, found ${describeJsonKind(value)}; the span gets a time from its neighbours`, this.at(value, pathKey(path, key)));
    return time;
  }

  /** OTLP `[{key, value: AnyValue}]` → attributes (a bad entry is left out with a diagnostic). */
  private keyValues(node: JsonNode | undefined, path: string): Map<string, SpanValue> {
    const attributes = new Map<string, SpanValue>();
    if (node === undefined || node.kind === 'null') return attributes;
    if (node.kind !== 'array') {
      this.out.diagnostic('wrongType', `attributes should be an array of \`{key, value}\`, found ${describeJsonKind(node)}; ignored`, this.at(node, path));
      return attributes;
    }
    node.items.forEach((item, index) => {
      const itemPath = pathIndex(path, index);
      const key = member(item, 'key');
      if (key?.kind !== 'string') {
        this.out.diagnostic(key ? 'wrongType' : 'missingField', `an attribute needs a \`key\` (a string); it is ignored`, this.at(key ?? item, itemPath));
        return;
      }
      const value = this.anyValue(member(item, 'value'), `${itemPath}.value`, 0);
      if (value !== undefined) attributes.set(key.value, { node: value, at: this.at(member(item, 'value') ?? item, `${itemPath}.value`) });
    });
    return attributes;
  }

  /** An OTLP AnyValue → the plain JSON node it stands for; undefined (with a diagnostic) when bad. */
  private anyValue(node: JsonNode | undefined, path: string, depth: number): JsonNode | undefined {
    if (node === undefined) return undefined;
    const bad = (what: string) => {
      this.out.diagnostic('wrongType', `${what}; the attribute value is ignored`, this.at(node, path));
      return undefined;
    };
    if (node.kind !== 'object') return bad(`an attribute value should be an AnyValue object, found ${describeJsonKind(node)}`);
    if (depth > MAX_VALUE_DEPTH) return bad('the value is nested too deeply');
    const [kind, inner] = [...node.members][0] ?? [];
    if (kind === undefined || inner === undefined) return { kind: 'null', span: node.span };
    const innerPath = pathKey(path, kind);
    switch (kind) {
      case 'stringValue':
      case 'bytesValue':
        return inner.kind === 'string' ? inner : bad(`\`${kind}\` should be a string, found ${describeJsonKind(inner)}`);
      case 'boolValue':
        return inner.kind === 'boolean' ? inner : bad(`\`boolValue\` should be a boolean, found ${describeJsonKind(inner)}`);
      case 'intValue':
      case 'doubleValue': {
        if (inner.kind === 'number') return inner;
        if (inner.kind !== 'string') return bad(`\`${kind}\` should be a number, found ${describeJsonKind(inner)}`);
        const number = Number(inner.value);
        const exact = kind === 'intValue' ? /^-?\d+$/.test(inner.value) && Number.isSafeInteger(number) : inner.value.trim() !== '' && Number.isFinite(number);
        // A 64-bit integer beyond 2^53, or NaN and Infinity, stays as its text.
        return exact ? { kind: 'number', value: number, span: inner.span } : inner;
      }
      case 'arrayValue': {
        const values = this.list(inner, 'values', innerPath);
        const items = values.map(([item, itemPath]) => this.anyValue(item, itemPath, depth + 1) ?? { kind: 'null' as const, span: item.span });
        return { kind: 'array', items, span: inner.span };
      }
      case 'kvlistValue': {
        const members = new Map<string, JsonNode>();
        for (const [entry, entryPath] of this.list(inner, 'values', innerPath)) {
          const key = member(entry, 'key');
          if (key?.kind !== 'string') {
            this.out.diagnostic('wrongType', 'a `kvlistValue` entry needs a `key` (a string); it is ignored', this.at(entry, entryPath));
            continue;
          }
          members.set(key.value, this.anyValue(member(entry, 'value'), `${entryPath}.value`, depth + 1) ?? { kind: 'null', span: entry.span });
        }
        return { kind: 'object', members, span: inner.span };
      }
      default:
        return bad(`unknown AnyValue field \`${kind}\``);
    }
  }

  private jaegerTrace(trace: JsonNode, path: string): void {
    if (trace.kind !== 'object') {
      this.out.skip('wrongType', `a Jaeger trace should be an object, found ${describeJsonKind(trace)}; skipped`, this.at(trace, path));
      return;
    }
    const processes = member(trace, 'processes');
    for (const [span, spanPath] of this.list(trace, 'spans', path)) {
      if (span.kind !== 'object') {
        this.out.skip('wrongType', `a span should be an object, found ${describeJsonKind(span)}; it is skipped`, this.at(span, spanPath));
        continue;
      }
      const tags = this.jaegerTags(span, 'tags', spanPath);
      const parentRef = (arrayAt(span, 'references') ?? []).find((ref) => stringAt(ref, 'refType') === 'CHILD_OF');
      const micros = member(span, 'startTime');
      const duration = member(span, 'duration');
      const start = micros?.kind === 'number' && micros.value >= 0 ? Math.floor(micros.value / 1000) : undefined;
      if (micros !== undefined && start === undefined) this.out.diagnostic('invalidTime', '`startTime` should be microseconds since the epoch; the span gets a time from its neighbours', this.at(micros, `${spanPath}.startTime`));
      const statusCode = tags.get('otel.status_code')?.node;
      const errorTag = tags.get('error')?.node;
      const failed = (statusCode?.kind === 'string' && statusCode.value === 'ERROR') || (errorTag?.kind === 'boolean' && errorTag.value) || (errorTag?.kind === 'string' && errorTag.value === 'true');
      const processId = stringAt(span, 'processID');
      const service = processId === undefined ? undefined : member(member(processes, processId), 'serviceName');
      const resource = new Map<string, SpanValue>();
      if (service?.kind === 'string') resource.set('service.name', { node: service, at: this.at(service, path) });
      const description = tags.get('otel.status_description')?.node;
      this.collector.add({
        traceId: normalizeId(stringAt(span, 'traceID') ?? stringAt(trace, 'traceID') ?? '', 16, false),
        spanId: normalizeId(stringAt(span, 'spanID') ?? '', 8, false),
        parentId: parentRef === undefined ? undefined : normalizeId(stringAt(parentRef, 'spanID') ?? '', 8, false),
        name: stringAt(span, 'operationName') ?? '',
        startKey: start === undefined ? undefined : msKey(start),
        start,
        end: start !== undefined && duration?.kind === 'number' ? start + Math.floor(duration.value / 1000) : undefined,
        status: failed ? 'error' : statusCode?.kind === 'string' && statusCode.value === 'OK' ? 'ok' : 'unset',
        statusMessage: description?.kind === 'string' ? description.value : undefined,
        attributes: tags,
        resource,
        events: this.list(span, 'logs', spanPath).map(([log, logPath]) => {
          const fields = this.jaegerTags(log, 'fields', logPath);
          const event = fields.get('event')?.node;
          return { name: event?.kind === 'string' ? event.value : '', attributes: fields };
        }),
        at: this.at(span, spanPath),
      });
    }
  }

  /** Jaeger `[{key, type, value}]`: the values are plain JSON already. */
  private jaegerTags(node: JsonNode, key: string, path: string): Map<string, SpanValue> {
    const tags = new Map<string, SpanValue>();
    for (const [tag, tagPath] of this.list(node, key, path)) {
      const name = stringAt(tag, 'key');
      const value = member(tag, 'value');
      if (name !== undefined && value !== undefined) tags.set(name, { node: value, at: this.at(value, `${tagPath}.value`) });
    }
    return tags;
  }
}

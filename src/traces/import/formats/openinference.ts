// OpenInference (Arize Phoenix) spans → tool calls and messages (TRACE-FORMATS.md §1.6 and §7).
// Reads:
// - Phoenix span JSON: an array of spans (or `{"data": [...]}` as Phoenix's REST API answers, or
//   one span per line) `{name, context{trace_id, span_id}, span_kind, parent_id, start_time,
//   end_time, status_code, status_message, attributes, events}`. Attributes are the flat
//   OpenInference keys; the nested form `{"llm": {"input_messages": [...]}}` is flattened to them.
//   Times are ISO 8601; Phoenix writes UTC, so a timestamp without a zone is read as UTC.
// - the flat attribute map of one span, with no envelope (`{"openinference.span.kind": "LLM",
//   "llm.input_messages.0.message.role": "user", …}`), as OpenInference's own fixtures hold it.
// Mapping (shared with the OTLP importer, otelSpans.ts and otelMessages.ts):
// - a `TOOL` span is a tool call: `tool.name` (else the span name), `tool.id` or `tool_call.id`,
//   args from `input.value` (JSON text → object; other text kept raw, GH4112), result the
//   `output.value` text as recorded, error from status `ERROR` (`status_message`, else the
//   `exception` event's message);
// - agent: `agent.name` on the span or an ancestor, else the nearest `AGENT` span's name;
//   session: `session.id` on the span or an ancestor, else the trace id, else the file;
// - LLM spans' `llm.input_messages` / `llm.output_messages`: user and assistant text become user
//   and agent messages; their `tool_calls` become the tool calls, paired with the `tool` message of
//   the same `tool_call_id`, only in traces that have no `TOOL` span (otherwise the spans are the
//   calls and the messages repeat them);
// - an `AGENT` span's text/plain `input.value` is the user's request.
// Every span is held to the end of the file and the spans are read in start-time order.

import type { JsonNode } from '../../../language/catalog/jsonTree';
import type { TraceBuilder } from '../builder';
import { arrayAt, describeJsonKind, member, pathIndex, stringAt } from '../json';
import type { Detection, RecordReader, TraceImporter } from '../types';
import { EMPTY_ATTRIBUTES, flatAttributes, flatSpan, SpanCollector, type OtelSpan, type SpanSource } from './otelSpans';

const MESSAGE_KEY = /^llm\.(input|output)_messages\.\d+\./;

export const openinferenceImporter: TraceImporter = {
  format: 'openinference',
  label: 'OpenInference / Phoenix spans',
  detect(sample): Detection | undefined {
    if (sample.kind === 'array') return isPhoenixSpan(sample.items[0]) ? { confidence: 0.95, reason: 'a list of spans with `span_kind` and `context.span_id`' } : undefined;
    if (sample.kind !== 'object') return undefined;
    const data = arrayAt(sample, 'data');
    if (data !== undefined && isPhoenixSpan(data[0])) return { confidence: 0.9, reason: 'an object whose `data` holds spans with `span_kind` and `context.span_id`' };
    if (isPhoenixSpan(sample)) return { confidence: 0.9, reason: 'a span with `span_kind` and `context.span_id`' };
    if (sample.members.has('openinference.span.kind')) return { confidence: 0.95, reason: 'an attribute map with `openinference.span.kind`' };
    if (member(member(member(sample, 'openinference'), 'span'), 'kind')?.kind === 'string') return { confidence: 0.9, reason: 'an attribute map with `openinference.span.kind` (nested)' };
    if ([...sample.members.keys()].some((key) => MESSAGE_KEY.test(key))) return { confidence: 0.7, reason: 'an attribute map with `llm.input_messages.N.message.*` keys' };
    return undefined;
  },
  start(out: TraceBuilder): RecordReader {
    const collector = new SpanCollector(out);
    return { read: (value, origin) => readRecord(value, { out, origin }, collector), finish: () => collector.finish() };
  },
};

function isPhoenixSpan(node: JsonNode | undefined): boolean {
  return stringAt(node, 'span_kind') !== undefined && stringAt(member(node, 'context'), 'span_id') !== undefined;
}

function readRecord(root: JsonNode, source: SpanSource, collector: SpanCollector): void {
  const data = arrayAt(root, 'data');
  const [spans, base] = root.kind === 'array' ? [root.items, '$'] : data !== undefined ? [data, '$.data'] : [[root], undefined];
  spans.forEach((node, index) => {
    const path = base === undefined ? '$' : pathIndex(base, index);
    if (node.kind !== 'object') {
      source.out.skip('wrongType', `a span should be an object, found ${describeJsonKind(node)}; it is skipped`, source.origin.locate(node, path));
      return;
    }
    const enveloped = node.members.has('context') || node.members.has('span_kind');
    const span = enveloped ? flatSpan(node, path, source) : attributeMapSpan(node, path, source);
    if (span !== undefined) collector.add(span);
  });
}

/** One span's bare attribute map: no ids, no name, no times. */
function attributeMapSpan(node: JsonNode, path: string, source: SpanSource): OtelSpan {
  return {
    traceId: '',
    spanId: '',
    parentId: undefined,
    name: '',
    startKey: undefined,
    start: undefined,
    end: undefined,
    status: 'unset',
    statusMessage: undefined,
    attributes: flatAttributes(node, path, source),
    resource: EMPTY_ATTRIBUTES,
    events: [],
    at: source.origin.locate(node, path),
  };
}

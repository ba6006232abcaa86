// LangSmith / LangChain run trees → tool calls. It reads ingest payloads `{post: [runs], patch:
// [run updates]}`, arrays of runs, `{runs: [...]}`, single runs and JSON Lines of runs; runs may
// nest their children in `child_runs`. Everything is held until the end of the file: a run's create
// and its patches are merged (by `id`, or by `trace_id` + `dotted_order` for a patch without one;
// the patch's fields win), then runs are emitted in `dotted_order` (execution order).
//
// How fields map, for `run_type: "tool"` runs (one tool call each):
// - `name` → tool; `extra.tool_call_id` or the output ToolMessage's `tool_call_id` → callId, else
//   the run `id`.
// - `inputs`: `{input: "<text>"}` from the LangChain tracer is `str(tool_input)`: text that opens
//   with `{` or `[` is parsed as JSON, and when it is not a JSON object (a Python repr such as
//   `{'order_id': 'A-1042'}`) it is kept raw in argsRaw (GH4112); other text is the tool's single
//   argument, args `{input: text}`. `{input: {...}}` gives that object; any other `inputs` object is
//   the named arguments of a `@traceable` tool.
// - `outputs.output`: a serialized ToolMessage gives its `content` (text as recorded; a list of
//   blocks as plain JSON), and `status: "error"` makes that content the error; any other value is
//   kept as a plain value (text stays text). Without `output`, the whole `outputs` is the result.
// - `error` (a stack trace) → error. A tool run with no end, outputs or error never finished: it is
//   flagged `unpaired` (GH4110).
// - `start_time` → time: ISO 8601 (no zone means UTC, as the API writes it) or epoch milliseconds.
// - session: `extra.metadata.thread_id`, `session_id` or `conversation_id` of the run or its nearest
//   ancestor (often only the root has it), else the `trace_id`. The run's own `session_id` is the
//   LangSmith project, not a conversation, and is not used.
// - agent: the nearest ancestor `chain` run that has `ls_agent_type` metadata, else the nearest one
//   that is not a LangGraph node wrapper (named as its own `langgraph_node`) or `Runnable*` glue,
//   else the nearest `chain`; else the default.
// Root runs (no parent) give the context: their user messages (`inputs.messages` entries with role
// `user` or type `human`, or a chain's `inputs.input` text) become user messages, once per session
// and text, and the last assistant text of their outputs an agent message. Nested runs repeat the
// conversation and are not read for messages. A file without tool runs imports nothing but that
// context, with one info (GH4114) saying so.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { arrayAt, describeJsonKind, describeShape, member, objectAt, pathIndex, pathKey, stringAt } from '../json';
import { isoToMs, MAX_TIME_MS } from '../time';
import type { Detection, RecordOrigin, RecordReader, TraceImporter } from '../types';

const THREAD_KEYS = ['thread_id', 'session_id', 'conversation_id'] as const;
/** Fields whose presence beside `run_type` marks a LangSmith run. */
const RUN_MARKERS = ['dotted_order', 'trace_id', 'inputs', 'parent_run_id', 'start_time'] as const;

/** One member of a run, where it was read. */
interface Field {
  readonly node: JsonNode;
  readonly path: string;
  readonly origin: RecordOrigin;
}

interface Run {
  /** Members of the create record, overwritten by those of its patches. */
  readonly fields: Map<string, Field>;
  readonly source: SourceLocation;
  /** Position in the file, for runs without `dotted_order`. */
  readonly order: number;
  /** The run that nests this one in `child_runs`. */
  readonly nestedIn: Run | undefined;
}

interface Patch {
  readonly node: JsonObject;
  readonly path: string;
  readonly origin: RecordOrigin;
}

export const langsmithImporter: TraceImporter = {
  format: 'langsmith',
  label: 'LangSmith runs',
  detect: detectLangsmith,
  start(out) {
    const reader = new RunTreeReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => reader.finish() } satisfies RecordReader;
  },
};

function isRun(node: JsonNode | undefined): boolean {
  return stringAt(node, 'run_type') !== undefined && RUN_MARKERS.some((key) => member(node, key) !== undefined);
}

function detectLangsmith(sample: JsonNode): Detection | undefined {
  if (sample.kind === 'array') return isRun(sample.items[0]) ? { confidence: 0.9, reason: 'an array of runs with `run_type`' } : undefined;
  const post = arrayAt(sample, 'post');
  const patch = arrayAt(sample, 'patch');
  if ((post !== undefined || patch !== undefined) && [...(post ?? []), ...(patch ?? [])].slice(0, 5).some((run) => member(run, 'dotted_order') !== undefined || isRun(run))) {
    return { confidence: 0.95, reason: 'an ingest payload: `post`/`patch` lists of runs' };
  }
  if (isRun(arrayAt(sample, 'runs')?.[0])) return { confidence: 0.9, reason: 'an object with `runs` holding runs with `run_type`' };
  if (isRun(sample)) return { confidence: 0.9, reason: 'a run: `run_type` with `trace_id`, `dotted_order` or `inputs`' };
  return undefined;
}

class RunTreeReader {
  private readonly runs: Run[] = [];
  private readonly byId = new Map<string, Run>();
  private readonly patches: Patch[] = [];
  /** Runs by `dotted_order`, for patches without `id`; built on first need. */
  private byDottedOrder: Map<string, Run> | undefined;
  private readonly sessions = new Map<Run, string | undefined>();
  private readonly spokenByUser = new Set<string>();

  constructor(private readonly out: TraceBuilder) {}

  read(root: JsonNode, origin: RecordOrigin): void {
    const post = member(root, 'post');
    const patch = member(root, 'patch');
    const runs = member(root, 'runs');
    if (root.kind === 'object' && (post !== undefined || patch !== undefined)) {
      this.list(post, '$.post', origin, (node, path) => this.addRun(node, path, origin, undefined));
      this.list(patch, '$.patch', origin, (node, path) => this.addPatch(node, path, origin));
    } else if (root.kind === 'object' && runs !== undefined && !isRun(root)) {
      this.list(runs, '$.runs', origin, (node, path) => this.addRun(node, path, origin, undefined));
    } else if (root.kind === 'array') {
      root.items.forEach((item, index) => this.addRun(item, pathIndex('$', index), origin, undefined));
    } else this.addRun(root, '$', origin, undefined);
  }

  private list(node: JsonNode | undefined, path: string, origin: RecordOrigin, each: (node: JsonNode, path: string) => void): void {
    if (node === undefined || node.kind === 'null') return;
    if (node.kind !== 'array') {
      this.out.skip('wrongType', `\`${path.slice(2)}\` should be an array of runs, found ${describeJsonKind(node)}; skipped`, origin.locate(node, path));
      return;
    }
    node.items.forEach((item, index) => each(item, pathIndex(path, index)));
  }

  private addRun(node: JsonNode, path: string, origin: RecordOrigin, nestedIn: Run | undefined): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `a run should be an object, found ${describeJsonKind(node)}; skipped`, origin.locate(node, path));
      return;
    }
    const source = origin.locate(node, path);
    if (!node.members.has('run_type') && !node.members.has('id')) {
      this.out.skip('wrongType', `expected a run (an object with \`run_type\` and \`id\`), found ${describeShape(node)}; skipped`, source);
      return;
    }
    const id = stringAt(node, 'id');
    let run = id === undefined ? undefined : this.byId.get(id);
    if (run !== undefined) this.out.diagnostic('duplicateId', `run id \`${id}\` is recorded twice; the later record's fields win`, source);
    else {
      run = { fields: new Map(), source, order: this.runs.length, nestedIn };
      this.runs.push(run);
      if (id !== undefined) this.byId.set(id, run);
    }
    this.merge(run, node, path, origin);
    const parent = run;
    this.list(member(node, 'child_runs'), pathKey(path, 'child_runs'), origin, (child, childPath) => this.addRun(child, childPath, origin, parent));
  }

  private merge(run: Run, node: JsonObject, path: string, origin: RecordOrigin): void {
    for (const [key, value] of node.members) {
      if (key === 'child_runs') continue;
      // A patch often repeats fields as null; it does not erase what the create recorded.
      if (value.kind === 'null' && run.fields.has(key)) continue;
      run.fields.set(key, { node: value, path: pathKey(path, key), origin });
    }
  }

  private addPatch(node: JsonNode, path: string, origin: RecordOrigin): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `a run update should be an object, found ${describeJsonKind(node)}; skipped`, origin.locate(node, path));
      return;
    }
    this.patches.push({ node, path, origin });
  }

  /** The run a patch updates: by `id`, else by `trace_id` and `dotted_order`. */
  private patched(patch: Patch): Run | undefined {
    const id = stringAt(patch.node, 'id');
    if (id !== undefined) return this.byId.get(id);
    const trace = stringAt(patch.node, 'trace_id');
    const dotted = stringAt(patch.node, 'dotted_order');
    if (dotted === undefined) return undefined;
    if (this.byDottedOrder === undefined) {
      this.byDottedOrder = new Map();
      for (const run of this.runs) {
        const key = text(run, 'dotted_order');
        if (key !== undefined) this.byDottedOrder.set(key, run);
      }
    }
    const run = this.byDottedOrder.get(dotted);
    return run !== undefined && (trace === undefined || text(run, 'trace_id') === trace) ? run : undefined;
  }

  finish(): void {
    for (const patch of this.patches) {
      const run = this.patched(patch);
      if (run !== undefined) this.merge(run, patch.node, patch.path, patch.origin);
      else if (isRun(patch.node) && member(patch.node, 'name') !== undefined) this.addRun(patch.node, patch.path, patch.origin, undefined);
      else {
        const id = stringAt(patch.node, 'id');
        this.out.skip('orphanResult', `an update for run ${id === undefined ? 'without `id`' : `\`${id}\``} that no run in this file creates; skipped`, patch.origin.locate(patch.node, patch.path));
      }
    }
    const ordered = [...this.runs].sort(byExecutionOrder);
    let tools = 0;
    let closing: { run: Run; root: Run } | undefined;
    for (const run of ordered) {
      const root = this.rootOf(run);
      if (closing !== undefined && closing.root !== root) {
        this.agentReply(closing.run);
        closing = undefined;
      }
      if (text(run, 'run_type') === 'tool') {
        tools++;
        this.toolRun(run);
      } else if (this.parentOf(run) === undefined) {
        this.userRequest(run);
        closing = { run, root };
      }
    }
    if (closing !== undefined) this.agentReply(closing.run);
    if (tools === 0 && this.runs.length > 0) {
      const types = [...new Set(this.runs.map((run) => text(run, 'run_type') ?? 'untyped'))].map((type) => `\`${type}\``).join(', ');
      this.out.diagnostic('unknownRecord', `no \`tool\` runs in this file (only ${types} runs): there are no tool calls to import`, this.runs[0]!.source);
    }
  }

  private parentOf(run: Run): Run | undefined {
    if (run.nestedIn !== undefined) return run.nestedIn;
    const parentId = text(run, 'parent_run_id');
    const parent = parentId === undefined ? undefined : this.byId.get(parentId);
    return parent === run ? undefined : parent;
  }

  /** The run and its ancestors, nearest first (bounded: a cycle of parent ids cannot loop). */
  private lineage(run: Run): Run[] {
    const chain: Run[] = [];
    for (let at: Run | undefined = run; at !== undefined && !chain.includes(at); at = this.parentOf(at)) chain.push(at);
    return chain;
  }

  private rootOf(run: Run): Run {
    const chain = this.lineage(run);
    return chain[chain.length - 1]!;
  }

  /** The conversation a run belongs to: a thread id on it or an ancestor, else its trace. */
  private sessionOf(run: Run): string | undefined {
    if (this.sessions.has(run)) return this.sessions.get(run);
    const lineage = this.lineage(run);
    let session: string | undefined;
    for (const at of lineage) {
      const metadata = objectAt(at.fields.get('extra')?.node, 'metadata');
      session = THREAD_KEYS.map((key) => scalarText(member(metadata, key))).find((value) => value !== undefined && value !== '');
      if (session !== undefined) break;
    }
    session ??= text(run, 'trace_id') ?? text(lineage[lineage.length - 1]!, 'id');
    this.sessions.set(run, session);
    return session;
  }

  private agentOf(run: Run): string | undefined {
    const chains = this.lineage(run).slice(1).filter((at) => text(at, 'run_type') === 'chain' && text(at, 'name') !== undefined);
    const metadataOf = (at: Run) => objectAt(at.fields.get('extra')?.node, 'metadata');
    const declared = chains.find((at) => member(metadataOf(at), 'ls_agent_type') !== undefined);
    const named = chains.find((at) => {
      const name = text(at, 'name')!;
      return name !== stringAt(metadataOf(at), 'langgraph_node') && !name.startsWith('Runnable') && !name.startsWith('ChannelWrite');
    });
    const chosen = declared ?? named ?? chains[0];
    return chosen === undefined ? undefined : text(chosen, 'name');
  }

  private time(run: Run, key: string): number | undefined {
    const field = run.fields.get(key);
    if (field === undefined || field.node.kind === 'null') return undefined;
    const { node } = field;
    let time: number | undefined;
    if (node.kind === 'string') time = isoToMs(node.value, true);
    else if (node.kind === 'number' && Number.isFinite(node.value) && Math.abs(node.value) <= MAX_TIME_MS) time = Math.round(node.value);
    if (time !== undefined) return time;
    const shown = node.kind === 'string' ? `\`${node.value}\`` : describeJsonKind(node);
    this.out.diagnostic('invalidTime', `\`${key}\` ${shown} is not an ISO 8601 time or epoch milliseconds; the event gets a time from its neighbours`, field.origin.locate(node, field.path));
    return undefined;
  }

  private toolRun(run: Run): void {
    const name = run.fields.get('name');
    if (name?.node.kind !== 'string' || name.node.value === '') {
      const problem = name ? `\`name\` should be the tool's name, found ${describeJsonKind(name.node)}` : 'a tool run needs `name`';
      this.out.skip(name ? 'wrongType' : 'missingField', `${problem}; the run is skipped`, name ? name.origin.locate(name.node, name.path) : run.source);
      return;
    }
    const { args, argsRaw } = this.args(run.fields.get('inputs'));
    const output = this.output(run.fields.get('outputs'));
    const errorField = run.fields.get('error');
    let error = output.error;
    if (errorField !== undefined && errorField.node.kind !== 'null') {
      error = errorField.node.kind === 'string' ? errorField.node.value : JSON.stringify(this.out.plain(errorField.node, errorField.origin.locate(errorField.node, errorField.path)));
    }
    const extra = run.fields.get('extra')?.node;
    const callId = stringAt(extra, 'tool_call_id') ?? output.callId ?? text(run, 'id');
    const finished = ['end_time', 'outputs', 'error'].some((key) => run.fields.get(key) !== undefined && run.fields.get(key)!.node.kind !== 'null');
    this.out.toolCall({
      session: this.sessionOf(run),
      agent: this.agentOf(run),
      tool: name.node.value,
      args,
      argsRaw,
      result: error === undefined ? output.result : undefined,
      error,
      callId,
      time: this.time(run, 'start_time'),
      source: run.source,
      awaitsResult: !finished && callId !== undefined,
    });
  }

  private args(field: Field | undefined): { args: Record<string, unknown>; argsRaw?: string } {
    if (field === undefined || field.node.kind === 'null') return { args: {} };
    const { node, path, origin } = field;
    if (node.kind !== 'object') {
      const at = origin.locate(node, path);
      if (node.kind === 'string') return this.textArguments(node.value, at);
      return this.out.argumentsFromText(JSON.stringify(this.out.plain(node, at)), at);
    }
    const input = member(node, 'input');
    if (input !== undefined && node.members.size === 1) {
      const at = origin.locate(input, pathKey(path, 'input'));
      if (input.kind === 'string') return this.textArguments(input.value, at);
      if (input.kind === 'object') return { args: this.out.plain(input, at) as Record<string, unknown> };
    }
    return { args: this.out.plain(node, origin.locate(node, path)) as Record<string, unknown> };
  }

  /** `str(tool_input)`: JSON, a Python repr (kept raw), or the tool's single text argument. */
  private textArguments(value: string, at: SourceLocation): { args: Record<string, unknown>; argsRaw?: string } {
    const trimmed = value.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return this.out.argumentsFromText(value, at);
    return { args: { input: value } };
  }

  private output(field: Field | undefined): { result?: unknown; error?: string; callId?: string } {
    if (field === undefined || field.node.kind === 'null') return {};
    const { node, path, origin } = field;
    const output = node.kind === 'object' && node.members.has('output') ? member(node, 'output')! : node;
    const outputPath = output === node ? path : pathKey(path, 'output');
    if (output.kind === 'object' && output.members.size === 0) return {};
    // A ToolMessage, plain or serialized by LangChain (`{lc, type: "constructor", kwargs}`).
    const message = objectAt(output, 'kwargs') !== undefined && member(output, 'lc') !== undefined ? objectAt(output, 'kwargs')! : output;
    const messagePath = message === output ? outputPath : pathKey(outputPath, 'kwargs');
    const isToolMessage = message.kind === 'object' && message.members.has('content') && (stringAt(message, 'type') === 'tool' || message.members.has('tool_call_id'));
    if (!isToolMessage) return { result: this.out.plain(output, origin.locate(output, outputPath)) };
    const content = member(message, 'content')!;
    const contentPath = pathKey(messagePath, 'content');
    const value = content.kind === 'string' ? content.value : this.out.plain(content, origin.locate(content, contentPath));
    const callId = stringAt(message, 'tool_call_id');
    if (stringAt(message, 'status') === 'error') return { error: typeof value === 'string' ? value : JSON.stringify(value), callId };
    return { result: value, callId };
  }

  /** A root run's user messages: the requests that start the trace. */
  private userRequest(run: Run): void {
    const inputs = run.fields.get('inputs');
    if (inputs === undefined || inputs.node.kind !== 'object') return;
    const session = this.sessionOf(run);
    const time = this.time(run, 'start_time');
    const say = (textValue: string, node: JsonNode, path: string) => {
      const key = `${session ?? ''}\u0000${textValue}`;
      if (textValue.trim() === '' || this.spokenByUser.has(key)) return;
      this.spokenByUser.add(key);
      this.out.userMessage({ session, text: textValue, time, source: inputs.origin.locate(node, path) });
    };
    const messages = member(inputs.node, 'messages');
    if (messages?.kind === 'array') {
      for (const { node, path } of flattenMessages(messages, pathKey(inputs.path, 'messages'))) {
        const message = serializedMessage(node);
        const role = stringAt(message, 'role') ?? stringAt(message, 'type') ?? lcMessageType(node);
        if (role !== 'user' && role !== 'human' && role !== 'HumanMessage') continue;
        const content = messageText(member(message, 'content'));
        if (content !== undefined) say(content, node, path);
      }
      return;
    }
    const input = member(inputs.node, 'input');
    if (text(run, 'run_type') === 'chain' && input?.kind === 'string') say(input.value, input, pathKey(inputs.path, 'input'));
  }

  /** A root run's final assistant text: the agent's reply. */
  private agentReply(run: Run): void {
    const outputs = run.fields.get('outputs');
    if (outputs === undefined || outputs.node.kind !== 'object') return;
    const messages = arrayAt(outputs.node, 'messages');
    const choice = objectAt(arrayAt(outputs.node, 'choices')?.[0], 'message');
    let reply: string | undefined;
    if (messages !== undefined) {
      const last = serializedMessage(messages[messages.length - 1]);
      const role = stringAt(last, 'role') ?? stringAt(last, 'type');
      if (role === 'assistant' || role === 'ai') reply = messageText(member(last, 'content'));
    } else if (choice !== undefined) reply = messageText(member(choice, 'content'));
    else reply = stringAt(outputs.node, 'output');
    if (reply === undefined || reply.trim() === '') return;
    const time = this.time(run, 'end_time');
    this.out.agentMessage({ session: this.sessionOf(run), text: reply, time, source: outputs.origin.locate(outputs.node, outputs.path) });
  }
}

/** Runs in execution order: by `dotted_order`, else start time, else file order. */
function byExecutionOrder(a: Run, b: Run): number {
  const dottedA = text(a, 'dotted_order');
  const dottedB = text(b, 'dotted_order');
  if (dottedA !== undefined && dottedB !== undefined && dottedA !== dottedB) return dottedA < dottedB ? -1 : 1;
  return a.order - b.order;
}

function text(run: Run, key: string): string | undefined {
  const node = run.fields.get(key)?.node;
  return node?.kind === 'string' ? node.value : undefined;
}

function scalarText(node: JsonNode | undefined): string | undefined {
  if (node?.kind === 'string') return node.value;
  if (node?.kind === 'number') return String(node.value);
  return undefined;
}

/** `inputs.messages`, which LangChain chat-model runs nest one level (`[[...]]`). */
function flattenMessages(messages: JsonNode & { kind: 'array' }, path: string): Array<{ node: JsonNode; path: string }> {
  const flat: Array<{ node: JsonNode; path: string }> = [];
  messages.items.forEach((item, index) => {
    const itemPath = pathIndex(path, index);
    if (item.kind === 'array') item.items.forEach((inner, innerIndex) => flat.push({ node: inner, path: pathIndex(itemPath, innerIndex) }));
    else flat.push({ node: item, path: itemPath });
  });
  return flat;
}

/** A LangChain-serialized message (`{lc, type: "constructor", id: [..., "HumanMessage"], kwargs}`) → its kwargs. */
function serializedMessage(node: JsonNode | undefined): JsonNode | undefined {
  return member(node, 'lc') !== undefined ? objectAt(node, 'kwargs') : node;
}

function lcMessageType(node: JsonNode): string | undefined {
  const id = arrayAt(node, 'id');
  const last = id?.[id.length - 1];
  return last?.kind === 'string' ? last.value : undefined;
}

/** A message's content as text: a string, or the text of its `text` parts. */
function messageText(content: JsonNode | undefined): string | undefined {
  if (content?.kind === 'string') return content.value;
  if (content?.kind !== 'array') return undefined;
  const parts = content.items.map((part) => (part.kind === 'string' ? part.value : stringAt(part, 'type') === 'text' ? stringAt(part, 'text') : undefined));
  const texts = parts.filter((part): part is string => part !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

// OpenAI Responses API items → normalized events. A file is one of these (or JSON Lines of them):
//
// - a bare array of items (what `to_input_list()` and the Agents SDK session stores persist);
// - a request body `{input: items | string, tools?, previous_response_id?, conversation?}`;
// - a Response `{object: "response", output: items, created_at, previous_response_id?, conversation?}`;
// - an input-item list `{object: "list", data: items}`, or (JSON Lines) one item per line.
//
// Items, by `type` (an item without one is a message):
// - `message`: `user` → a user message, `assistant` → an agent message (the text of its
//   `input_text`/`output_text`/`text` parts, or a string `content`); `system`/`developer` skipped.
// - `function_call` `{call_id, name, arguments}` → a tool call (`arguments` is a JSON string;
//   invalid JSON is kept raw with GH4112); `function_call_output` `{call_id, output}` its result.
//   `custom_tool_call` `{call_id, name, input}` keeps `input` raw; `custom_tool_call_output` pairs.
// - `local_shell_call`, `shell_call`, `apply_patch_call`, `computer_call`: tool calls named by
//   their type, with their `action` (or `operation`) as arguments, paired by `call_id` with the
//   `…_output` item (`local_shell_call_output` names the call by `id`). A shell output whose
//   command exited non-zero or timed out, or an apply-patch output with `status` `failed`, is an
//   error. `web_search_call`, `file_search_call` and `code_interpreter_call` run on OpenAI's side:
//   tool calls named by type, with their query or code as arguments and their results inline.
// - `mcp_call` `{id, server_label, name, arguments, output, error}` → a call on `server_label`,
//   with `output` as result and `error` (text, or an error object) as error.
//   `mcp_approval_request` is the call the model proposes: a tool call whose `outcome` the
//   `mcp_approval_response` (`approve`) records, `allowed` or `denied`. The `mcp_call` that ran
//   after an approval (its `approval_request_id`) completes that same call rather than adding one.
// - `mcp_list_tools` → tool definitions; a request's `tools` too.
// - `reasoning`, `item_reference`, `image_generation_call`, compaction items: silently skipped.
//
// Results are kept as recorded: an `output` string stays a string (JSON in it included); a list
// of content parts becomes the text of its text parts; structured output (a shell call's chunks,
// a screenshot) is its plain value.
// Time: a Response's `created_at` (Unix seconds) for its output items; items elsewhere have none.
// Session: the `conversation` id; else, for a Response or request with `previous_response_id`,
// the session of that earlier response (or its id, when it is not in the file); else the file.
// No agent identity is recorded.

import type { JsonNode, JsonObject } from '../../../language/catalog/jsonTree';
import type { RecordedOutcome, SourceLocation } from '../../event';
import type { TraceBuilder } from '../builder';
import { arrayAt, describeJsonKind, describeShape, member, pathIndex, pathKey, stringAt } from '../json';
import { secondsToMs } from '../time';
import type { Detection, RecordOrigin, RecordReader, TraceImporter } from '../types';
import { contentText } from './openaiChat';

/** Item types only the Responses API has: they mark its items for sure. */
const RESPONSES_ITEM_TYPES = new Set([
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'mcp_call',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'image_generation_call',
  'reasoning',
  'item_reference',
]);
/** Item types that are neither tool calls nor messages; read silently. */
const QUIET_TYPES = new Set(['reasoning', 'item_reference', 'image_generation_call', 'compaction', 'tool_search_call', 'tool_search_output']);
/** Content-part types of Responses messages (chat messages use `text`). */
const RESPONSES_PARTS = new Set(['input_text', 'output_text', 'input_image', 'input_file', 'refusal']);

/** Calls that run on the client and come back as a `<type>_output` item, with where their arguments sit. */
const CLIENT_CALLS: Readonly<Record<string, string>> = {
  local_shell_call: 'action',
  shell_call: 'action',
  apply_patch_call: 'operation',
  computer_call: 'action',
};

export const openaiResponsesImporter: TraceImporter = {
  format: 'openai-responses',
  label: 'OpenAI Responses',
  detect: detectResponses,
  start(out) {
    const reader = new ResponsesReader(out);
    return { read: (value, origin) => reader.read(value, origin), finish: () => reader.finish() } satisfies RecordReader;
  },
};

function detectResponses(sample: JsonNode): Detection | undefined {
  if (sample.kind === 'array') return itemsClaim(sample.items, 'an array of');
  if (sample.kind !== 'object') return undefined;
  const object = stringAt(sample, 'object');
  if (object === 'response' && sample.members.has('output')) return { confidence: 1, reason: 'an object with `object` `response` and `output`' };
  if (object === 'list') {
    const data = arrayAt(sample, 'data');
    return data === undefined ? undefined : itemsClaim(data, 'a `list` of');
  }
  const input = member(sample, 'input');
  if (input?.kind === 'array') return itemsClaim(input.items, 'an `input` of');
  if (input?.kind === 'string' && sample.members.has('model') && ['instructions', 'previous_response_id', 'conversation', 'tools'].some((key) => sample.members.has(key))) {
    return { confidence: 0.6, reason: 'a request with `model`, `input` text and Responses fields' };
  }
  const type = stringAt(sample, 'type');
  if (type !== undefined && RESPONSES_ITEM_TYPES.has(type) && type !== 'item_reference' && type !== 'reasoning') return { confidence: 0.85, reason: `an item with \`type\` \`${type}\`` };
  if (type === 'message' && isResponsesMessage(sample)) return { confidence: 0.7, reason: 'a `message` item with Responses content parts' };
  return undefined;
}

function itemsClaim(items: readonly JsonNode[], what: string): Detection | undefined {
  if (items.length === 0) return undefined;
  let plain = true;
  for (const item of items.slice(0, 50)) {
    if (item.kind !== 'object') return undefined;
    const type = stringAt(item, 'type');
    if (type !== undefined && RESPONSES_ITEM_TYPES.has(type)) return { confidence: 0.9, reason: `${what} items with \`type\` \`${type}\`` };
    if (type === 'message' || isResponsesMessage(item)) plain = false;
    else if (type !== undefined || stringAt(item, 'role') === undefined) return undefined;
  }
  if (!plain) return { confidence: 0.8, reason: `${what} \`message\` items with Responses content parts` };
  return { confidence: 0.4, reason: `${what} items with \`role\` and \`content\`` };
}

function isResponsesMessage(item: JsonNode): boolean {
  return arrayAt(item, 'content')?.some((part) => RESPONSES_PARTS.has(stringAt(part, 'type') ?? '')) === true;
}

/** Where one record's events go. */
interface Scope {
  readonly session: string | undefined;
  readonly time: number | undefined;
}

type Draft = ReturnType<TraceBuilder['toolCall']>;

class ResponsesReader {
  private origin!: RecordOrigin;
  private scope: Scope = { session: undefined, time: undefined };
  /** Response id → the session its successors join. */
  private readonly chains = new Map<string, string | undefined>();
  /** Approval request id → the proposed call, until the approval response or the call itself. */
  private readonly approvals = new Map<string, Draft>();
  private readonly settled = new Set<Draft>();

  constructor(private readonly out: TraceBuilder) {}

  read(root: JsonNode, origin: RecordOrigin): void {
    this.origin = origin;
    this.scope = { session: undefined, time: undefined };
    if (root.kind === 'array') {
      this.items(root.items, '$');
      return;
    }
    if (root.kind !== 'object') {
      this.out.skip('wrongType', `expected Responses items, a request or a Response, found ${describeJsonKind(root)}`, this.at(root, '$'));
      return;
    }
    const object = stringAt(root, 'object');
    if (object === 'response') this.response(root);
    else if (object === 'list') this.itemsAt(root, 'data');
    else if (root.members.has('input')) this.request(root);
    else if (root.members.has('type') || root.members.has('role')) this.item(root, '$');
    else this.out.skip('wrongType', `expected Responses items, a request or a Response, found ${describeShape(root)}`, this.at(root, '$'));
  }

  /** Approval requests never answered in the file: the call was proposed, its fate is unknown. */
  finish(): void {
    for (const draft of new Set(this.approvals.values())) {
      if (this.settled.has(draft)) continue;
      draft.unpaired = true;
      this.out.diagnostic('unpairedCall', `the approval request for \`${draft.tool}\` (id \`${draft.callId}\`) has no approval response in this file; it is kept and flagged \`unpaired\``, draft.source ?? { file: this.out.file });
    }
  }

  private at(node: JsonNode, path: string): SourceLocation {
    return this.origin.locate(node, path);
  }

  /** The session a request or Response belongs to, by `conversation` or `previous_response_id`. */
  private sessionOf(root: JsonObject): string | undefined {
    const conversation = member(root, 'conversation');
    const conversationId = conversation?.kind === 'string' ? conversation.value : stringAt(conversation, 'id');
    if (conversationId !== undefined && conversationId !== '') return conversationId;
    const previous = stringAt(root, 'previous_response_id');
    if (previous === undefined || previous === '') return undefined;
    return this.chains.has(previous) ? this.chains.get(previous) : previous;
  }

  private response(root: JsonObject): void {
    const session = this.sessionOf(root);
    const id = stringAt(root, 'id');
    if (id !== undefined) this.chains.set(id, session);
    const created = member(root, 'created_at');
    let time: number | undefined;
    if (created?.kind === 'number') time = secondsToMs(created.value);
    if (created !== undefined && created.kind !== 'null' && time === undefined) {
      this.out.diagnostic('invalidTime', `\`created_at\` should be Unix seconds, found ${created.kind === 'number' ? created.value : describeJsonKind(created)}`, this.at(created, '$.created_at'));
    }
    this.scope = { session, time };
    this.toolDefinitions(root);
    this.itemsAt(root, 'output');
  }

  private request(root: JsonObject): void {
    this.scope = { session: this.sessionOf(root), time: undefined };
    this.toolDefinitions(root);
    const input = member(root, 'input')!;
    if (input.kind === 'string') {
      if (input.value.trim() !== '') this.out.userMessage({ session: this.scope.session, text: input.value, source: this.at(input, '$.input') });
      return;
    }
    this.itemsAt(root, 'input');
  }

  private toolDefinitions(root: JsonObject): void {
    const tools = member(root, 'tools');
    if (tools === undefined || tools.kind === 'null') return;
    if (tools.kind !== 'array') {
      this.out.diagnostic('wrongType', `\`tools\` should be an array of tool definitions, found ${describeJsonKind(tools)}; ignored`, this.at(tools, '$.tools'));
      return;
    }
    this.out.tools(tools.items.map((tool, index) => this.out.plain(tool, this.at(tool, pathIndex('$.tools', index)))));
  }

  private itemsAt(root: JsonObject, key: string): void {
    const items = member(root, key);
    const path = pathKey('$', key);
    if (items?.kind !== 'array') {
      this.out.skip(items ? 'wrongType' : 'missingField', items ? `\`${key}\` should be an array of items, found ${describeJsonKind(items)}` : `missing \`${key}\``, this.at(items ?? root, path));
      return;
    }
    this.items(items.items, path);
  }

  private items(items: readonly JsonNode[], path: string): void {
    items.forEach((item, index) => this.item(item, pathIndex(path, index)));
  }

  private item(node: JsonNode, path: string): void {
    if (node.kind !== 'object') {
      this.out.skip('wrongType', `an item should be an object, found ${describeJsonKind(node)}`, this.at(node, path));
      return;
    }
    const typeNode = member(node, 'type');
    if (typeNode !== undefined && typeNode.kind !== 'string') {
      this.out.skip('wrongType', `\`type\` should be a string, found ${describeJsonKind(typeNode)}; the item is skipped`, this.at(typeNode, `${path}.type`));
      return;
    }
    const type = typeNode?.value ?? 'message';
    if (type in CLIENT_CALLS) return this.clientCall(node, path, type);
    switch (type) {
      case 'message':
        return this.message(node, path);
      case 'function_call':
      case 'custom_tool_call':
        return this.functionCall(node, path, type);
      case 'function_call_output':
      case 'custom_tool_call_output':
      case 'computer_call_output':
      case 'shell_call_output':
      case 'apply_patch_call_output':
        return this.output(node, path, type, 'call_id');
      case 'local_shell_call_output':
        return this.output(node, path, type, 'id');
      case 'mcp_call':
        return this.mcpCall(node, path);
      case 'mcp_approval_request':
        return this.approvalRequest(node, path);
      case 'mcp_approval_response':
        return this.approvalResponse(node, path);
      case 'mcp_list_tools':
        return this.mcpListTools(node, path);
      case 'web_search_call':
      case 'file_search_call':
      case 'code_interpreter_call':
        return this.hostedCall(node, path, type);
      default:
        if (!QUIET_TYPES.has(type)) this.out.skip('unknownRecord', `an item of type \`${type}\` is not a tool call or a message; skipped`, this.at(node, path));
    }
  }

  private message(node: JsonObject, path: string): void {
    const role = stringAt(node, 'role');
    if (role === 'system' || role === 'developer') return;
    if (role !== 'user' && role !== 'assistant') {
      const roleNode = member(node, 'role');
      this.out.skip(roleNode ? 'wrongType' : 'missingField', `${roleNode ? `a message with role ${roleNode.kind === 'string' ? `\`${roleNode.value}\`` : describeJsonKind(roleNode)}` : 'a message without `role`'} is skipped`, this.at(roleNode ?? node, `${path}.role`));
      return;
    }
    const content = member(node, 'content');
    const text = contentText(content);
    if (content !== undefined && content.kind !== 'null' && text === undefined) {
      this.out.diagnostic('wrongType', `\`content\` should be a string or a list of parts, found ${describeJsonKind(content)}; ignored`, this.at(content, `${path}.content`));
    }
    if (text === undefined || text.trim() === '') return;
    const input = { session: this.scope.session, text, time: this.scope.time, source: this.at(node, path) };
    if (role === 'user') this.out.userMessage(input);
    else this.out.agentMessage(input);
  }

  /** A required string field, or a diagnostic and undefined. */
  private required(node: JsonObject, key: string, path: string, what: string): string | undefined {
    const value = member(node, key);
    if (value?.kind === 'string' && value.value !== '') return value.value;
    this.out.skip(value ? 'wrongType' : 'missingField', `${value ? `\`${key}\` should be a non-empty string, found ${describeJsonKind(value)}` : `${what} needs \`${key}\``}; skipped`, this.at(value ?? node, pathKey(path, key)));
    return undefined;
  }

  /** An optional call id: missing means the call cannot be paired, which is said once. */
  private callIdOf(node: JsonObject, key: string, path: string): string | undefined {
    const id = member(node, key);
    if (id?.kind === 'string' && id.value !== '') return id.value;
    this.out.diagnostic(id ? 'wrongType' : 'missingField', id ? `\`${key}\` should be a string, found ${describeJsonKind(id)}; the call cannot be paired` : `the call has no \`${key}\`; it cannot be paired with its output`, this.at(id ?? node, pathKey(path, key)));
    return undefined;
  }

  private functionCall(node: JsonObject, path: string, type: string): void {
    const name = this.required(node, 'name', path, `a \`${type}\``);
    if (name === undefined) return;
    const args = type === 'custom_tool_call' ? this.rawInput(node, path) : this.argumentsOf(node, path);
    const callId = this.callIdOf(node, 'call_id', path);
    this.out.toolCall({ session: this.scope.session, tool: name, ...args, callId, time: this.scope.time, source: this.at(node, path) });
  }

  private argumentsOf(node: JsonObject, path: string): { args: Record<string, unknown>; argsRaw?: string } {
    const args = member(node, 'arguments');
    const at = this.at(args ?? node, `${path}.arguments`);
    if (args === undefined || args.kind === 'null') return { args: {} };
    if (args.kind === 'string') return this.out.argumentsFromText(args.value, at);
    if (args.kind === 'object') return { args: this.out.plain(args, at) as Record<string, unknown> };
    this.out.diagnostic('invalidArguments', `\`arguments\` should be a JSON string, found ${describeJsonKind(args)}; kept raw`, at);
    return { args: {}, argsRaw: JSON.stringify(this.out.plain(args, at)) };
  }

  private rawInput(node: JsonObject, path: string): { args: Record<string, unknown>; argsRaw?: string } {
    const input = member(node, 'input');
    if (input?.kind === 'string') return { args: {}, argsRaw: input.value };
    if (input !== undefined && input.kind !== 'null') this.out.diagnostic('wrongType', `\`input\` of a custom tool call should be text, found ${describeJsonKind(input)}; ignored`, this.at(input, `${path}.input`));
    return { args: {} };
  }

  /** A structured field as the call's arguments (an object; anything else is kept raw). */
  private structuredArgs(node: JsonObject, key: string, path: string): { args: Record<string, unknown>; argsRaw?: string } {
    const value = member(node, key);
    if (value === undefined || value.kind === 'null') return { args: {} };
    const at = this.at(value, pathKey(path, key));
    const plain = this.out.plain(value, at);
    if (value.kind === 'object') return { args: plain as Record<string, unknown> };
    this.out.diagnostic('invalidArguments', `\`${key}\` should be an object, found ${describeJsonKind(value)}; kept raw`, at);
    return { args: {}, argsRaw: JSON.stringify(plain) };
  }

  private clientCall(node: JsonObject, path: string, type: string): void {
    const callId = this.callIdOf(node, 'call_id', path);
    this.out.toolCall({ session: this.scope.session, tool: type, ...this.structuredArgs(node, CLIENT_CALLS[type]!, path), callId, time: this.scope.time, source: this.at(node, path) });
  }

  /** Calls run by OpenAI: arguments and results in the one item. */
  private hostedCall(node: JsonObject, path: string, type: string): void {
    let args: { args: Record<string, unknown>; argsRaw?: string };
    let result: unknown;
    const plainAt = (key: string): unknown => {
      const value = member(node, key);
      return value === undefined || value.kind === 'null' ? undefined : this.out.plain(value, this.at(value, pathKey(path, key)));
    };
    if (type === 'web_search_call') args = this.structuredArgs(node, 'action', path);
    else if (type === 'file_search_call') {
      args = { args: { queries: plainAt('queries') ?? [] } };
      result = plainAt('results');
    } else {
      args = { args: { code: plainAt('code') ?? '', container_id: plainAt('container_id') ?? null } };
      result = plainAt('outputs');
    }
    const error = stringAt(node, 'status') === 'failed' ? `the \`${type}\` failed` : undefined;
    this.out.toolCall({ session: this.scope.session, tool: type, ...args, result, error, callId: stringAt(node, 'id'), time: this.scope.time, source: this.at(node, path), awaitsResult: false });
  }

  private output(node: JsonObject, path: string, type: string, idKey: string): void {
    const callId = this.required(node, idKey, path, `a \`${type}\``);
    if (callId === undefined) return;
    const output = member(node, 'output');
    const result = output === undefined || output.kind === 'null' ? undefined : this.resultOf(output, `${path}.output`);
    const error = this.outputError(node, output, type);
    this.out.result({ session: this.scope.session, callId, result, error, source: this.at(node, path) });
  }

  /** An output as recorded: text stays text, content parts become their text, the rest its plain value. */
  private resultOf(output: JsonNode, path: string): unknown {
    if (output.kind === 'string') return output.value;
    if (output.kind === 'array' && output.items.some((part) => stringAt(part, 'type')?.endsWith('text'))) return contentText(output);
    return this.out.plain(output, this.at(output, path));
  }

  /** Failures the output records: a shell command that exited non-zero or timed out, a failed patch. */
  private outputError(node: JsonObject, output: JsonNode | undefined, type: string): string | undefined {
    if (type === 'apply_patch_call_output' && stringAt(node, 'status') === 'failed') return stringAt(node, 'output') ?? 'the patch failed';
    if (type !== 'shell_call_output' || output?.kind !== 'array') return undefined;
    for (const chunk of output.items) {
      const outcome = member(chunk, 'outcome');
      const exitCode = member(outcome, 'exit_code');
      const stderr = stringAt(chunk, 'stderr')?.trim();
      if (stringAt(outcome, 'type') === 'timeout') return `the command timed out${stderr ? `: ${stderr}` : ''}`;
      if (exitCode?.kind === 'number' && exitCode.value !== 0) return `exit code ${exitCode.value}${stderr ? `: ${stderr}` : ''}`;
    }
    return undefined;
  }

  private mcpCall(node: JsonObject, path: string): void {
    const name = this.required(node, 'name', path, 'an `mcp_call`');
    if (name === undefined) return;
    const output = member(node, 'output');
    const result = output === undefined || output.kind === 'null' ? undefined : this.resultOf(output, `${path}.output`);
    let error = this.mcpError(node, path);
    if (error === undefined && stringAt(node, 'status') === 'failed') error = 'the MCP call failed';
    const approvalId = stringAt(node, 'approval_request_id');
    const approved = approvalId === undefined ? undefined : this.approvals.get(approvalId);
    if (approved !== undefined) {
      // The call ran after its approval: it completes the proposed call.
      this.settled.add(approved);
      approved.outcome = 'allowed';
      if (result !== undefined) approved.result = result;
      if (error !== undefined) approved.error = error;
      const id = stringAt(node, 'id');
      if (id !== undefined) approved.callId = id;
      return;
    }
    this.out.toolCall({
      session: this.scope.session,
      tool: name,
      ...this.argumentsOf(node, path),
      result,
      error,
      server: stringAt(node, 'server_label'),
      callId: stringAt(node, 'id'),
      outcome: approvalId === undefined ? undefined : 'allowed',
      time: this.scope.time,
      source: this.at(node, path),
      awaitsResult: false,
    });
  }

  /** `error`: text, or an object with a `message` or text `content` (else its JSON). */
  private mcpError(node: JsonObject, path: string): string | undefined {
    const error = member(node, 'error');
    if (error === undefined || error.kind === 'null') return undefined;
    if (error.kind === 'string') return error.value;
    const message = stringAt(error, 'message') ?? contentText(member(error, 'content'));
    if (message !== undefined && message !== '') return message;
    return JSON.stringify(this.out.plain(error, this.at(error, `${path}.error`)));
  }

  private approvalRequest(node: JsonObject, path: string): void {
    const id = this.required(node, 'id', path, 'an `mcp_approval_request`');
    const name = id === undefined ? undefined : this.required(node, 'name', path, 'an `mcp_approval_request`');
    if (id === undefined || name === undefined) return;
    const draft = this.out.toolCall({
      session: this.scope.session,
      tool: name,
      ...this.argumentsOf(node, path),
      server: stringAt(node, 'server_label'),
      callId: id,
      time: this.scope.time,
      source: this.at(node, path),
      awaitsResult: false,
    });
    if (this.approvals.has(id)) this.out.diagnostic('duplicateId', `approval request id \`${id}\` is used twice; responses pair with the later request`, this.at(node, path));
    this.approvals.set(id, draft);
  }

  private approvalResponse(node: JsonObject, path: string): void {
    const id = this.required(node, 'approval_request_id', path, 'an `mcp_approval_response`');
    if (id === undefined) return;
    const approve = member(node, 'approve');
    if (approve?.kind !== 'boolean') {
      this.out.skip(approve ? 'wrongType' : 'missingField', `${approve ? `\`approve\` should be true or false, found ${describeJsonKind(approve)}` : 'an `mcp_approval_response` needs `approve`'}; skipped`, this.at(approve ?? node, `${path}.approve`));
      return;
    }
    const draft = this.approvals.get(id);
    if (draft === undefined) {
      this.out.skip('orphanResult', `an approval response for request \`${id}\`, which no earlier \`mcp_approval_request\` in this file has`, this.at(node, path));
      return;
    }
    const outcome: RecordedOutcome = approve.value ? 'allowed' : 'denied';
    draft.outcome = outcome;
    this.settled.add(draft);
  }

  private mcpListTools(node: JsonObject, path: string): void {
    const tools = member(node, 'tools');
    if (tools?.kind !== 'array') {
      if (tools !== undefined) this.out.diagnostic('wrongType', `\`tools\` should be an array, found ${describeJsonKind(tools)}; ignored`, this.at(tools, `${path}.tools`));
      return;
    }
    this.out.tools(tools.items.map((tool, index) => this.out.plain(tool, this.at(tool, pathIndex(`${path}.tools`, index)))));
  }
}

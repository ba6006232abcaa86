// MCP `tools/list` → catalog tools: argument types from each tool's `inputSchema`, labels from
// its `annotations`. Never throws; a bad tool entry is reported and skipped, the rest kept.

import { ImportReporter, MCP_LABELS, invalidJsonDiagnostic, type CatalogArg, type CatalogImportResult, type CatalogTool } from './catalogModel';
import { mapSchema } from './jsonSchemaType';
import { renderType } from './renderCatalog';
import {
  booleanMember,
  describeJsonKind,
  headSpan,
  member,
  parseJsonTree,
  stringMember,
  type JsonNode,
} from './jsonTree';

/**
 * Reads MCP tool definitions: a JSON-RPC `tools/list` response (`{"result": {"tools": [...]}}`),
 * a bare result (`{"tools": [...]}`), an array of tools, or a single tool object.
 */
export function importMcpTools(jsonText: string, file?: string): CatalogImportResult {
  const parsed = parseJsonTree(jsonText);
  if (!parsed.ok) return { value: [], diagnostics: [invalidJsonDiagnostic(parsed, file)] };
  return importMcpTree(parsed.value, file);
}

/** `importMcpTools` on an already parsed document. */
export function importMcpTree(root: JsonNode, file?: string): CatalogImportResult {
  const reporter = new ImportReporter(file);
  const entries = findToolEntries(root, reporter);
  const tools: CatalogTool[] = [];
  const seen = new Set<string>();
  entries?.forEach((entry, index) => {
    const tool = readTool(entry, index, reporter);
    if (!tool) return;
    if (seen.has(tool.name)) {
      reporter.report('importInvalidTool', headSpan(entry), `duplicate tool \`${tool.name}\`; the first definition is kept`, undefined, 'warning');
      return;
    }
    seen.add(tool.name);
    tools.push(tool);
  });
  return { value: tools, diagnostics: reporter.diagnostics };
}

/** Locates the array of tool definitions, or reports GH4002 and returns undefined. */
function findToolEntries(root: JsonNode, reporter: ImportReporter): readonly JsonNode[] | undefined {
  if (root.kind === 'array') return root.items;
  const notCatalog = (message: string, node: JsonNode = root): undefined => {
    reporter.report(
      'importNotCatalog',
      headSpan(node),
      message,
      'expected a `tools/list` response, `{"tools": [...]}`, an array of tools or an AgentDojo tools.json',
    );
    return undefined;
  };
  if (root.kind !== 'object') return notCatalog(`the file holds ${describeJsonKind(root)}, not a tool catalog`);
  const error = member(root, 'error');
  if (error !== undefined && member(root, 'result') === undefined) {
    const message = stringMember(error, 'message');
    return notCatalog(`the file is a JSON-RPC error response${message !== undefined ? `: \`${message}\`` : ''}`, error);
  }
  const result = member(root, 'result');
  const holder = result?.kind === 'object' ? result : root;
  const tools = member(holder, 'tools');
  if (tools?.kind === 'array') return tools.items;
  if (tools !== undefined) return notCatalog(`\`tools\` is ${describeJsonKind(tools)}, not an array`, tools);
  if (result !== undefined) return notCatalog('the JSON-RPC result has no `tools` array', result);
  if (member(root, 'name') !== undefined || member(root, 'inputSchema') !== undefined) return [root];
  return notCatalog('no `tools` array, `result.tools` array or tool object found');
}

function readTool(entry: JsonNode, index: number, reporter: ImportReporter): CatalogTool | undefined {
  if (entry.kind !== 'object') {
    reporter.report('importInvalidTool', headSpan(entry), `tool entry ${index + 1} is ${describeJsonKind(entry)}, not an object; it is skipped`);
    return undefined;
  }
  const nameNode = member(entry, 'name');
  if (nameNode?.kind !== 'string' || nameNode.value === '') {
    const problem = nameNode === undefined ? 'has no `name`' : nameNode.kind === 'string' ? 'has an empty `name`' : `has ${describeJsonKind(nameNode)} as its \`name\``;
    reporter.report('importInvalidTool', headSpan(nameNode ?? entry), `tool entry ${index + 1} ${problem}; it is skipped`, 'every tool needs a non-empty string `name`');
    return undefined;
  }
  const name = nameNode.value;
  const annotations = member(entry, 'annotations');
  // Without a description, the display title (the tool's own, then the annotation's) says most.
  const description = stringMember(entry, 'description') ?? stringMember(entry, 'title') ?? stringMember(annotations, 'title');
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    args: readArgs(name, entry, reporter),
    labels: labelsFromAnnotations(annotations),
  };
}

function readArgs(toolName: string, entry: JsonNode, reporter: ImportReporter): CatalogArg[] {
  const schema = member(entry, 'inputSchema');
  if (schema?.kind !== 'object') {
    const problem = schema === undefined ? 'has no `inputSchema`' : `has ${describeJsonKind(schema)} as its \`inputSchema\``;
    reporter.report('importUnsupportedSchema', headSpan(schema ?? entry), `tool \`${toolName}\` ${problem}; it is imported without arguments`);
    return [];
  }
  const properties = member(schema, 'properties');
  if (properties === undefined) return [];
  if (properties.kind !== 'object') {
    reporter.report('importUnsupportedSchema', headSpan(properties), `tool \`${toolName}\`: \`properties\` is ${describeJsonKind(properties)}; it is imported without arguments`);
    return [];
  }
  const requiredNode = member(schema, 'required');
  const required = new Set(requiredNode?.kind === 'array' ? requiredNode.items.flatMap((item) => (item.kind === 'string' ? [item.value] : [])) : []);
  const args: CatalogArg[] = [];
  for (const [argName, argSchema] of properties.members) {
    const mapped = mapSchema(argSchema);
    if (mapped.problem !== undefined) {
      reporter.report(
        'importUnsupportedSchema',
        headSpan(argSchema),
        `tool \`${toolName}\`, argument \`${argName}\`: ${mapped.problem}; it becomes \`${renderType(mapped.type)}\``,
      );
    }
    args.push({ name: argName, optional: !required.has(argName) || mapped.nullable, type: mapped.type });
  }
  return args;
}

/**
 * Labels from MCP tool annotations, read with the defaults the MCP specification gives
 * (schema/2025-11-25/schema.ts, `interface ToolAnnotations`):
 * - readOnlyHint: "If true, the tool does not modify its environment. Default: false"
 * - destructiveHint: "If true, the tool may perform destructive updates to its environment.
 *   If false, the tool performs only additive updates. (This property is meaningful only when
 *   `readOnlyHint == false`) Default: true"
 * - idempotentHint: "If true, calling the tool repeatedly with the same arguments will have no
 *   additional effect on its environment. (This property is meaningful only when
 *   `readOnlyHint == false`) Default: false"
 * - openWorldHint: "If true, this tool may interact with an "open world" of external entities.
 *   If false, the tool's domain of interaction is closed. ... Default: true"
 * So a tool that says nothing is a destructive, open-world write. A hint that is not a JSON
 * boolean counts as absent, which always lands on the more cautious default.
 */
export function labelsFromAnnotations(annotations: JsonNode | undefined): string[] {
  const readOnly = booleanMember(annotations, 'readOnlyHint') === true;
  const labels: string[] = [readOnly ? MCP_LABELS.readOnly : MCP_LABELS.write];
  if (!readOnly && booleanMember(annotations, 'destructiveHint') !== false) labels.push(MCP_LABELS.destructive);
  if (booleanMember(annotations, 'idempotentHint') === true) labels.push(MCP_LABELS.idempotent);
  if (booleanMember(annotations, 'openWorldHint') !== false) labels.push(MCP_LABELS.openWorld);
  return labels;
}

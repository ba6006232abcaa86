// Catalog import entry point: detects the file's format and hands it to the right importer.

import { invalidJsonDiagnostic, type CatalogImportResult } from './catalogModel';
import { importAgentDojoTree } from './agentdojoImport';
import { importMcpTree } from './mcpImport';
import { parseJsonTree, type JsonNode } from './jsonTree';

export type CatalogFormat = 'mcp' | 'agentdojo';

export interface CatalogImportOptions {
  /** Path of the file, stamped on diagnostics. */
  readonly file?: string;
  /** AgentDojo only: import just this suite. */
  readonly suite?: string;
}

/**
 * Imports a tool catalog from an MCP `tools/list` response (or tool list) or an AgentDojo
 * tools.json, whichever the text is. Text that is not JSON at all reports format `mcp`.
 */
export function importCatalog(jsonText: string, opts: CatalogImportOptions = {}): CatalogImportResult & { format: CatalogFormat } {
  const parsed = parseJsonTree(jsonText);
  if (!parsed.ok) return { value: [], diagnostics: [invalidJsonDiagnostic(parsed, opts.file)], format: 'mcp' };
  const format = detectCatalogFormat(parsed.value);
  const result =
    format === 'agentdojo'
      ? importAgentDojoTree(parsed.value, opts.suite, opts.file)
      : importMcpTree(parsed.value, opts.file);
  return { ...result, format };
}

/** Keys that mark an object as MCP (a response, a result or a tool), never an AgentDojo suite map. */
const MCP_KEYS = ['jsonrpc', 'result', 'error', 'tools', 'name', 'inputSchema'];

/**
 * AgentDojo when the document is a non-empty object whose every member is an array (suite name →
 * tools) and none of its keys is an MCP one; MCP otherwise (its importer reports what is wrong).
 */
export function detectCatalogFormat(root: JsonNode): CatalogFormat {
  if (root.kind !== 'object' || root.members.size === 0) return 'mcp';
  if (MCP_KEYS.some((key) => root.members.has(key))) return 'mcp';
  return [...root.members.values()].every((value) => value.kind === 'array') ? 'agentdojo' : 'mcp';
}

export type { CatalogArg, CatalogImportResult, CatalogTool, CatalogType } from './catalogModel';
export { MCP_LABELS } from './catalogModel';
export { importAgentDojoTools } from './agentdojoImport';
export { importMcpTools } from './mcpImport';
export { renderCatalog, renderName, renderType, quoteString, summarizeDescription } from './renderCatalog';

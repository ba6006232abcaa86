// AgentDojo `tools.json` (`{"<suite>": [{"name", "args": [{"name", "type", "optional"}]}]}`) →
// catalog tools. AgentDojo has no annotations, so the tools carry no labels.

import { ImportReporter, invalidJsonDiagnostic, type CatalogArg, type CatalogImportResult, type CatalogTool } from './catalogModel';
import { mapPythonType } from './pythonType';
import { renderType } from './renderCatalog';
import { booleanMember, describeJsonKind, headSpan, member, parseJsonTree, type JsonNode } from './jsonTree';

/**
 * Reads an AgentDojo tools.json. With `suite`, only that suite's tools; without, every suite's
 * tools in file order, a name seen in an earlier suite keeping its first definition.
 */
export function importAgentDojoTools(jsonText: string, suite?: string, file?: string): CatalogImportResult {
  const parsed = parseJsonTree(jsonText);
  if (!parsed.ok) return { value: [], diagnostics: [invalidJsonDiagnostic(parsed, file)] };
  return importAgentDojoTree(parsed.value, suite, file);
}

/** `importAgentDojoTools` on an already parsed document. */
export function importAgentDojoTree(root: JsonNode, suite?: string, file?: string): CatalogImportResult {
  const reporter = new ImportReporter(file);
  const tools: CatalogTool[] = [];
  if (root.kind !== 'object' || ![...root.members.values()].every((value) => value.kind === 'array')) {
    reporter.report(
      'importNotCatalog',
      headSpan(root),
      'not an AgentDojo tools file: expected an object mapping each suite name to an array of tools',
    );
    return { value: tools, diagnostics: reporter.diagnostics };
  }
  const suites = [...root.members.keys()];
  if (suite !== undefined && !root.members.has(suite)) {
    reporter.report('importNotCatalog', headSpan(root), `the file has no suite \`${suite}\``, `its suites are ${suites.map((name) => `\`${name}\``).join(', ') || 'none'}`);
    return { value: tools, diagnostics: reporter.diagnostics };
  }
  const seen = new Set<string>();
  for (const [suiteName, entries] of root.members) {
    if (suite !== undefined && suiteName !== suite) continue;
    if (entries.kind !== 'array') continue;
    entries.items.forEach((entry, index) => {
      const tool = readTool(entry, suiteName, index, reporter);
      if (!tool || seen.has(tool.name)) return; // repeated across suites: the first definition wins
      seen.add(tool.name);
      tools.push(tool);
    });
  }
  return { value: tools, diagnostics: reporter.diagnostics };
}

function readTool(entry: JsonNode, suite: string, index: number, reporter: ImportReporter): CatalogTool | undefined {
  const where = `suite \`${suite}\`, tool entry ${index + 1}`;
  if (entry.kind !== 'object') {
    reporter.report('importInvalidTool', headSpan(entry), `${where} is ${describeJsonKind(entry)}, not an object; it is skipped`);
    return undefined;
  }
  const nameNode = member(entry, 'name');
  if (nameNode?.kind !== 'string' || nameNode.value === '') {
    reporter.report('importInvalidTool', headSpan(nameNode ?? entry), `${where} has no usable \`name\`; it is skipped`, 'every tool needs a non-empty string `name`');
    return undefined;
  }
  return { name: nameNode.value, args: readArgs(nameNode.value, entry, reporter), labels: [] };
}

function readArgs(toolName: string, entry: JsonNode, reporter: ImportReporter): CatalogArg[] {
  const argsNode = member(entry, 'args');
  if (argsNode === undefined) return [];
  if (argsNode.kind !== 'array') {
    reporter.report('importUnsupportedSchema', headSpan(argsNode), `tool \`${toolName}\`: \`args\` is ${describeJsonKind(argsNode)}; it is imported without arguments`);
    return [];
  }
  const args: CatalogArg[] = [];
  const seen = new Set<string>();
  argsNode.items.forEach((argNode, index) => {
    const nameNode = member(argNode, 'name');
    if (nameNode?.kind !== 'string' || nameNode.value === '' || seen.has(nameNode.value)) {
      const problem = nameNode?.kind === 'string' && nameNode.value !== '' ? `repeats \`${nameNode.value}\`` : 'has no usable `name`';
      reporter.report('importUnsupportedSchema', headSpan(argNode), `tool \`${toolName}\`, argument ${index + 1} ${problem}; it is skipped`);
      return;
    }
    seen.add(nameNode.value);
    const typeNode = member(argNode, 'type');
    const mapped = typeNode?.kind === 'string' ? mapPythonType(typeNode.value) : { type: { kind: 'any' } as const, nullable: false, problem: 'no `type` given' };
    if (mapped.problem !== undefined) {
      reporter.report(
        'importUnsupportedSchema',
        headSpan(typeNode ?? argNode),
        `tool \`${toolName}\`, argument \`${nameNode.value}\`: ${mapped.problem}; it becomes \`${renderType(mapped.type)}\``,
      );
    }
    args.push({ name: nameNode.value, optional: booleanMember(argNode, 'optional') === true || mapped.nullable, type: mapped.type });
  });
  return args;
}

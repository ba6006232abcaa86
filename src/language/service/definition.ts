// Go to definition: from a name to where it is declared, in any file of the scope.

import type { Declaration, Name } from '../ast';
import { matchToolNames, resolveSelector, type SymbolTable, type ToolSymbol } from '../symbols';
import { occurrenceAt, occurrencesOf, type Occurrence } from './occurrences';
import type { ServiceScope } from './serviceScope';
import type { Location } from './types';

/** Declaration locations of the name at `offset`; empty when it names nothing declared. */
export function definition(scope: ServiceScope, offset: number): Location[] {
  const occurrence = occurrenceAt(occurrencesOf(scope.file), offset);
  return occurrence ? definitionsOf(scope, occurrence) : [];
}

function definitionsOf(scope: ServiceScope, occurrence: Occurrence): Location[] {
  const { symbols } = scope;
  switch (occurrence.kind) {
    case 'tool':
      return toolsNamed(symbols, occurrence.name, occurrence.glob === true).map((tool) => at(tool.declaration.file, tool.declaration.node.name));
    case 'label': {
      const entry = symbols.labels.get(occurrence.name);
      if (!entry) return [];
      if (entry.declarations.length > 0) return entry.declarations.map((each) => at(each.file, each.node.name));
      // An undeclared label lives where tools list it.
      return [...symbols.tools.values()].flatMap((tool) =>
        tool.declaration.node.labels.filter((label) => label.value === occurrence.name).map((label) => at(tool.declaration.file, label)),
      );
    }
    case 'role':
    case 'agent':
    case 'human':
    case 'set':
      return declarationsNamed(symbols, DECLARATION_KINDS[occurrence.kind], occurrence.name);
    case 'ruleId':
      return symbols.rules.filter((rule) => rule.explicitId && rule.id === occurrence.name && rule.node.id).map((rule) => at(rule.file, rule.node.id!));
    case 'argument':
      return argumentsNamed(resolveSelector(occurrence.selector, symbols), occurrence.name);
    case 'toolArgument': {
      const tool = symbols.tools.get(occurrence.tool);
      return tool ? argumentsNamed([tool], occurrence.name) : [];
    }
    case 'contextField':
      return symbols.contextDeclarations.flatMap((each) => each.node.fields.filter((field) => field.name.value === occurrence.name).map((field) => at(each.file, field.name)));
    case 'import':
      return scope.textOf(occurrence.path) !== undefined ? [{ file: occurrence.path, span: { start: 0, end: 0 } }] : [];
    default:
      return [];
  }
}

const DECLARATION_KINDS = { role: 'Role', agent: 'Agent', human: 'Human', set: 'Set' } as const;

function at(file: string, name: Name): Location {
  return { file, span: name.span };
}

/** Every declaration of a kind with the name (duplicates included, so both can be visited). */
function declarationsNamed(symbols: SymbolTable, kind: 'Role' | 'Agent' | 'Human' | 'Set', name: string): Location[] {
  return symbols.declarations.flatMap(({ file, node }) => (hasName(node, kind) && node.name.value === name ? [at(file, node.name)] : []));
}

function hasName(node: Declaration, kind: string): node is Extract<Declaration, { name: Name }> {
  return node.kind === kind;
}

function toolsNamed(symbols: SymbolTable, name: string, glob: boolean): ToolSymbol[] {
  if (!glob) {
    const tool = symbols.tools.get(name);
    return tool ? [tool] : [];
  }
  return matchToolNames(name, symbols.tools.keys()).map((match) => symbols.tools.get(match)!);
}

function argumentsNamed(tools: readonly ToolSymbol[], name: string): Location[] {
  return tools.flatMap((tool) => {
    const arg = tool.args.get(name);
    return arg ? [at(tool.declaration.file, arg.field.name)] : [];
  });
}

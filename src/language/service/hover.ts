// Hover: what the word under the cursor is, in a few lines of markdown. Names show their
// declarations, rules read as a sentence, keywords show their documentation.

import { PATH_ROOTS } from '../ast';
import { ROOT_FIELDS } from '../checkExpressions';
import { lex } from '../lexer';
import { describeType, matchToolNames, resolveSelector, type SymbolTable } from '../symbols';
import { code, durationWords, fieldText, listPreview, ruleSummary, rulesNaming, toolDocumentation, toolSignature } from './describe';
import { keywordDoc } from './keywordDocs';
import { occurrenceAt, occurrencesOf, type Occurrence } from './occurrences';
import type { ServiceScope } from './serviceScope';
import type { Hover } from './types';

/** The hover at `offset`, or undefined over whitespace, comments and punctuation. */
export function hover(scope: ServiceScope, offset: number): Hover | undefined {
  const occurrence = occurrenceAt(occurrencesOf(scope.file), offset);
  if (occurrence) {
    const contents = describeOccurrence(scope, occurrence);
    if (contents) return { contents, span: occurrence.span };
  }
  return keywordHover(scope.file.text, offset);
}

function keywordHover(text: string, offset: number): Hover | undefined {
  // No token spans lines, so lexing the cursor's line finds the word under it.
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const lineEnd = text.slice(offset).search(/[\r\n]/);
  const tokens = lex(text.slice(lineStart, lineEnd < 0 ? text.length : offset + lineEnd)).tokens;
  const at = offset - lineStart;
  const token = tokens.find((each) => each.span.start <= at && at < each.span.end) ?? tokens.find((each) => each.span.end === at && each.span.start < at);
  if (!token || token.kind !== 'Ident') return undefined;
  const doc = keywordDoc(token.text);
  const span = { start: token.span.start + lineStart, end: token.span.end + lineStart };
  return doc ? { contents: `**${token.text}**\n\n${doc}`, span } : undefined;
}

function describeOccurrence(scope: ServiceScope, occurrence: Occurrence): string | undefined {
  const { symbols } = scope;
  switch (occurrence.kind) {
    case 'tool':
      return describeTool(symbols, occurrence.name, occurrence.glob === true);
    case 'label': {
      const entry = symbols.labels.get(occurrence.name);
      if (!entry) return `unknown label ${code(occurrence.name)}`;
      const description = entry.declarations.find((each) => each.node.description)?.node.description?.value;
      const carriers = entry.tools.size > 0 ? `carried by ${[...entry.tools].map(code).join(', ')}` : 'no tool carries it yet';
      return join(`**label** ${code(occurrence.name)}`, description, carriers);
    }
    case 'role':
      return describeRole(symbols, occurrence.name);
    case 'agent': {
      const agent = symbols.agents.get(occurrence.name)?.node;
      if (!agent) return `unknown agent ${code(occurrence.name)}`;
      const facts = [agent.owner && `owner ${code(agent.owner.value)}`, agent.tier && `tier ${code(agent.tier.value)}`, agent.roles.length > 0 && `roles ${agent.roles.map((role) => code(role.value)).join(', ')}`];
      return join(`**agent** ${code(occurrence.name)}`, agent.description?.value, facts.filter(Boolean).join(' · '), countRules(rulesNaming(symbols, 'agent', occurrence.name), 'this agent'));
    }
    case 'human': {
      const human = symbols.humans.get(occurrence.name)?.node;
      if (!human) return `unknown human ${code(occurrence.name)}`;
      const roles = human.roles.length > 0 ? `roles ${human.roles.map((role) => code(role.value)).join(', ')}` : 'no roles';
      return join(`**human** ${code(occurrence.name)}`, human.description?.value, roles, countRules(rulesNaming(symbols, 'human', occurrence.name), 'this human'));
    }
    case 'set': {
      const set = symbols.sets.get(occurrence.name)?.node;
      return set ? `**set** ${code(occurrence.name)} = ${code(listPreview(set.value))}` : `unknown set ${code(occurrence.name)}`;
    }
    case 'ruleId': {
      const rules = symbols.rules.filter((rule) => rule.explicitId && rule.id === occurrence.name);
      if (rules.length === 0) return `unknown rule id ${code(occurrence.name)}`;
      return rules.map((rule) => `**rule** ${code(rule.id)}: ${ruleSummary(rule.node, scope.textOf(rule.file) ?? '', rule.role)}`).join('\n\n');
    }
    case 'rule': {
      const title = occurrence.rule.id ? `**rule** ${code(occurrence.rule.id.value)}` : `**${occurrence.rule.kind === 'Rule' ? 'rule' : occurrence.rule.kind.toLowerCase()}**`;
      return `${title}: ${ruleSummary(occurrence.rule, scope.file.text, occurrence.role)}`;
    }
    case 'tier':
      return join(`**tier** ${code(occurrence.name)}`, keywordDoc(occurrence.name) ?? 'not a risk tier: use low, medium, high or critical');
    case 'approver': {
      const count = symbols.rules.filter((rule) => rule.node.kind === 'Rule' && rule.node.approver?.value === occurrence.name).length;
      return join(`**approver group** ${code(occurrence.name)}`, `asked by ${count} rule${count === 1 ? '' : 's'}`);
    }
    case 'test':
      return `**test** ${code(occurrence.name)}`;
    case 'argument':
      return describeArgument(symbols, occurrence.name, resolveSelector(occurrence.selector, symbols).map((tool) => tool.name));
    case 'toolArgument':
      return describeArgument(symbols, occurrence.name, [occurrence.tool]);
    case 'contextField': {
      const field = symbols.context?.get(occurrence.name);
      return field ? join(`**context field** ${code(fieldText(field.node))}`, PATH_ROOTS.context) : `undeclared context field ${code(occurrence.name)}`;
    }
    case 'pathRoot':
      return Object.hasOwn(PATH_ROOTS, occurrence.root) ? `${code(occurrence.root)}: ${PATH_ROOTS[occurrence.root as keyof typeof PATH_ROOTS]}` : undefined;
    case 'pathField': {
      const type = ROOT_FIELDS[occurrence.root]?.[occurrence.field];
      return type ? `${code(`${occurrence.root}.${occurrence.field}`)}: ${code(describeType(type))}` : `${code(occurrence.root)} has no field ${code(occurrence.field)}`;
    }
    case 'duration':
      return `${code(occurrence.raw)} = ${durationWords(occurrence.raw)}`;
    case 'import':
      return scope.textOf(occurrence.path) !== undefined ? `imports ${code(occurrence.path)}` : `${code(occurrence.path)} is not in the workspace`;
  }
}

function describeTool(symbols: SymbolTable, name: string, glob: boolean): string {
  if (glob) {
    const matches = matchToolNames(name, symbols.tools.keys());
    return join(`**pattern** ${code(name)}`, matches.length > 0 ? `matches ${matches.map(code).join(', ')}` : 'matches no tool in the catalog');
  }
  const tool = symbols.tools.get(name);
  if (!tool) return `unknown tool ${code(name)}`;
  return join(`\`\`\`gate\ntool ${toolSignature(tool)}\n\`\`\``, toolDocumentation(tool));
}

function describeRole(symbols: SymbolTable, name: string): string {
  const role = symbols.roles.get(name)?.node;
  if (!role) return `unknown role ${code(name)}`;
  const own = role.rules.filter((rule) => rule.kind !== 'Error').length;
  const naming = rulesNaming(symbols, 'role', name);
  const holders = [
    ...[...symbols.agents].filter(([, agent]) => agent.node.roles.some((each) => each.value === name)).map(([agent]) => `agent ${code(agent)}`),
    ...[...symbols.humans].filter(([, human]) => human.node.roles.some((each) => each.value === name)).map(([human]) => `human ${code(human)}`),
  ];
  return join(
    `**role** ${code(name)}`,
    role.description?.value,
    `${own} rule${own === 1 ? '' : 's'} in the role${naming > 0 ? `, ${naming} more naming it` : ''}`,
    holders.length > 0 ? `held by ${holders.join(', ')}` : 'held by no agent or human',
  );
}

function describeArgument(symbols: SymbolTable, name: string, toolNames: readonly string[]): string {
  const lines = toolNames.map((toolName) => {
    const tool = symbols.tools.get(toolName);
    const arg = tool?.args.get(name);
    if (arg) return `${code(toolName)}: ${code(fieldText(arg.field))}`;
    return `${code(toolName)}: ${tool ? 'no such argument' : 'not in the catalog'}`;
  });
  return join(`**argument** ${code(name)}`, lines.length > 0 ? lines.join('  \n') : 'the rule selects no known tool');
}

function countRules(count: number, what: string): string {
  return `${count} rule${count === 1 ? ' names' : 's name'} ${what}`;
}

function join(...parts: (string | false | undefined)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join('\n\n');
}

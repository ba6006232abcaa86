// Completions of declared names: tools, labels, roles, agents, humans, sets, rule ids, approver
// groups, tiers, types and import paths, each with a one-line detail and a short description.

import { TIERS } from '../checker';
import { resolveImportPath, type SymbolTable } from '../symbols';
import type { CompletionScope, DraftItem } from './completionItems';
import { code, listPreview, nameSource, oneLine, ruleSummary, rulesNaming, toolDocumentation, toolSignature } from './describe';
import { keywordDoc } from './keywordDocs';
import type { NameKind } from './wants';

const TYPE_NAMES = ['string', 'number', 'int', 'bool', 'object', 'any'];

/** Completion items for the names of one kind in the file's scope. */
export function nameItems(scope: CompletionScope, of: NameKind): DraftItem[] {
  const { symbols } = scope;
  switch (of) {
    case 'tool':
      return [...symbols.tools.values()].map((tool) =>
        named(tool.name, 'tool', tool.declaration.node.name.quoted, toolSignature(tool), toolDocumentation(tool)),
      );
    case 'label':
      return [...symbols.labels].map(([label, entry]) => {
        const description = entry.declarations.find((each) => each.node.description)?.node.description?.value;
        const carriers = entry.tools.size > 0 ? `carried by ${[...entry.tools].map(code).join(', ')}` : 'no tool carries it yet';
        return named(label, 'label', entry.declarations[0]?.node.name.quoted ?? false, `label · ${plural(entry.tools.size, 'tool')}`, description ? `${description}\n\n${carriers}` : carriers);
      });
    case 'role':
      return [...symbols.roles].map(([role, { node }]) => {
        const count = node.rules.filter((rule) => rule.kind !== 'Error').length + rulesNaming(symbols, 'role', role);
        return named(role, 'role', node.name.quoted, `role · ${plural(count, 'rule')}`, node.description?.value);
      });
    case 'agent':
      return [...symbols.agents].map(([agent, { node }]) => {
        const facts = [node.tier && `tier ${node.tier.value}`, node.roles.length > 0 && `roles ${node.roles.map((role) => role.value).join(', ')}`].filter(Boolean);
        return named(agent, 'agent', node.name.quoted, ['agent', ...facts].join(' · '), [node.owner && `owner ${code(node.owner.value)}`, node.description?.value].filter(Boolean).join('\n\n') || undefined);
      });
    case 'human':
      return [...symbols.humans].map(([human, { node }]) =>
        named(human, 'human', node.name.quoted, node.roles.length > 0 ? `human · roles ${node.roles.map((role) => role.value).join(', ')}` : 'human', node.description?.value),
      );
    case 'set':
      return [...symbols.sets].map(([set, { node }]) => ({
        label: set,
        kind: 'set',
        insertText: set,
        detail: oneLine(listPreview(node.value), 60),
        documentation: `set ${code(set)}: ${plural(node.value.items.length, 'value')}`,
      }));
    case 'tier':
      return TIERS.map((tier) => ({ label: tier, kind: 'value', insertText: tier, name: tier, detail: 'risk tier', ...(keywordDoc(tier) ? { documentation: keywordDoc(tier)! } : {}) }));
    case 'approver':
      return approverGroups(symbols).map((group) => named(group, 'value', false, 'approver group'));
    case 'ruleId':
      return symbols.rules
        .filter((rule) => rule.explicitId)
        .map((rule) => named(rule.id, 'value', rule.node.id?.quoted ?? false, 'rule id', ruleSummary(rule.node, scope.textOf(rule.file) ?? '', rule.role)));
    case 'type':
      return [
        ...TYPE_NAMES.map((type): DraftItem => ({ label: type, kind: 'keyword', insertText: type, documentation: keywordDoc(type) ?? '' })),
        { label: 'list', kind: 'keyword', insertText: 'list<${1:string}>', snippet: true, documentation: keywordDoc('list') ?? '' },
      ];
    case 'import':
      return importPaths(scope).map((path) => ({ label: path, kind: 'value', insertText: JSON.stringify(path), detail: 'workspace file', name: path }));
  }
}

function named(name: string, kind: DraftItem['kind'], quoted: boolean, detail?: string, documentation?: string): DraftItem {
  return {
    label: name,
    kind,
    insertText: nameSource(name, quoted),
    name,
    ...(detail ? { detail } : {}),
    ...(documentation ? { documentation } : {}),
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function approverGroups(symbols: SymbolTable): string[] {
  const groups = new Set<string>();
  for (const rule of symbols.rules) if (rule.node.kind === 'Rule' && rule.node.approver) groups.add(rule.node.approver.value);
  return [...groups];
}

/** Other workspace files, written relative to the current file's folder. */
function importPaths(scope: CompletionScope): string[] {
  const from = scope.file.path;
  const folder = from.split('/').slice(0, -1);
  return scope.paths
    .filter((path) => path !== from && path.endsWith('.gate'))
    .map((path) => {
      const parts = path.split('/');
      let common = 0;
      while (common < folder.length && common < parts.length - 1 && folder[common] === parts[common]) common++;
      const relative = [...folder.slice(common).map(() => '..'), ...parts.slice(common)].join('/');
      return relative.startsWith('..') ? relative : `./${relative}`;
    })
    .filter((relative) => resolveImportPath(from, relative) !== from);
}

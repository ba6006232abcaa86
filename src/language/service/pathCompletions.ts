// Completions inside conditions: path roots, the fields after `args.`, `agent.`, `context.` and
// the other roots, and literal values that fit the left side of a comparison.

import { PATH_ROOTS, type GrantDecl, type LimitDecl, type Name, type Rule, type SourceFile, type ToolSelector } from '../ast';
import { ROOT_FIELDS, WEEKDAYS } from '../checkExpressions';
import { describeType, resolveSelector, typeOf, type ToolSymbol, type ValueType } from '../symbols';
import type { CompletionScope, DraftItem } from './completionItems';
import { code } from './describe';
import type { PathSketch, TargetSketch } from './wants';

/** The path roots a condition may start with. */
export function pathRootItems(): DraftItem[] {
  return Object.entries(PATH_ROOTS).map(([root, doc]) => ({ label: root, kind: 'keyword', insertText: root, detail: 'path root', documentation: doc }));
}

/** The fields that may follow `root.` (only the first level has known fields). */
export function pathFieldItems(scope: CompletionScope, path: PathSketch, target: TargetSketch | undefined): DraftItem[] {
  if (path.fields.length > 0) return [];
  if (path.root === 'args') return argumentItems(targetTools(scope, target));
  if (path.root === 'context') {
    return [...(scope.symbols.context ?? new Map()).values()].map(({ node }) => ({
      label: node.name.value,
      kind: 'field',
      insertText: node.name.value,
      detail: describeType(typeOf(node.type)),
      documentation: `context field ${code(node.name.value)}`,
    }));
  }
  const fields = ROOT_FIELDS[path.root] ?? {};
  return Object.entries(fields).map(([field, type]) => ({
    label: field,
    kind: 'field',
    insertText: field,
    detail: describeType(type),
    documentation: `${code(`${path.root}.${field}`)}: ${PATH_ROOTS[path.root as keyof typeof PATH_ROOTS] ?? ''}`,
  }));
}

/** The arguments of the given tools, one item per name, with their types. */
export function argumentItems(tools: readonly ToolSymbol[], suffix = ''): DraftItem[] {
  const byName = new Map<string, { types: Set<string>; tools: string[]; optional: boolean }>();
  for (const tool of tools) {
    for (const [name, arg] of tool.args) {
      let entry = byName.get(name);
      if (!entry) byName.set(name, (entry = { types: new Set(), tools: [], optional: false }));
      entry.types.add(describeType(arg.type));
      entry.tools.push(tool.name);
      entry.optional ||= arg.optional;
    }
  }
  return [...byName].map(([name, entry]) => ({
    label: name,
    kind: 'argument',
    insertText: `${name}${suffix}`,
    detail: `${[...entry.types].join(' / ')}${entry.optional ? ' (optional)' : ''}`,
    documentation: `argument of ${entry.tools.map(code).join(', ')}`,
  }));
}

/** Literal values that fit a comparison with `path` on the left (enum members, weekdays, tiers). */
export function valueItems(scope: CompletionScope, path: PathSketch, target: TargetSketch | undefined): DraftItem[] {
  return literalItems(pathTypes(scope, path, target));
}

/** Items for the members of enum-like types. */
export function literalItems(types: readonly ValueType[]): DraftItem[] {
  const values = new Set<string | number>();
  for (const type of types) {
    if (type.kind === 'enum') type.values.forEach((value) => values.add(value));
    if (type.kind === 'weekday') WEEKDAYS.forEach((day) => values.add(day));
  }
  return [...values].map((value) => ({ label: JSON.stringify(value), kind: 'value', insertText: JSON.stringify(value), detail: 'value' }));
}

function pathTypes(scope: CompletionScope, path: PathSketch, target: TargetSketch | undefined): ValueType[] {
  const [field] = path.fields;
  if (field === undefined || path.fields.length > 1) return [];
  if (path.root === 'args') return targetTools(scope, target).flatMap((tool) => (tool.args.has(field) ? [tool.args.get(field)!.type] : []));
  if (path.root === 'context') {
    const declared = scope.symbols.context?.get(field);
    return declared ? [typeOf(declared.node.type)] : [];
  }
  const type = ROOT_FIELDS[path.root]?.[field];
  return type ? [type] : [];
}

/** The tools the rule around the cursor selects: from the parse tree, else from the tokens read. */
function targetTools(scope: CompletionScope, sketch: TargetSketch | undefined): ToolSymbol[] {
  const rule = ruleAt(scope.file, scope.offset);
  if (rule && rule.target.kind !== 'MissingTarget') return resolveSelector(rule.target, scope.symbols);
  return sketch ? resolveSelector(selectorOf(sketch), scope.symbols) : [];
}

/** The innermost rule, limit or grant whose text contains `offset` (its end included). */
export function ruleAt(file: SourceFile, offset: number): Rule | LimitDecl | GrantDecl | undefined {
  let found: Rule | LimitDecl | GrantDecl | undefined;
  const contains = (node: { span: { start: number; end: number } }) => node.span.start <= offset && offset <= node.span.end;
  for (const declaration of file.declarations) {
    if (!contains(declaration)) continue;
    if (declaration.kind === 'Rule' || declaration.kind === 'Limit' || declaration.kind === 'Grant') found = declaration;
    if (declaration.kind === 'Role') {
      for (const rule of declaration.rules) if (rule.kind !== 'Error' && contains(rule)) found = rule;
    }
  }
  return found;
}

function selectorOf(sketch: TargetSketch): ToolSelector {
  const span = { start: 0, end: 0 };
  const names: Name[] = sketch.names.map((value) => ({ kind: 'Name', span, value, quoted: false, glob: /[*?]/.test(value) }));
  if (sketch.kind === 'any') return { kind: 'AnyToolTarget', span };
  return sketch.kind === 'tool' ? { kind: 'ToolTarget', span, tools: names } : { kind: 'LabelTarget', span, labels: names };
}


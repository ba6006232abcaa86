// Every place a file names something: declarations and uses of tools, labels, roles, agents,
// humans, sets, rule ids, arguments and context fields, plus rule heads, paths and durations.
// Hover and go-to-definition pick the occurrence under the cursor.

import type { Declaration, Expr, GrantDecl, LimitDecl, Name, PrincipalSelector, Rule, SourceFile, Span, TestStep, ToolSelector } from '../ast';
import { resolveImportPath } from '../symbols';

export type NamedKind = 'tool' | 'label' | 'role' | 'agent' | 'human' | 'set' | 'ruleId';

export type Occurrence = { readonly span: Span } & (
  | { readonly kind: NamedKind; readonly name: string; readonly declaration: boolean; readonly glob?: boolean }
  | { readonly kind: 'tier' | 'approver' | 'test'; readonly name: string }
  | { readonly kind: 'rule'; readonly rule: Rule | LimitDecl | GrantDecl; readonly role: string | undefined }
  /** `args.x` in a condition: `selector` is the rule's target. */
  | { readonly kind: 'argument'; readonly name: string; readonly selector: ToolSelector }
  /** An argument declared in a tool, or passed in a test call. */
  | { readonly kind: 'toolArgument'; readonly name: string; readonly tool: string; readonly declaration: boolean }
  | { readonly kind: 'contextField'; readonly name: string; readonly declaration: boolean }
  | { readonly kind: 'pathRoot'; readonly root: string }
  | { readonly kind: 'pathField'; readonly root: string; readonly field: string }
  | { readonly kind: 'duration'; readonly raw: string }
  | { readonly kind: 'import'; readonly path: string }
);

const cache = new WeakMap<SourceFile, readonly Occurrence[]>();

/** All occurrences in a file, in no particular order (computed once per parsed file). */
export function occurrencesOf(file: SourceFile): readonly Occurrence[] {
  let found = cache.get(file);
  if (!found) cache.set(file, (found = collectOccurrences(file)));
  return found;
}

function collectOccurrences(file: SourceFile): Occurrence[] {
  const found: Occurrence[] = [];
  const name = (kind: NamedKind, node: Name | undefined, declaration = false): void => {
    if (node && node.value !== '') found.push({ kind, span: node.span, name: node.value, declaration, glob: node.glob });
  };
  const rule = (node: Rule | LimitDecl | GrantDecl, role: string | undefined): void => {
    const head = node.kind === 'Rule' ? node.effectSpan : { start: node.span.start, end: node.span.start + node.kind.length };
    found.push({ kind: 'rule', span: head, rule: node, role });
    if (node.kind === 'Rule' && node.approver) found.push({ kind: 'approver', span: node.approver.span, name: node.approver.value });
    selector(found, node.target);
    if (node.kind === 'Grant') principal(found, node.principal);
    else if (node.principal) principal(found, node.principal);
    if (node.when) expression(found, node.when, node.target);
    if (node.kind === 'Rule' && node.after) {
      selector(found, node.after.source);
      if (node.after.within) found.push({ kind: 'duration', span: node.after.within.span, raw: node.after.within.raw });
    }
    if (node.kind === 'Limit') found.push({ kind: 'duration', span: node.window.span, raw: node.window.raw });
    if (node.kind === 'Grant' && node.duration) found.push({ kind: 'duration', span: node.duration.span, raw: node.duration.raw });
    name('ruleId', node.id, true);
  };
  for (const declaration of file.declarations) collectDeclaration(file, declaration, found, name, rule);
  return found;
}

type NameSink = (kind: NamedKind, node: Name | undefined, declaration?: boolean) => void;
type RuleSink = (node: Rule | LimitDecl | GrantDecl, role: string | undefined) => void;

function collectDeclaration(file: SourceFile, declaration: Declaration, found: Occurrence[], name: NameSink, rule: RuleSink): void {
  switch (declaration.kind) {
    case 'Import':
      found.push({ kind: 'import', span: declaration.path.span, path: resolveImportPath(file.path, declaration.path.value) });
      break;
    case 'Context':
      for (const field of declaration.fields) found.push({ kind: 'contextField', span: field.name.span, name: field.name.value, declaration: true });
      break;
    case 'Tool':
      name('tool', declaration.name, true);
      for (const field of declaration.args) found.push({ kind: 'toolArgument', span: field.name.span, name: field.name.value, tool: declaration.name.value, declaration: true });
      for (const label of declaration.labels) name('label', label);
      break;
    case 'Label':
      name('label', declaration.name, true);
      for (const tool of declaration.tools) name('tool', tool);
      break;
    case 'Set':
      name('set', declaration.name, true);
      expression(found, declaration.value, undefined);
      break;
    case 'Agent':
      name('agent', declaration.name, true);
      for (const role of declaration.roles) name('role', role);
      if (declaration.tier) found.push({ kind: 'tier', span: declaration.tier.span, name: declaration.tier.value });
      break;
    case 'Human':
      name('human', declaration.name, true);
      for (const role of declaration.roles) name('role', role);
      break;
    case 'Role':
      name('role', declaration.name, true);
      for (const each of declaration.rules) if (each.kind !== 'Error') rule(each, declaration.name.value);
      break;
    case 'Rule':
    case 'Limit':
    case 'Grant':
      rule(declaration, undefined);
      break;
    case 'Test':
      found.push({ kind: 'test', span: declaration.name.span, name: declaration.name.value });
      for (const step of declaration.steps) collectStep(step, found, name);
      break;
    case 'Timezone':
    case 'Error':
      break;
  }
}

function collectStep(step: TestStep, found: Occurrence[], name: NameSink): void {
  if (step.kind === 'TestSetting') {
    if (step.setting === 'agent' && step.value.kind === 'Name') name('agent', step.value);
    if (step.setting === 'on_behalf_of' && step.value.kind === 'Name') name('human', step.value);
    if (step.setting === 'context' && step.value.kind === 'Object') {
      for (const entry of step.value.entries) {
        found.push({ kind: 'contextField', span: entry.key.span, name: entry.key.value, declaration: false });
        expression(found, entry.value, undefined);
      }
    }
  } else if (step.kind === 'TestCall') {
    name('tool', step.tool);
    for (const entry of step.args?.entries ?? []) {
      found.push({ kind: 'toolArgument', span: entry.key.span, name: entry.key.value, tool: step.tool.value, declaration: false });
      expression(found, entry.value, undefined);
    }
    name('ruleId', step.expectRule);
    if (step.expectApprover) found.push({ kind: 'approver', span: step.expectApprover.span, name: step.expectApprover.value });
  }
}

function selector(found: Occurrence[], target: ToolSelector): void {
  if (target.kind === 'ToolTarget') for (const tool of target.tools) found.push({ kind: 'tool', span: tool.span, name: tool.value, declaration: false, glob: tool.glob });
  if (target.kind === 'LabelTarget') for (const label of target.labels) found.push({ kind: 'label', span: label.span, name: label.value, declaration: false });
}

function principal(found: Occurrence[], node: PrincipalSelector): void {
  for (const each of node.names) {
    if (node.principalKind === 'tier') found.push({ kind: 'tier', span: each.span, name: each.value });
    else found.push({ kind: node.principalKind, span: each.span, name: each.value, declaration: false });
  }
}

/** Walks an expression without recursion (long `and` chains nest deeply). */
function expression(found: Occurrence[], root: Expr, target: ToolSelector | undefined): void {
  const stack: Expr[] = [root];
  while (stack.length > 0) {
    const expr = stack.pop()!;
    switch (expr.kind) {
      case 'Binary':
        stack.push(expr.right, expr.left);
        break;
      case 'Not':
        stack.push(expr.operand);
        break;
      case 'From':
        stack.push(expr.value);
        selector(found, expr.source);
        break;
      case 'List':
        stack.push(...expr.items);
        break;
      case 'Object':
        stack.push(...expr.entries.map((entry) => entry.value));
        break;
      case 'SetRef':
        found.push({ kind: 'set', span: expr.name.span, name: expr.name.value, declaration: false });
        break;
      case 'Duration':
        found.push({ kind: 'duration', span: expr.span, raw: expr.raw });
        break;
      case 'Path': {
        const root = expr.root.value;
        found.push({ kind: 'pathRoot', span: expr.root.span, root });
        const [field] = expr.fields;
        if (!field) break;
        if (root === 'args' && target) found.push({ kind: 'argument', span: field.span, name: field.value, selector: target });
        else if (root === 'context') found.push({ kind: 'contextField', span: field.span, name: field.value, declaration: false });
        else if (root !== 'args') found.push({ kind: 'pathField', span: field.span, root, field: field.value });
        break;
      }
      default:
        break;
    }
  }
}

/** The occurrence under `offset`: one containing it, else one ending right at it; the smallest wins. */
export function occurrenceAt(occurrences: readonly Occurrence[], offset: number): Occurrence | undefined {
  let inside: Occurrence | undefined;
  let touching: Occurrence | undefined;
  const size = (occurrence: Occurrence) => occurrence.span.end - occurrence.span.start;
  for (const occurrence of occurrences) {
    const { start, end } = occurrence.span;
    if (start === end) continue;
    if (start <= offset && offset < end) {
      if (!inside || size(occurrence) < size(inside)) inside = occurrence;
    } else if (end === offset && (!touching || size(occurrence) < size(touching))) touching = occurrence;
  }
  return inside ?? touching;
}

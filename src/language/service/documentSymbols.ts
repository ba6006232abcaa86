// The outline of a file: its declarations with their parts (a tool's arguments, a role's
// rules), each with the span of the whole item and of its name.

import type { FieldDecl, GrantDecl, LimitDecl, Name, Rule, SourceFile, Span } from '../ast';
import { describeType, typeOf } from '../symbols';
import { durationWords, listPreview, oneLine, ruleTitle } from './describe';
import type { DocumentSymbol, SymbolKind } from './types';

/** Document symbols of a parsed file, in source order. */
export function documentSymbols(file: SourceFile): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const declaration of file.declarations) {
    switch (declaration.kind) {
      case 'Import':
        symbols.push(symbol(declaration.path.value, 'import', declaration.span, declaration.path.span));
        break;
      case 'Context':
        symbols.push(symbol('context', 'context', declaration.span, { start: declaration.span.start, end: declaration.span.start + 'context'.length }, undefined, declaration.fields.map((field) => fieldSymbol(field, 'context'))));
        break;
      case 'Tool':
        symbols.push(symbolOf(declaration.name, 'tool', declaration.span, declaration.labels.map((label) => label.value).join(', ') || undefined, declaration.args.map((field) => fieldSymbol(field, 'context'))));
        break;
      case 'Label':
        symbols.push(symbolOf(declaration.name, 'label', declaration.span, declaration.description?.value ?? (declaration.tools.map((tool) => tool.value).join(', ') || undefined)));
        break;
      case 'Set':
        symbols.push(symbolOf(declaration.name, 'set', declaration.span, oneLine(listPreview(declaration.value), 60)));
        break;
      case 'Agent':
        symbols.push(symbolOf(declaration.name, 'agent', declaration.span, [declaration.tier?.value, declaration.roles.map((role) => role.value).join(', ')].filter(Boolean).join(' · ') || undefined));
        break;
      case 'Human':
        symbols.push(symbolOf(declaration.name, 'human', declaration.span, declaration.roles.map((role) => role.value).join(', ') || undefined));
        break;
      case 'Role':
        symbols.push(symbolOf(declaration.name, 'role', declaration.span, declaration.description?.value, declaration.rules.flatMap((rule) => (rule.kind === 'Error' ? [] : [ruleSymbol(rule, file.text)]))));
        break;
      case 'Rule':
      case 'Limit':
      case 'Grant':
        symbols.push(ruleSymbol(declaration, file.text));
        break;
      case 'Test':
        symbols.push(symbol(declaration.name.value, 'test', declaration.span, declaration.name.span, `${declaration.steps.length} step${declaration.steps.length === 1 ? '' : 's'}`));
        break;
      case 'Timezone':
      case 'Error':
        break;
    }
  }
  return symbols;
}

function symbol(name: string, kind: SymbolKind, span: Span, selection: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  return {
    name: name === '' ? `(unnamed ${kind})` : name,
    kind,
    span,
    // The selection must lie within the span; a missing name sits at its end.
    selection: selection.start >= span.start && selection.end <= span.end ? selection : { start: span.start, end: span.start },
    ...(detail ? { detail } : {}),
    ...(children && children.length > 0 ? { children } : {}),
  };
}

function symbolOf(name: Name, kind: SymbolKind, span: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  return symbol(name.value, kind, span, name.span, detail, children);
}

/** Arguments and context fields have no symbol kind of their own; they are shown as `kind`. */
function fieldSymbol(field: FieldDecl, kind: SymbolKind): DocumentSymbol {
  return symbolOf(field.name, kind, field.span, `${field.optional ? 'optional ' : ''}${describeType(typeOf(field.type))}`);
}

function ruleSymbol(rule: Rule | LimitDecl | GrantDecl, text: string): DocumentSymbol {
  const kind: SymbolKind = rule.kind === 'Rule' ? 'rule' : rule.kind === 'Limit' ? 'limit' : 'grant';
  const head = rule.kind === 'Rule' ? rule.effectSpan : { start: rule.span.start, end: rule.span.start + kind.length };
  return symbol(ruleTitle(rule, text), kind, rule.span, rule.id && rule.id.value !== '' ? rule.id.span : head, ruleDetail(rule, text));
}

function ruleDetail(rule: Rule | LimitDecl | GrantDecl, text: string): string | undefined {
  if (rule.kind === 'Limit') return `${rule.count.raw} per ${durationWords(rule.window.raw)}`;
  if (rule.kind === 'Grant') return rule.duration ? `for ${durationWords(rule.duration.raw)}` : undefined;
  // With an id as the name, the head (`forbid tool x`) is the detail.
  return rule.id ? oneLine(text.slice(rule.span.start, rule.target.span.end), 60) : undefined;
}

// Plain-language renderings shared by completions, hover and document symbols: tool signatures,
// durations in words, names as they must be written, and one-sentence summaries of rules.

import type { DurationLit, Expr, FieldDecl, GrantDecl, LimitDecl, ListLit, Name, PrincipalSelector, Rule, ToolSelector } from '../ast';
import { CLAUSE_WORDS } from '../parserBase';
import { describeType, typeOf, type SymbolTable, type ToolSymbol } from '../symbols';

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

/** Whether `name` can be written without quotes where a name is expected. */
export function isBareName(name: string): boolean {
  return BARE_NAME.test(name) && !CLAUSE_WORDS.has(name);
}

/** A name as source text: bare when possible, quoted when needed or asked for. */
export function nameSource(name: string, quoted = false): string {
  return quoted || !isBareName(name) ? JSON.stringify(name) : name;
}

/** A list literal's items as short source text: `["a", "b", 3]`. */
export function listPreview(list: ListLit): string {
  const items = list.items.map((item) => (item.kind === 'String' ? JSON.stringify(item.value) : item.kind === 'Number' ? item.raw : item.kind === 'Bool' ? String(item.value) : '…'));
  return `[${items.join(', ')}]`;
}

/** Backticked code for markdown. */
export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** `recipient: string` or `note?: string`. */
export function fieldText(field: FieldDecl): string {
  return `${field.name.value}${field.optional ? '?' : ''}: ${describeType(typeOf(field.type))}`;
}

/** `send_money(recipient: string, amount: number)`. */
export function toolSignature(tool: ToolSymbol): string {
  return `${tool.name}(${tool.declaration.node.args.map(fieldText).join(', ')})`;
}

/** Description and labels of a tool, as markdown. */
export function toolDocumentation(tool: ToolSymbol): string {
  const parts: string[] = [];
  const description = tool.declaration.node.description?.value;
  if (description) parts.push(description);
  parts.push(tool.labels.size > 0 ? `labels: ${[...tool.labels].map(code).join(', ')}` : 'no labels');
  return parts.join('\n\n');
}

const UNIT_WORDS: Readonly<Record<string, string>> = { ms: 'millisecond', s: 'second', m: 'minute', h: 'hour', d: 'day' };

/** `15m` → "15 minutes", `1h` → "1 hour". */
export function durationWords(raw: string): string {
  const match = /^(-?[\d_.eE+]+)(ms|s|m|h|d)$/.exec(raw);
  if (!match) return raw;
  const amount = match[1]!.replace(/_/g, '');
  const unit = UNIT_WORDS[match[2]!]!;
  return `${amount} ${unit}${Number(amount) === 1 ? '' : 's'}`;
}

/** Collapses runs of whitespace, for one-line renderings of source text. */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function nameList(names: readonly Name[]): string {
  return names.map((name) => code(name.value)).join(', ');
}

/** "`send_money`", "tools labelled `payment`", "any tool". */
export function selectorWords(selector: ToolSelector): string {
  switch (selector.kind) {
    case 'ToolTarget':
      return selector.tools.length === 0 ? 'no tool' : nameList(selector.tools);
    case 'LabelTarget':
      return `tools labelled ${nameList(selector.labels)}`;
    case 'AnyToolTarget':
      return 'any tool';
    case 'MissingTarget':
      return '(missing tools)';
  }
}

function principalWords(principal: PrincipalSelector): string {
  return `${principal.principalKind} ${nameList(principal.names)}`;
}

function exprSource(text: string, expr: Expr): string {
  return code(oneLine(text.slice(expr.span.start, expr.span.end)));
}

function durationOf(lit: DurationLit | undefined): string {
  return lit ? durationWords(lit.raw) : '(missing duration)';
}

const EFFECT_VERBS: Readonly<Record<Rule['effect'], string>> = {
  permit: 'permits',
  forbid: 'forbids',
  monitor: 'monitors (warns about but never blocks)',
  approval: 'requires approval for',
};

/**
 * One sentence on what a rule, limit or grant does, e.g. "forbids `send_money` for agent
 * `payroll-validator` — because: payroll validation must never move money".
 */
export function ruleSummary(rule: Rule | LimitDecl | GrantDecl, text: string, role?: string): string {
  const parts: string[] = [];
  if (rule.kind === 'Rule') {
    const verb = rule.effect === 'approval' && rule.approver ? `requires approval by ${code(rule.approver.value)} for` : EFFECT_VERBS[rule.effect];
    parts.push(`${verb} ${selectorWords(rule.target)}`);
  } else if (rule.kind === 'Limit') {
    const per = rule.per.length > 0 ? ` per ${rule.per.map((key) => key.value).join(' and ')}` : ' per session';
    parts.push(`limits ${selectorWords(rule.target)} to ${rule.count.raw} call${rule.count.value === 1 ? '' : 's'} per ${durationOf(rule.window)}${per}`);
  } else {
    const window = rule.duration
      ? `for ${durationOf(rule.duration)}${rule.afterApproval ? ' after an approval' : ''}`
      : `from ${rule.from?.value ?? '?'} until ${rule.until?.value ?? '?'}`;
    parts.push(`grants ${selectorWords(rule.target)} to ${principalWords(rule.principal)} ${window}`);
  }
  if (rule.kind !== 'Grant' && rule.principal) parts.push(`for ${principalWords(rule.principal)}`);
  if (role !== undefined) parts.push(`for holders of role ${code(role)}`);
  if (rule.when) parts.push(`when ${exprSource(text, rule.when)}`);
  if (rule.kind === 'Rule' && rule.after) {
    const within = rule.after.within ? ` within ${durationOf(rule.after.within)}` : '';
    parts.push(`after a call of ${selectorWords(rule.after.source)} in the same session${within}`);
  }
  let summary = parts.join(' ');
  if (rule.because) summary += ` — because: ${rule.because.value}`;
  return summary;
}

/** A short title for a rule: its id, or its head as written (`permit tool get_*`). */
export function ruleTitle(rule: Rule | LimitDecl | GrantDecl, text: string): string {
  if (rule.id && rule.id.value !== '') return rule.id.value;
  return oneLine(text.slice(rule.span.start, rule.target.span.end), 60) || rule.kind.toLowerCase();
}

/** The rules whose principal names `name` as the given kind (for hover counts). */
export function rulesNaming(symbols: SymbolTable, kind: PrincipalSelector['principalKind'], name: string): number {
  return symbols.rules.filter((rule) => rule.node.principal?.principalKind === kind && rule.node.principal.names.some((each) => each.value === name)).length;
}

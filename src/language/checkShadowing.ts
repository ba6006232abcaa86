// Rules that can never decide: a permit or approval rule whose every tool is denied, for the
// same principals, by an unconditional forbid (forbid wins over everything, so the weaker rule
// is dead weight and usually a mistake in a policy's structure).

import type { SourceFile } from './ast';
import { diagnostic, type Diagnostic } from './diagnostics';
import { catalogPositions, selectTools, type RuleSymbol, type SymbolTable, type ToolSymbol } from './symbols';

const EVERYONE = '*';

interface Forbid {
  readonly rule: RuleSymbol;
  /** Who it applies to (see `principalKey`). */
  readonly key: string;
  /** The tools it denies, as bits by catalog position. */
  readonly tools: Uint32Array;
}

interface Forbids {
  readonly symbols: SymbolTable;
  readonly forbids: readonly Forbid[];
}

// The unconditional forbids of a scope, found once per list of rules and catalog (every file of
// a scope, and scopes whose files add no rules, share them) instead of once per checked file;
// each forbid once per catalog, however many scopes it is in.
const forbidsByRules = new WeakMap<readonly RuleSymbol[], Forbids>();
const forbidsByRule = new WeakMap<RuleSymbol, { readonly symbols: SymbolTable; readonly forbid: Forbid }>();

function unconditionalForbids(symbols: SymbolTable, positions: ReadonlyMap<string, number>): readonly Forbid[] {
  const cached = forbidsByRules.get(symbols.rules);
  if (cached && cached.symbols.tools === symbols.tools && cached.symbols.labels === symbols.labels) return cached.forbids;
  const forbids: Forbid[] = [];
  for (const rule of symbols.rules) {
    if (rule.node.kind !== 'Rule' || rule.node.effect !== 'forbid' || rule.node.when || rule.node.after) continue;
    let entry = forbidsByRule.get(rule);
    if (!entry || entry.symbols.tools !== symbols.tools || entry.symbols.labels !== symbols.labels) {
      const tools = new Uint32Array((symbols.tools.size + 31) >>> 5);
      for (const tool of selectTools(rule.node.target, symbols)) {
        const position = positions.get(tool.name)!;
        tools[position >>> 5]! |= 1 << (position & 31);
      }
      entry = { symbols, forbid: { rule, key: principalKey(rule), tools } };
      forbidsByRule.set(rule, entry);
    }
    forbids.push(entry.forbid);
  }
  forbidsByRules.set(symbols.rules, { symbols, forbids });
  return forbids;
}

/** Reports permit and approval rules of `file` shadowed by unconditional forbids in scope. */
export function findShadowedRules(file: SourceFile, symbols: SymbolTable, report: (d: Diagnostic) => void): void {
  const positions = catalogPositions(symbols.tools);
  const forbids = unconditionalForbids(symbols, positions);
  if (forbids.length === 0) return;
  for (const rule of symbols.rules) {
    const node = rule.node;
    if (rule.file !== file.path || node.kind !== 'Rule' || (node.effect !== 'permit' && node.effect !== 'approval')) continue;
    const tools = selectTools(node.target, symbols);
    if (tools.length === 0) continue;
    // The first forbid, in scope order, for everyone or the same principals, denying all the tools.
    let key: string | undefined;
    let shadow: Forbid | undefined;
    for (const forbid of forbids) {
      if (!coversAll(forbid, tools, positions)) continue;
      if (forbid.key === EVERYONE || forbid.key === (key ??= principalKey(rule))) {
        shadow = forbid;
        break;
      }
    }
    if (!shadow) continue;
    const what = node.effect === 'permit' ? 'permit' : 'approval rule';
    report(
      diagnostic('shadowedRule', node.effectSpan, `this ${what} never decides: forbid \`${shadow.rule.id}\` always denies ${tools.length === 1 ? `\`${tools[0]!.name}\`` : 'all its tools'} for the same principals`, {
        related: [{ message: 'the forbid that always wins', span: shadow.rule.node.span, file: shadow.rule.file }],
        help: 'remove the rule, or give the forbid a `when` condition',
      }),
    );
  }
}

function coversAll(forbid: Forbid, tools: readonly ToolSymbol[], positions: ReadonlyMap<string, number>): boolean {
  for (const tool of tools) {
    const position = positions.get(tool.name)!;
    if ((forbid.tools[position >>> 5]! & (1 << (position & 31))) === 0) return false;
  }
  return true;
}

/** Who a rule applies to, as a comparable key. */
function principalKey(rule: RuleSymbol): string {
  const principal = rule.node.principal;
  const own = principal ? `${principal.principalKind}:${principal.names.map((name) => name.value).sort().join(',')}` : undefined;
  if (rule.role === undefined) return own ?? EVERYONE;
  return own ? `role:${rule.role}+${own}` : `role:${rule.role}`;
}

// Phase 4: a checked workspace → a decision program. Refuses a workspace with check errors
// (a policy with errors never decides anything), indexes rules by tool, and fixes the policy
// version hash from the sources.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { PrincipalSelector } from '../language/ast';
import { hasErrors } from '../language/diagnostics';
import { compileGlob } from '../language/glob';
import { bindSymbols, resolveSelector, type RuleSymbol, type SymbolTable } from '../language/symbols';
import { Workspace } from '../language/workspace';
import type { CompileResult } from './api';
import type { ConditionResult, RuleRef } from './decision';
import { compileConditions, type ConditionSource } from './compileConditions';
import type { CompiledRule, DecisionProgram, Principal } from './program';

/** Compiles every given file (path → text) together into one decision program. */
export function compilePolicy(files: ReadonlyMap<string, string>): CompileResult<DecisionProgram> {
  const workspace = new Workspace(files);
  const diagnostics = workspace.diagnostics();
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  const sources = workspace.sourceFiles();
  const symbols = bindSymbols([...sources.keys()].sort(), sources);
  return { value: buildProgram(symbols, files), diagnostics };
}

function buildProgram(symbols: SymbolTable, files: ReadonlyMap<string, string>): DecisionProgram {
  const argNames: string[] = [];
  const argSlots = new Map<string, number>();
  const argSlot = (name: string): number => {
    let slot = argSlots.get(name);
    if (slot === undefined) {
      argSlots.set(name, (slot = argNames.length));
      argNames.push(name);
    }
    return slot;
  };
  const sessionReads = { texts: false, tools: new Set<string>(), labels: new Set<string>(), allTools: false };
  const rules = symbols.rules.map((rule, index) => compileRule(rule, index, { symbols, files, argSlot, sessionReads }));
  const rulesByTool = new Map<string, CompiledRule[]>();
  const toolLabels = new Map<string, readonly string[]>();
  for (const tool of symbols.tools.values()) {
    rulesByTool.set(tool.name, []);
    toolLabels.set(tool.name, [...tool.labels]);
  }
  const rulesForUnknownTools: { rule: CompiledRule; matches: (tool: string) => boolean }[] = [];
  symbols.rules.forEach((symbol, index) => {
    const rule = rules[index]!;
    for (const tool of resolveSelector(symbol.node.target, symbols)) rulesByTool.get(tool.name)!.push(rule);
    const target = symbol.node.target;
    if (target.kind === 'AnyToolTarget') rulesForUnknownTools.push({ rule, matches: () => true });
    if (target.kind === 'ToolTarget') {
      const matchers = target.tools.map((name) => compileGlob(name.value));
      rulesForUnknownTools.push({ rule, matches: (tool) => matchers.some((match) => match(tool)) });
    }
  });
  return {
    rulesByTool,
    rulesForUnknownTools,
    toolLabels,
    agents: new Map([...symbols.agents].map(([id, { node }]) => [id, principal('agent', id, node.roles.map((role) => role.value), node.tier?.value, node.owner?.value)])),
    humans: new Map([...symbols.humans].map(([id, { node }]) => [id, principal('human', id, node.roles.map((role) => role.value), undefined, undefined)])),
    rules,
    zone: symbols.timezones[0]?.node.zone.value ?? 'UTC',
    policyHash: policyHash(files),
    argNames,
    readsSession: rules.some((rule) => rule.conditions.some((condition) => condition.readsSession)),
    sessionReads,
  };
}

/** A declared (or, with no roles, an undeclared) principal. */
export function principal(side: 'agent' | 'human', id: string, roles: readonly string[], tier: string | undefined, owner: string | undefined): Principal {
  const fields: Principal['fields'] = side === 'agent' ? { id, owner: owner ?? null, tier: tier ?? null, roles: [...roles] } : { id, roles: [...roles] };
  return { side, id, roles: new Set(roles), tier, fields };
}

function compileRule(symbol: RuleSymbol, index: number, program: Omit<ConditionSource, 'file' | 'text'> & { readonly files: ReadonlyMap<string, string> }): CompiledRule {
  const node = symbol.node;
  const source: ConditionSource = { file: symbol.file, text: program.files.get(symbol.file) ?? '', symbols: program.symbols, argSlot: program.argSlot, sessionReads: program.sessionReads };
  const kind: RuleRef['kind'] = node.kind === 'Rule' ? node.effect : node.kind === 'Limit' ? 'limit' : 'grant';
  const ref: Omit<RuleRef, 'side'> = {
    id: symbol.id,
    kind,
    file: symbol.file,
    span: node.span,
    ...(symbol.role !== undefined ? { role: symbol.role } : {}),
    ...(node.because ? { because: node.because.value } : {}),
    ...(node.kind === 'Rule' && node.approver ? { approver: node.approver.value } : {}),
  };
  const appliesTo = principalFilter(symbol.role, node.principal);
  const conditions = compileConditions(node.when, node.kind === 'Rule' ? node.after : undefined, source);
  const refs = { agent: { ...ref, side: 'agent' as const }, human: { ...ref, side: 'human' as const } };
  const reason = ref.because ?? `${kind} rule \`${ref.id}\``;
  const rule: CompiledRule = { index, ref, refs, reason, kind, appliesTo, conditions };
  if (node.kind === 'Limit') {
    return { ...rule, limit: { count: node.count.value, windowMs: node.window.ms, per: node.per.map((key) => key.value) } };
  }
  if (node.kind === 'Grant') {
    const time = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));
    const closed = node.afterApproval ? 'no approval has opened this grant, or it has expired' : 'outside the granted time window';
    const grantClosed: ConditionResult = Object.freeze({ text: 'grant', span: ref.span, file: ref.file, value: false, observed: closed });
    return { ...rule, grant: { durationMs: node.duration?.ms, afterApproval: node.afterApproval, from: time(node.from?.value), until: time(node.until?.value) }, grantClosed };
  }
  return rule;
}

function principalFilter(role: string | undefined, selector: PrincipalSelector | undefined): (principal: Principal) => boolean {
  const names = new Set(selector?.names.map((name) => name.value));
  const selected = (candidate: Principal): boolean => {
    if (!selector) return true;
    switch (selector.principalKind) {
      case 'agent':
        return candidate.side === 'agent' && names.has(candidate.id);
      case 'human':
        return candidate.side === 'human' && names.has(candidate.id);
      case 'role':
        for (const held of candidate.roles) if (names.has(held)) return true;
        return false;
      case 'tier':
        return candidate.tier !== undefined && names.has(candidate.tier);
    }
  };
  return (candidate) => (role === undefined || candidate.roles.has(role)) && selected(candidate);
}

/** SHA-256 over the sources in path order: the same files give the same hash everywhere. */
export function policyHash(files: ReadonlyMap<string, string>): string {
  const canonical = JSON.stringify([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonical)))}`;
}

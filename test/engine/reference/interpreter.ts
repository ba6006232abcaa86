// A deliberately simple reference interpreter of `.gate` policies, for tests only. It works on
// the syntax tree (src/language/parser.ts) and shares nothing with src/engine: it walks the
// declarations itself, evaluates conditions by recursion over the AST, matches globs and reads
// local time with its own helpers, and keeps no state but the plain list of every event it was
// given (and whether each call ran). Taint, provenance, rate-window counts and grants are
// recomputed by scanning that history on every decision, quadratically. Slow and obvious on
// purpose: the property tests check the compiled engine against it.
//
// Semantics as written in docs/language.md ("How a call is decided", conditions, limits,
// grants, `from`, `after`) and docs/semantics.md (S-n cited below).

import type { AfterClause, Expr, GrantDecl, LimitDecl, ListLit, PathExpr, Rule, SourceFile, ToolSelector } from '../../../src/language/ast';
import { parse } from '../../../src/language/parser';
import type { ToolCallEvent, TraceEvent } from '../../../src/traces/event';
import { refGlob } from './glob';
import { offsetMinutes, refLocalTime } from './localTime';

export type RefEffect = 'allow' | 'deny' | 'approval';

/** What the reference decides for one tool call. */
export interface RefDecision {
  readonly effect: RefEffect;
  /** S-6: the group of the first deciding approval rule that names one. */
  readonly approver: string | undefined;
  /** The ids of the deciding rules, sorted, each once. */
  readonly deciding: readonly string[];
}

export interface RefOptions {
  readonly approvals: 'approve' | 'reject';
  /** Called with a tag for each notable situation met, to measure what the generator covers. */
  readonly coverage?: (tag: string) => void;
}

// --- the policy, read off the syntax tree ------------------------------------------------------

type RuleKind = 'permit' | 'forbid' | 'approval' | 'monitor' | 'limit' | 'grant';

interface RefRule {
  readonly id: string;
  readonly kind: RuleKind;
  /** The role the rule sits in, if any. */
  readonly role: string | undefined;
  readonly node: Rule | LimitDecl | GrantDecl;
}

interface RefPolicy {
  readonly tools: Map<string, Set<string>>; // catalog tool → labels
  readonly agents: Map<string, { roles: string[]; tier: string | null; owner: string | null }>;
  readonly humans: Map<string, { roles: string[] }>;
  readonly sets: Map<string, ListLit>;
  readonly zone: string;
  readonly rules: RefRule[];
}

function readPolicy(file: SourceFile): RefPolicy {
  const tools = new Map<string, Set<string>>();
  const agents: RefPolicy['agents'] = new Map();
  const humans: RefPolicy['humans'] = new Map();
  const sets = new Map<string, ListLit>();
  const rules: RefRule[] = [];
  let zone = 'UTC';
  const lineOf = (offset: number) => file.text.slice(0, offset).split('\n').length;
  const ruleOf = (node: Rule | LimitDecl | GrantDecl, role: string | undefined): RefRule => ({
    id: node.id ? node.id.value : `${file.path}:${lineOf(node.span.start)}`,
    kind: node.kind === 'Rule' ? node.effect : node.kind === 'Limit' ? 'limit' : 'grant',
    role,
    node,
  });
  for (const d of file.declarations) {
    switch (d.kind) {
      case 'Tool':
        tools.set(d.name.value, new Set(d.labels.map((l) => l.value)));
        break;
      case 'Agent':
        agents.set(d.name.value, { roles: d.roles.map((r) => r.value), tier: d.tier?.value ?? null, owner: d.owner?.value ?? null });
        break;
      case 'Human':
        humans.set(d.name.value, { roles: d.roles.map((r) => r.value) });
        break;
      case 'Set':
        sets.set(d.name.value, d.value);
        break;
      case 'Timezone':
        zone = d.zone.value;
        break;
      case 'Role':
        for (const r of d.rules) if (r.kind !== 'Error') rules.push(ruleOf(r, d.name.value));
        break;
      case 'Rule':
      case 'Limit':
      case 'Grant':
        rules.push(ruleOf(d, undefined));
        break;
      default:
        break;
    }
  }
  // `label x = patterns` gives the label to every catalog tool a pattern matches.
  for (const d of file.declarations) {
    if (d.kind !== 'Label') continue;
    for (const pattern of d.tools) for (const [name, labels] of tools) if (refGlob(pattern.value, name)) labels.add(d.name.value);
  }
  return { tools, agents, humans, sets, zone, rules };
}

// --- values ----------------------------------------------------------------------------------

type Val = string | number | boolean | null | Val[] | { [key: string]: Val };

class EvalError extends Error {}

function isList(v: Val): v is Val[] {
  return Array.isArray(v);
}
function isObject(v: Val): v is { [key: string]: Val } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** S-14: structural equality, no coercion. */
function equal(a: Val, b: Val): boolean {
  if (isList(a) || isList(b)) return isList(a) && isList(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]!));
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k]!, b[k]!));
  }
  return a === b;
}

function bool(v: Val): boolean {
  if (typeof v !== 'boolean') throw new EvalError('not a condition');
  return v;
}

/** Reads an own property of a JSON-like object; absent (or undefined) is null. */
function field(object: unknown, key: string): Val {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return null;
  if (!Object.hasOwn(object, key)) return null;
  const value = (object as Record<string, unknown>)[key];
  return value === undefined ? null : (value as Val);
}

// --- history -----------------------------------------------------------------------------------

interface Entry {
  readonly event: TraceEvent;
  /** Tool calls: whether the call ran. */
  readonly ran: boolean;
  /** Tool calls: whether it ran because it was held and the approval was assumed. */
  readonly approved: boolean;
}

/** Everything a condition may read: the call, and the history strictly before it. */
interface Ctx {
  readonly event: ToolCallEvent;
  readonly before: readonly Entry[];
}

function resultText(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  return typeof result === 'string' ? result : JSON.stringify(result);
}

// --- the interpreter ---------------------------------------------------------------------------

interface Principal {
  readonly side: 'agent' | 'human';
  readonly id: string;
  readonly roles: readonly string[];
  readonly tier: string | null;
}

export class ReferenceInterpreter {
  private readonly policy: RefPolicy;
  private readonly history: Entry[] = [];
  private readonly tag: (tag: string) => void;
  /** UTC offsets at which conditions read the time (coverage: crossing a daylight-saving change). */
  private readonly offsets = new Set<number>();

  constructor(
    text: string,
    private readonly options: RefOptions,
    path = 'p.gate',
  ) {
    const parsed = parse(text, path);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new Error('the reference interprets only policies that parse');
    this.policy = readPolicy(parsed.value);
    this.tag = options.coverage ?? (() => {});
  }

  /** Decides a tool call (and remembers it); records messages and returns undefined for them. */
  decide(event: TraceEvent): RefDecision | undefined {
    if (event.kind !== 'tool_call') {
      this.history.push({ event, ran: false, approved: false });
      return undefined;
    }
    const decision = this.decideCall({ event, before: [...this.history] });
    const held = decision.effect === 'approval';
    const ran = decision.effect === 'allow' || (held && this.options.approvals === 'approve');
    this.history.push({ event, ran, approved: held && ran });
    return decision;
  }

  // --- principals and rule selection ---

  private agentOf(event: ToolCallEvent): Principal {
    const declared = this.policy.agents.get(event.agent);
    return { side: 'agent', id: event.agent, roles: declared?.roles ?? [], tier: declared?.tier ?? null };
  }

  private humanOf(event: ToolCallEvent): Principal | undefined {
    if (event.onBehalfOf === undefined) return undefined;
    return { side: 'human', id: event.onBehalfOf, roles: this.policy.humans.get(event.onBehalfOf)?.roles ?? [], tier: null };
  }

  /** S-7..S-9: placement (role) and `for` select the principal. */
  private applies(rule: RefRule, p: Principal): boolean {
    if (rule.role !== undefined && !p.roles.includes(rule.role)) return false;
    const selector = rule.node.principal;
    if (!selector) return true;
    const names = selector.names.map((n) => n.value);
    switch (selector.principalKind) {
      case 'agent':
        return p.side === 'agent' && names.includes(p.id);
      case 'human':
        return p.side === 'human' && names.includes(p.id);
      case 'role':
        return p.roles.some((r) => names.includes(r));
      case 'tier':
        return p.tier !== null && names.includes(p.tier);
    }
  }

  private labelsOf(tool: string): string[] {
    return [...(this.policy.tools.get(tool) ?? [])];
  }

  /** S-42: by name or glob, by label, or any tool; tools outside the catalog have no labels. */
  private covers(target: ToolSelector, tool: string): boolean {
    switch (target.kind) {
      case 'AnyToolTarget':
        return true;
      case 'ToolTarget':
        return target.tools.some((pattern) => refGlob(pattern.value, tool));
      case 'LabelTarget':
        return target.labels.some((label) => this.labelsOf(tool).includes(label.value));
      case 'MissingTarget':
        return false;
    }
  }

  // --- conditions ---

  /**
   * S-18: the rule's `when` and `after` in three-valued logic: false when either is false, else
   * an error when the `when` could not be evaluated, else true.
   */
  private status(rule: RefRule, ctx: Ctx): boolean | 'error' {
    const after = rule.node.kind === 'Rule' ? rule.node.after : undefined;
    const when = rule.node.when ? this.condition(rule.node.when, ctx) : true;
    if (when === 'error') this.tag(`when-error:${rule.kind}`);
    const afterHolds = after ? this.afterHolds(after, ctx) : true;
    if (when === 'error' && !afterHolds) this.tag(`after-false-when-error:${rule.kind}`);
    if (when === false || !afterHolds) return false;
    return when;
  }

  /** An expression as a condition: true, false, or 'error' (it failed, or is not a boolean). */
  private condition(expr: Expr, ctx: Ctx): boolean | 'error' {
    try {
      const value = this.evaluate(expr, ctx);
      return typeof value === 'boolean' ? value : 'error';
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      return 'error';
    }
  }

  /** S-20: a call matching the target ran earlier in this session (within the window). */
  private afterHolds(after: AfterClause, ctx: Ctx): boolean {
    const t = ctx.event.time;
    const tainting = ctx.before.filter(
      (e) =>
        e.event.kind === 'tool_call' &&
        e.ran &&
        e.event.session === ctx.event.session &&
        this.covers(after.source, e.event.tool) &&
        (after.within === undefined || e.event.time > t - after.within.ms),
    );
    if (tainting.length > 0) this.tag(after.within ? 'after-within-true' : 'after-true');
    if (tainting.length > 0 && tainting.every((e) => e.event.kind === 'tool_call' && !this.policy.tools.has(e.event.tool))) this.tag('after-by-undeclared-tool');
    return tainting.length > 0;
  }

  private evaluate(expr: Expr, ctx: Ctx): Val {
    switch (expr.kind) {
      case 'String':
      case 'Number':
      case 'Bool':
        return expr.value;
      case 'Null':
        return null;
      case 'Duration':
        return expr.ms;
      case 'List':
        return expr.items.map((item) => this.evaluate(item, ctx));
      case 'Object': {
        const object: { [key: string]: Val } = {};
        for (const entry of expr.entries) object[entry.key.value] = this.evaluate(entry.value, ctx);
        return object;
      }
      case 'SetRef': {
        const set = this.policy.sets.get(expr.name.value);
        if (!set) throw new EvalError('unknown set');
        return this.evaluate(set, ctx);
      }
      case 'Path':
        return this.path(expr, ctx);
      case 'Not':
        return !bool(this.evaluate(expr.operand, ctx));
      case 'From':
        return this.from(this.evaluate(expr.value, ctx), expr.source, ctx);
      case 'ErrorExpr':
        throw new EvalError('syntax error');
      case 'Binary': {
        const left = () => this.evaluate(expr.left, ctx);
        const right = () => this.evaluate(expr.right, ctx);
        switch (expr.op) {
          // S-18: three-valued; a definite answer from either side wins over an error on the other.
          case 'and': {
            const a = this.condition(expr.left, ctx);
            const b = this.condition(expr.right, ctx);
            if (a === false || b === false) return false;
            if (a === 'error' || b === 'error') throw new EvalError('`and` over an error');
            return true;
          }
          case 'or': {
            const a = this.condition(expr.left, ctx);
            const b = this.condition(expr.right, ctx);
            if (a === true || b === true) return true;
            if (a === 'error' || b === 'error') throw new EvalError('`or` over an error');
            return false;
          }
          case '==':
            return equal(left(), right());
          case '!=':
            return !equal(left(), right());
          case '<':
          case '<=':
          case '>':
          case '>=': {
            const a = left();
            const b = right();
            const ok = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
            if (!ok) throw new EvalError('ordering needs two numbers or two strings');
            const x = a as number | string;
            const y = b as number | string;
            return expr.op === '<' ? x < y : expr.op === '<=' ? x <= y : expr.op === '>' ? x > y : x >= y;
          }
          case '~':
            return globOp(left(), right());
          case '!~':
            return !globOp(left(), right());
          case 'in':
            return inOp(left(), right());
          case 'not in':
            return !inOp(left(), right());
        }
      }
    }
  }

  /** S-12/S-13 paths. */
  private path(path: PathExpr, ctx: Ctx): Val {
    const [first, ...rest] = path.fields.map((f) => f.value);
    if (first === undefined) throw new EvalError('a path needs a field');
    const event = ctx.event;
    let value: Val;
    switch (path.root.value) {
      case 'args':
        value = field(event.args, first);
        break;
      case 'context':
        value = field(event.context ?? {}, first);
        break;
      case 'agent': {
        const declared = this.policy.agents.get(event.agent);
        const fields: { [key: string]: Val } = { id: event.agent, owner: declared?.owner ?? null, tier: declared?.tier ?? null, roles: [...(declared?.roles ?? [])] };
        value = field(fields, first);
        break;
      }
      case 'human': {
        const human = this.humanOf(event);
        if (!human && first === 'roles') this.tag('human-roles-without-human');
        const fields: { [key: string]: Val } = human ? { id: human.id, roles: [...human.roles] } : { id: null, roles: [] };
        value = field(fields, first);
        break;
      }
      case 'time': {
        const local = refLocalTime(event.time, this.policy.zone);
        this.offsets.add(offsetMinutes(this.policy.zone, event.time));
        this.tag(this.offsets.size > 1 ? 'time-read-across-offset-change' : `time-read:${this.policy.zone}`);
        value = field({ hour: local.hour, minute: local.minute, weekday: local.weekday, date: local.date }, first);
        break;
      }
      case 'tool':
        value = field({ name: event.tool, labels: this.labelsOf(event.tool) }, first);
        break;
      case 'session':
        value = field({ id: event.session, calls: this.sessionCalls(ctx) }, first);
        break;
      default:
        throw new EvalError('unknown root');
    }
    for (const name of rest) value = field(value, name);
    return value;
  }

  private sessionCalls(ctx: Ctx): number {
    return ctx.before.filter((e) => e.event.kind === 'tool_call' && e.ran && e.event.session === ctx.event.session).length;
  }

  /** S-21/S-22: the first text of the session containing the value decides. */
  private from(value: Val, target: ToolSelector, ctx: Ctx): boolean {
    const texts: { text: string; tool: string | undefined }[] = [];
    for (const e of ctx.before) {
      if (e.event.session !== ctx.event.session) continue;
      if (e.event.kind === 'user_message') texts.push({ text: e.event.text, tool: undefined });
      if (e.event.kind === 'tool_call' && e.ran) {
        const text = resultText(e.event.result);
        if (text !== undefined) texts.push({ text, tool: e.event.tool });
      }
    }
    const items = isList(value) ? value : [value];
    return items.some((item) => {
      if (typeof item !== 'string' || item === '') return false;
      const first = texts.find((t) => t.text.includes(item));
      if (first && first.tool === undefined) this.tag('from-first-in-user-text');
      const holds = first !== undefined && first.tool !== undefined && this.covers(target, first.tool);
      if (holds) this.tag(this.policy.tools.has(first.tool!) ? 'from-true' : 'from-true-by-undeclared-tool');
      return holds;
    });
  }

  // --- limits and grants ---

  /** The context an earlier entry was decided in. */
  private ctxAt(index: number, history: readonly Entry[]): Ctx {
    return { event: history[index]!.event as ToolCallEvent, before: history.slice(0, index) };
  }

  /** S-24: the counter keys of a call. */
  private limitKey(limit: LimitDecl, event: ToolCallEvent): string {
    const per = limit.per.length === 0 ? ['session'] : limit.per.map((k) => k.value);
    return JSON.stringify(per.map((k) => (k === 'agent' ? event.agent : k === 'human' ? (event.onBehalfOf ?? '') : k === 'tool' ? event.tool : event.session)));
  }

  /**
   * Whether a limit's or grant's principal selects a call (S-23, S-25): its agent, or the human it
   * acts for ("every ... limit that applies to either of them applies to the call").
   */
  private selectsCall(rule: RefRule, event: ToolCallEvent): boolean {
    if (this.applies(rule, this.agentOf(event))) return true;
    const human = this.humanOf(event);
    return human !== undefined && this.applies(rule, human);
  }

  /** S-23: the calls that ran in (t − w, t] and matched the limit, sharing the call's keys. */
  private limitCount(rule: RefRule, ctx: Ctx): number {
    const limit = rule.node as LimitDecl;
    const key = this.limitKey(limit, ctx.event);
    let count = 0;
    ctx.before.forEach((e, index) => {
      if (e.event.kind !== 'tool_call' || !e.ran) return;
      if (!(e.event.time > ctx.event.time - limit.window.ms && e.event.time <= ctx.event.time)) return;
      if (this.limitKey(limit, e.event) !== key) return;
      if (!this.covers(limit.target, e.event.tool)) return;
      if (!this.selectsCall(rule, e.event)) return;
      if (this.status(rule, this.ctxAt(index, ctx.before)) !== true) return;
      if (!this.applies(rule, this.agentOf(e.event))) this.tag('limit-counts-call-via-human');
      count++;
    });
    return count;
  }

  /** S-25, S-28, S-29: whether a grant is open at the call (its principal and conditions aside). */
  private grantOpen(rule: RefRule, ctx: Ctx): boolean {
    const grant = rule.node as GrantDecl;
    const t = ctx.event.time;
    if (grant.from && grant.until) {
      const open = Date.parse(grant.from.value) <= t && t < Date.parse(grant.until.value);
      if (open) this.tag('grant-open:window');
      return open;
    }
    const duration = grant.duration?.ms;
    if (duration === undefined) return false;
    const session = ctx.before.filter((e) => e.event.session === ctx.event.session);
    if (!grant.afterApproval) {
      const first = session[0]?.event.time ?? t;
      const open = first <= t && t < first + duration;
      if (open) this.tag('grant-open:plain');
      return open;
    }
    const openedBy = ctx.before.filter((e, index) => {
      if (e.event.kind !== 'tool_call' || !e.approved || e.event.session !== ctx.event.session) return false;
      const t0 = e.event.time;
      if (!(t0 <= t && t < t0 + duration)) return false;
      return this.covers(grant.target, e.event.tool) && this.selectsCall(rule, e.event) && this.status(rule, this.ctxAt(index, ctx.before)) === true;
    });
    if (openedBy.length > 0) this.tag('grant-open:approval');
    if (openedBy.length > 0 && openedBy.every((e) => !this.applies(rule, this.agentOf(e.event as ToolCallEvent)))) this.tag('grant-opened-via-human');
    return openedBy.length > 0;
  }

  // --- deciding ---

  /** S-4/S-5 for one principal. */
  private decideSide(p: Principal, ctx: Ctx): { effect: RefEffect; deciding: RefRule[] } {
    const forbids: RefRule[] = [];
    const limits: RefRule[] = [];
    const approvals: RefRule[] = [];
    const grants: RefRule[] = [];
    const permits: RefRule[] = [];
    for (const rule of this.policy.rules) {
      if (!this.applies(rule, p) || !this.covers(rule.node.target, ctx.event.tool)) continue;
      const status = this.status(rule, ctx);
      switch (rule.kind) {
        case 'forbid':
          if (status !== false) forbids.push(rule);
          break;
        case 'limit':
          if (status === 'error' || (status === true && this.limitCount(rule, ctx) >= (rule.node as LimitDecl).count.value)) {
            this.tag(status === 'error' ? 'limit-error' : 'limit-exceeded');
            limits.push(rule);
          }
          break;
        case 'approval':
          if (status !== false) approvals.push(rule);
          break;
        case 'grant':
          if (status === true && this.grantOpen(rule, ctx)) grants.push(rule);
          break;
        case 'permit':
          if (status === true) permits.push(rule);
          break;
        case 'monitor':
          break;
      }
    }
    if (forbids.length + limits.length > 0) return { effect: 'deny', deciding: [...forbids, ...limits] };
    if (approvals.length > 0 && grants.length === 0) return { effect: 'approval', deciding: approvals };
    if (grants.length > 0) return { effect: 'allow', deciding: grants };
    if (permits.length > 0) return { effect: 'allow', deciding: permits };
    return { effect: 'deny', deciding: [] };
  }

  private decideCall(ctx: Ctx): RefDecision {
    const sides = [this.decideSide(this.agentOf(ctx.event), ctx)];
    const human = this.humanOf(ctx.event);
    if (human) sides.push(this.decideSide(human, ctx));
    if (human) this.tag(sides[0]!.effect === sides[1]!.effect ? 'delegation-same' : 'delegation-differs');
    if (!this.policy.tools.has(ctx.event.tool)) this.tag(`undeclared-tool:${sides[0]!.effect}`);
    // S-10: deny > approval > allow; the sides with the combined effect decide.
    const effect: RefEffect = sides.some((s) => s.effect === 'deny') ? 'deny' : sides.some((s) => s.effect === 'approval') ? 'approval' : 'allow';
    const deciding = sides.filter((s) => s.effect === effect).flatMap((s) => s.deciding);
    const approverRule = effect === 'approval' ? deciding.find((r) => r.node.kind === 'Rule' && r.node.approver) : undefined;
    const approver = approverRule && approverRule.node.kind === 'Rule' ? approverRule.node.approver?.value : undefined;
    this.tag(`effect:${effect}${deciding.length === 0 ? ':default' : ''}`);
    for (const rule of deciding) this.tag(`decides:${rule.kind}`);
    return { effect, approver, deciding: [...new Set(deciding.map((r) => r.id))].sort() };
  }
}

// --- operators ---------------------------------------------------------------------------------

/**
 * S-16: text, or a list of texts (any element matching), against a pattern or a list of
 * patterns (any matching). Anything else on the left, a list holding anything but texts
 * included, is an error.
 */
function globOp(subject: Val, pattern: Val): boolean {
  if (isList(subject)) {
    if (!subject.every((item) => typeof item === 'string')) throw new EvalError('`~` needs a list of texts on the left');
    return subject.some((item) => globOp(item, pattern));
  }
  if (typeof subject !== 'string') throw new EvalError('`~` needs text on the left');
  if (typeof pattern === 'string') return refGlob(pattern, subject);
  if (isList(pattern)) {
    if (!pattern.every((p) => typeof p === 'string')) throw new EvalError('`~` needs patterns as text');
    return pattern.some((p) => refGlob(p as string, subject));
  }
  throw new EvalError('`~` needs a pattern on the right');
}

/** S-17: membership in a list; a list on the left is in when any element is. */
function inOp(item: Val, list: Val): boolean {
  if (!isList(list)) throw new EvalError('`in` needs a list on the right');
  if (isList(item)) return item.some((element) => list.some((x) => equal(element, x)));
  return list.some((x) => equal(item, x));
}

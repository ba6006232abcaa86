// fast-check generators of small random but check-clean policies and event sequences, for the
// engine-vs-reference property tests (test/engine/reference.property.test.ts).
//
// A case is a structured model (a workspace of declarations and rule items, a list of events)
// rendered to `.gate` text and trace events, so that a failing case can also be minimised by
// deleting items. Every generated workspace checks with zero errors (asserted by the tests).
// Runtime errors come from the events: arguments of unexpected types, missing arguments.

import fc from 'fast-check';
import type { ToolCallEvent, TraceEvent } from '../../src/traces/event';

// --- vocabulary ----------------------------------------------------------------------------------

export const TOOL_POOL = ['send_money', 'read_file', 'get_user', 'get_page', 'delete_item'] as const;
/** Tools no catalog declares: only name patterns and `any tool` reach them. */
export const UNKNOWN_TOOLS = ['get_extra', 'zz_unknown'] as const;
export const ARG_TYPES = { amount: 'number', recipient: 'string', path: 'string', n: 'int', flag: 'bool' } as const;
export type ArgName = keyof typeof ARG_TYPES;
export const ARG_NAMES = Object.keys(ARG_TYPES) as ArgName[];
export const LABELS = ['read', 'write', 'payment', 'untrusted_source', 'pii'] as const;
export const AGENT_POOL = ['a1', 'a2', 'a3'] as const;
export const UNDECLARED_AGENT = 'rogue';
export const HUMAN_POOL = ['dana', 'lee'] as const;
export const UNDECLARED_HUMAN = 'ghost';
export const ROLES = ['ops', 'finance', 'viewer'] as const;
export const TIERS = ['low', 'medium', 'high', 'critical'] as const;
export const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York'] as const;
/** Recipients, some prefixes of others, so `contains` and first appearances interact. */
export const RECIPIENTS = ['GB11', 'GB1', 'GB29NW', 'DE89', 'US13', 'US133', 'FR7'] as const;
export const PATHS = ['docs/a.txt', 'bills/b.pdf', 'notice.txt', 'x'] as const;
export const TOOL_PATTERNS = ['get_*', '*_money', '"get_?ser"', '*', '*e*', '"*_??le"'] as const;
/**
 * Times just before a daylight-saving change or a local midnight (weekday change), so
 * sequences of up to 15 events 0–120 s apart cross them.
 */
export const ANCHORS = [
  '2026-03-08T06:45:00Z', // New York springs forward at 07:00Z
  '2026-03-29T00:45:00Z', // Berlin springs forward at 01:00Z
  '2026-10-25T00:45:00Z', // Berlin falls back at 01:00Z
  '2026-11-01T05:45:00Z', // New York falls back at 06:00Z
  '2026-07-03T21:45:00Z', // Fri → Sat at midnight in Berlin (22:00Z)
  '2026-07-04T23:45:00Z', // Sat → Sun at midnight UTC
  '2026-01-05T04:45:00Z', // Sun → Mon at midnight in New York (05:00Z)
  '2026-06-15T08:45:00Z', // 09:00 UTC
] as const;
/** The zone whose change each anchor precedes: policies around it declare that zone more often. */
const ANCHOR_ZONES: readonly (typeof ZONES)[number][] = ['America/New_York', 'Europe/Berlin', 'Europe/Berlin', 'America/New_York', 'Europe/Berlin', 'UTC', 'America/New_York', 'UTC'];

// --- the model -----------------------------------------------------------------------------------

export interface ToolModel {
  readonly name: string;
  readonly args: readonly { readonly name: ArgName; readonly optional: boolean }[];
  readonly labels: readonly string[];
}

/** A rule, limit or grant, rendered; `kind` is only for minimising and statistics. */
export interface ItemModel {
  readonly kind: 'permit' | 'forbid' | 'approval' | 'monitor' | 'limit' | 'grant';
  readonly text: string;
}

export interface WorkspaceModel {
  readonly timezone: string | undefined;
  readonly context: boolean;
  readonly tools: readonly ToolModel[];
  /** `label x = pattern` declarations (every label is declared anyway). */
  readonly labelPatterns: readonly { readonly label: string; readonly pattern: string }[];
  readonly agents: readonly { readonly name: string; readonly roles: readonly string[]; readonly tier: string | undefined; readonly owner: string | undefined }[];
  readonly humans: readonly { readonly name: string; readonly roles: readonly string[] }[];
  readonly roles: readonly { readonly name: string; readonly items: readonly ItemModel[] }[];
  readonly items: readonly ItemModel[];
}

export type EventModel =
  | { readonly kind: 'user'; readonly dt: number; readonly session: string; readonly text: string }
  | { readonly kind: 'agent_message'; readonly dt: number; readonly session: string; readonly text: string }
  | {
      readonly kind: 'call';
      readonly dt: number;
      readonly session: string;
      readonly agent: string;
      readonly human: string | undefined;
      readonly tool: string;
      readonly args: Readonly<Record<string, unknown>>;
      readonly result: unknown;
      readonly context: Readonly<Record<string, unknown>> | undefined;
    };

export interface CaseModel {
  readonly anchor: string;
  /** Seconds from the anchor to the first event (the anchor's change comes 15 minutes after it). */
  readonly start: number;
  readonly workspace: WorkspaceModel;
  readonly events: readonly EventModel[];
}

// --- rendering -----------------------------------------------------------------------------------

export function renderWorkspace(ws: WorkspaceModel): string {
  const lines: string[] = [];
  if (ws.timezone) lines.push(`timezone "${ws.timezone}"`);
  if (ws.context) lines.push('context { env: "prod" | "staging" }');
  for (const tool of ws.tools) {
    const args = tool.args.map((a) => `${a.name}${a.optional ? '?' : ''}: ${ARG_TYPES[a.name]}`).join(', ');
    lines.push(`tool ${tool.name} { args { ${args} } labels [${tool.labels.join(', ')}] }`);
  }
  for (const label of LABELS) {
    const patterns = ws.labelPatterns.filter((p) => p.label === label).map((p) => p.pattern);
    lines.push(patterns.length > 0 ? `label ${label} = ${patterns.join(', ')}` : `label ${label}`);
  }
  lines.push('set corp = ["GB*", "DE?9*"]');
  lines.push('set weekend = ["sat", "sun"]');
  for (const agent of ws.agents) {
    const items = [`roles [${agent.roles.join(', ')}]`];
    if (agent.tier) items.push(`tier ${agent.tier}`);
    if (agent.owner) items.push(`owner "${agent.owner}"`);
    lines.push(`agent "${agent.name}" { ${items.join('; ')} }`);
  }
  for (const human of ws.humans) lines.push(`human ${human.name} { roles [${human.roles.join(', ')}] }`);
  for (const role of ws.roles) {
    if (role.items.length === 0) lines.push(`role ${role.name} {}`);
    else {
      lines.push(`role ${role.name} {`);
      for (const item of role.items) lines.push(`  ${item.text}`);
      lines.push('}');
    }
  }
  for (const item of ws.items) lines.push(item.text);
  return `${lines.join('\n')}\n`;
}

export function renderEvents(model: CaseModel): TraceEvent[] {
  let time = Date.parse(model.anchor) + model.start * 1000;
  return model.events.map((e, index): TraceEvent => {
    time += e.dt * 1000;
    const base = { session: e.session, seq: index + 1, time };
    if (e.kind === 'user') return { ...base, kind: 'user_message', text: e.text };
    if (e.kind === 'agent_message') return { ...base, kind: 'agent_message', text: e.text };
    const call: ToolCallEvent = {
      ...base,
      kind: 'tool_call',
      agent: e.agent,
      ...(e.human !== undefined ? { onBehalfOf: e.human } : {}),
      tool: e.tool,
      args: e.args,
      ...(e.result !== undefined ? { result: e.result } : {}),
      ...(e.context !== undefined ? { context: e.context } : {}),
    };
    return call;
  });
}

/** A readable rendering of a case: the policy text and one event per line. */
export function describeCase(model: CaseModel): string {
  const events = renderEvents(model).map((e) => {
    const when = new Date(e.time).toISOString();
    if (e.kind !== 'tool_call') return `  ${e.seq} ${when} ${e.session} ${e.kind} ${JSON.stringify(e.text)}`;
    const extra = [e.onBehalfOf !== undefined ? `on_behalf_of=${e.onBehalfOf}` : '', e.result !== undefined ? `result=${JSON.stringify(e.result)}` : '', e.context ? `context=${JSON.stringify(e.context)}` : '']
      .filter(Boolean)
      .join(' ');
    return `  ${e.seq} ${when} ${e.session} agent=${e.agent} call ${e.tool} ${JSON.stringify(e.args)} ${extra}`.trimEnd();
  });
  return `--- p.gate ---\n${renderWorkspace(model.workspace)}--- events ---\n${events.join('\n')}\n`;
}

// --- targets and conditions ----------------------------------------------------------------------

/** Own matcher for the generator (which tools a pattern selects, to pick arguments). */
function simpleGlob(pattern: string, text: string): boolean {
  const source = pattern.replace(/^"|"$/g, '');
  const regex = new RegExp(`^${source.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(text);
}

interface Target {
  readonly text: string;
  /** Catalog tools it selects. */
  readonly tools: readonly ToolModel[];
}

function targetArb(tools: readonly ToolModel[], labelPatterns: WorkspaceModel['labelPatterns']): fc.Arbitrary<Target> {
  const labelsOf = (tool: ToolModel) => new Set([...tool.labels, ...labelPatterns.filter((p) => simpleGlob(p.pattern, tool.name)).map((p) => p.label)]);
  const names = tools.map((t) => t.name);
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...tools).map((t) => ({ text: `tool ${t.name}`, tools: [t] })) },
    {
      weight: 1,
      arbitrary: fc.subarray(names, { minLength: 1, maxLength: 2 }).map((list) => ({ text: `tool [${list.join(', ')}]`, tools: tools.filter((t) => list.includes(t.name)) })),
    },
    { weight: 2, arbitrary: fc.constantFrom(...TOOL_PATTERNS).map((p) => ({ text: `tool ${p}`, tools: tools.filter((t) => simpleGlob(p, t.name)) })) },
    { weight: 2, arbitrary: fc.constantFrom(...LABELS).map((l) => ({ text: `label ${l}`, tools: tools.filter((t) => labelsOf(t).has(l)) })) },
    {
      weight: 1,
      arbitrary: fc.subarray([...LABELS], { minLength: 2, maxLength: 2 }).map((list) => ({ text: `label [${list.join(', ')}]`, tools: tools.filter((t) => list.some((l) => labelsOf(t).has(l))) })),
    },
    { weight: 1, arbitrary: fc.constant({ text: 'any tool', tools }) },
  );
}

/** A target for `after` and `from` (anything the checker accepts). */
function sourceTargetArb(tools: readonly ToolModel[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant('label untrusted_source') },
    { weight: 1, arbitrary: fc.constantFrom(...LABELS).map((l) => `label ${l}`) },
    { weight: 2, arbitrary: fc.constantFrom(...tools).map((t) => `tool ${t.name}`) },
    { weight: 1, arbitrary: fc.constantFrom('tool get_*', 'tool *', 'any tool') },
  );
}

const numberLiteral = fc.oneof(fc.constantFrom('0', '10', '100', '1_000', '2.5', '-3', '1e3', '99.5'), fc.integer({ min: -5, max: 5000 }).map(String));

function argAtom(arg: ArgName, tools: readonly ToolModel[]): fc.Arbitrary<string> {
  const path = `args.${arg}`;
  switch (ARG_TYPES[arg]) {
    case 'number':
    case 'int':
      return fc.oneof(
        fc.tuple(fc.constantFrom('<', '<=', '>', '>=', '==', '!='), numberLiteral).map(([op, n]) => `${path} ${op} ${n}`),
        fc.constantFrom(`${path} == null`, `${path} != null and ${path} > 10`, `${path} in [1, 2, 3]`),
      );
    case 'bool':
      return fc.constantFrom(`${path} == true`, `${path} != false`, `${path} == null`, `not (${path} == true)`, path, `not ${path}`);
    case 'string': {
      const values = arg === 'recipient' ? RECIPIENTS : PATHS;
      return fc.oneof(
        fc.constantFrom('"GB*"', '"US?3*"', '"*1*"', '"docs/*"', 'corp', '["DE*", "FR*"]').map((p) => `${path} ~ ${p}`),
        fc.constantFrom('"GB*"', 'corp', '"*.txt"').map((p) => `${path} !~ ${p}`),
        fc.constantFrom(...values).map((v) => `${path} == "${v}"`),
        fc.subarray([...values], { minLength: 1, maxLength: 3 }).map((list) => `${path} in [${list.map((v) => `"${v}"`).join(', ')}]`),
        fc.constantFrom('<', '>=').map((op) => `${path} ${op} "M"`),
        sourceTargetArb(tools).map((t) => `${path} from ${t}`),
        fc.constant(`${path} == null`),
      );
    }
  }
}

function otherAtom(ws: { context: boolean; agents: readonly { name: string }[]; humans: readonly { name: string }[] }): fc.Arbitrary<string> {
  const atoms: fc.Arbitrary<string>[] = [
    fc.constantFrom('<', '>=', '==').chain((op) => fc.integer({ min: 0, max: 23 }).map((h) => `time.hour ${op} ${h}`)),
    fc.constantFrom('time.minute < 30', 'time.weekday in weekend', 'time.weekday in ["sat", "sun"]', 'time.weekday == "mon"', 'time.weekday not in ["fri", "sat"]'),
    fc.constantFrom('time.date == "2026-03-29"', 'time.date >= "2026-07-04"', 'time.date < "2026-03-08"'),
    fc.constantFrom(...TIERS).map((t) => `agent.tier == "${t}"`),
    fc.constantFrom('agent.tier == null', 'agent.tier != "low"', 'agent.owner == null', 'agent.owner == "team@corp.example"'),
    fc.constantFrom(...ROLES).map((r) => `"${r}" in agent.roles`),
    fc.constantFrom(...ROLES).map((r) => `"${r}" in human.roles`),
    fc.constantFrom(...AGENT_POOL, UNDECLARED_AGENT).map((a) => `agent.id == "${a}"`),
    fc.constantFrom('human.id == null', 'human.id != null', 'human.id == "dana"', 'human.roles == []'),
    fc.constantFrom('tool.name == "send_money"', 'tool.name ~ "get_*"', '"pii" in tool.labels', 'tool.labels ~ "pa*"', '"write" not in tool.labels'),
    fc.constantFrom('session.calls >= 1', 'session.calls < 3', 'session.id == "s1"'),
  ];
  if (ws.context) atoms.push(fc.constantFrom('context.env == "prod"', 'context.env != "staging"', 'context.env == null'));
  return fc.oneof(...atoms);
}

function conditionArb(args: readonly ArgName[], tools: readonly ToolModel[], ws: Parameters<typeof otherAtom>[0], depth = 2): fc.Arbitrary<string> {
  const atom = args.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...args).chain((a) => argAtom(a, tools)) }, { weight: 2, arbitrary: otherAtom(ws) }) : otherAtom(ws);
  if (depth === 0) return atom;
  const sub = conditionArb(args, tools, ws, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: atom },
    { weight: 1, arbitrary: fc.tuple(sub, fc.constantFrom('and', 'or'), sub).map(([a, op, b]) => `(${a}) ${op} (${b})`) },
    { weight: 1, arbitrary: fc.tuple(atom, fc.constantFrom('and', 'or'), atom).map(([a, op, b]) => `${a} ${op} ${b}`) },
    { weight: 1, arbitrary: sub.map((a) => `not (${a})`) },
  );
}

/** The arguments a condition may read: those of the selected tools (or any, when none is selected). */
function argsFor(target: Target): ArgName[] {
  // No selected tool: the checker leaves `args` unchecked, any name goes.
  if (target.tools.length === 0) return ARG_NAMES;
  return [...new Set(target.tools.flatMap((tool) => tool.args.map((a) => a.name)))];
}

function principalArb(ws: { agents: readonly { name: string }[]; humans: readonly { name: string }[] }): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc.constantFrom(...ROLES).map((r) => `role ${r}`),
    fc.subarray([...ROLES], { minLength: 2, maxLength: 2 }).map((list) => `role [${list.join(', ')}]`),
    fc.constantFrom(...TIERS).map((t) => `tier ${t}`),
    fc.constant('tier [high, critical]'),
  ];
  if (ws.agents.length > 0) options.push(fc.constantFrom(...ws.agents.map((a) => `agent "${a.name}"`)));
  if (ws.humans.length > 0) options.push(fc.constantFrom(...ws.humans.map((h) => `human ${h.name}`)));
  return fc.oneof(...options);
}

interface Skeleton {
  readonly timezone: string | undefined;
  readonly context: boolean;
  readonly tools: readonly ToolModel[];
  readonly labelPatterns: WorkspaceModel['labelPatterns'];
  readonly agents: WorkspaceModel['agents'];
  readonly humans: WorkspaceModel['humans'];
}

/** `arb` in `present` of `present + absent` cases, else null. */
function maybe<T>(arb: fc.Arbitrary<T>, present: number, absent: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: present, arbitrary: arb }, { weight: absent, arbitrary: fc.constant(null) });
}

/** A rule, limit or grant. `inRole`: no grants, and principals are optional narrowings. */
function itemArb(sk: Skeleton, anchorMs: number, inRole: boolean): fc.Arbitrary<Omit<ItemModel, 'text'> & { parts: string[] }> {
  const target = targetArb(sk.tools, sk.labelPatterns);
  const rule = fc
    .tuple(
      fc.constantFrom('permit', 'permit', 'forbid', 'approval', 'monitor'),
      target,
      fc.constantFrom(undefined, 'finance', 'security'),
      fc.boolean(),
      maybe(principalArb(sk), 1, 1),
      maybe(fc.constant(0), 2, 1),
      maybe(fc.tuple(sourceTargetArb(sk.tools), maybe(fc.constantFrom('30s', '1m', '5m', '10m'), 1, 1)), 1, 3),
    )
    .chain(([effect, t, by, forWord, principal, hasWhen, after]) =>
      (hasWhen === null ? fc.constant(undefined) : conditionArb(argsFor(t), sk.tools, sk)).map((when) => {
        const head = effect === 'approval' ? `require approval${by ? ` by ${by}` : ''}${forWord ? ' for' : ''} ${t.text}` : `${effect} ${t.text}`;
        const parts = [head];
        if (principal !== null) parts.push(`for ${principal}`);
        if (when !== undefined) parts.push(`when ${when}`);
        if (after !== null) parts.push(`after ${after[0]}${after[1] !== null ? ` within ${after[1]}` : ''}`);
        return { kind: effect as ItemModel['kind'], parts };
      }),
    );
  const limit = fc
    .tuple(
      target,
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom('30s', '1m', '2m', '5m'),
      fc.subarray(['agent', 'session', 'tool', 'human']),
      maybe(principalArb(sk), 1, 2),
      maybe(fc.constant(0), 1, 2),
    )
    .chain(([t, count, window, per, principal, hasWhen]) =>
      (hasWhen === null ? fc.constant(undefined) : conditionArb(argsFor(t), sk.tools, sk, 1)).map((when) => {
        const parts = [`limit ${t.text} to ${count} per ${window}${per.map((k) => ` per ${k}`).join('')}`];
        if (principal !== null) parts.push(`for ${principal}`);
        if (when !== undefined) parts.push(`when ${when}`);
        return { kind: 'limit' as const, parts };
      }),
    );
  const grant = fc
    .tuple(
      target,
      principalArb(sk),
      grantOpening(anchorMs),
      maybe(fc.constant(0), 1, 2),
    )
    .chain(([t, principal, open, hasWhen]) =>
      (hasWhen === null ? fc.constant(undefined) : conditionArb(argsFor(t), sk.tools, sk, 1)).map((when) => {
        const parts = [`grant ${t.text} to ${principal} ${open}`];
        if (when !== undefined) parts.push(`when ${when}`);
        return { kind: 'grant' as const, parts };
      }),
    );
  return inRole
    ? fc.oneof({ weight: 4, arbitrary: rule }, { weight: 1, arbitrary: limit })
    : fc.oneof({ weight: 6, arbitrary: rule }, { weight: 2, arbitrary: limit }, { weight: 2, arbitrary: grant });
}

/** How a grant opens: after an approval (most often), from the session's start, or in a fixed window near the anchor. */
function grantOpening(anchorMs: number): fc.Arbitrary<string> {
  const iso = (offsetMinutes: number) => new Date(anchorMs + offsetMinutes * 60_000).toISOString().replace('.000Z', 'Z');
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('1m', '2m', '5m', '20m').map((d) => `for ${d} after approval`) },
    { weight: 1, arbitrary: fc.constantFrom('1m', '5m', '20m').map((d) => `for ${d}`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -5, max: 18 }), fc.integer({ min: 1, max: 15 })).map(([from, length]) => `from "${iso(from)}" until "${iso(from + length)}"`) },
  );
}

type Parts = { kind: ItemModel['kind']; parts: string[] };

/**
 * Coupled rules around the first ("focus") tool, each present or not: a broad permit, an
 * approval with a grant it opens, a limit, a taint rule and a provenance rule. Random rules
 * alone rarely line up enough to exercise grants, limits, `after` and `from`.
 */
function motifsArb(sk: Skeleton, anchorMs: number): fc.Arbitrary<Parts[]> {
  const focus = sk.tools[0]!;
  const hasRecipient = sk.tools.filter((t) => t.args.some((a) => a.name === 'recipient'));
  const principal = principalArb(sk);
  // Grants and limits for a human exercise the human side of delegation.
  const humanFirst = sk.humans.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...sk.humans.map((h) => `human ${h.name}`)) }, { weight: 1, arbitrary: principal }) : principal;
  const source = fc.constantFrom('label untrusted_source', 'label untrusted_source', `tool ${sk.tools[1]?.name ?? focus.name}`, 'tool get_*', 'tool *', 'any tool');
  const broad: fc.Arbitrary<Parts> = fc
    .tuple(fc.constantFrom('any tool', 'tool *', 'tool get_*', 'label read', `tool ${focus.name}`, `tool [${sk.tools.map((t) => t.name).join(', ')}]`), maybe(principal, 1, 3))
    .map(([target, p]) => ({ kind: 'permit', parts: [`permit ${target}`, ...(p !== null ? [`for ${p}`] : [])] }));
  const approvalGrant: fc.Arbitrary<Parts[]> = fc
    .tuple(fc.constantFrom('', ' by finance', ' by security'), maybe(humanFirst, 1, 2), humanFirst, grantOpening(anchorMs))
    .map(([by, p, to, opening]) => [
      { kind: 'approval', parts: [`require approval${by} for tool ${focus.name}`, ...(p !== null ? [`for ${p}`] : [])] },
      { kind: 'grant', parts: [`grant tool ${focus.name} to ${to} ${opening}`] },
    ]);
  const limit: fc.Arbitrary<Parts> = fc
    .tuple(fc.constantFrom(`tool ${focus.name}`, 'any tool', 'tool *'), fc.integer({ min: 1, max: 2 }), fc.constantFrom('1m', '2m', '5m'), fc.subarray(['agent', 'session', 'tool', 'human']), maybe(humanFirst, 1, 1))
    .map(([target, count, window, per, p]) => ({ kind: 'limit', parts: [`limit ${target} to ${count} per ${window}${per.map((k) => ` per ${k}`).join('')}`, ...(p !== null ? [`for ${p}`] : [])] }));
  const taint: fc.Arbitrary<Parts> = fc
    .tuple(fc.constantFrom('forbid', 'require approval for', 'permit'), source, maybe(fc.constantFrom('30s', '1m', '2m', '5m'), 1, 1), maybe(conditionArb(argsFor({ text: '', tools: [focus] }), sk.tools, sk, 0), 1, 2))
    .map(([effect, src, within, when]) => ({
      kind: effect === 'forbid' ? 'forbid' : effect === 'permit' ? 'permit' : 'approval',
      parts: [`${effect} tool ${focus.name}`, `after ${src}${within !== null ? ` within ${within}` : ''}`, ...(when !== null ? [`when ${when}`] : [])],
    }));
  const provenance: fc.Arbitrary<Parts> =
    hasRecipient.length === 0
      ? fc.constant({ kind: 'monitor', parts: ['monitor any tool'] })
      : fc
          .tuple(fc.constantFrom('forbid', 'require approval by security for', 'permit'), fc.constantFrom(...hasRecipient), source, fc.boolean())
          .map(([effect, tool, src, negated]) => ({
            kind: effect === 'forbid' ? 'forbid' : effect === 'permit' ? 'permit' : 'approval',
            parts: [`${effect} tool ${tool.name}`, `when ${negated ? `not (args.recipient from ${src})` : `args.recipient from ${src}`}`],
          }));
  // Local time around the anchor's daylight-saving change or midnight.
  const clock: fc.Arbitrary<Parts> = fc
    .tuple(
      fc.constantFrom('forbid', 'require approval for', 'permit'),
      fc.constantFrom(`tool ${focus.name}`, 'any tool'),
      fc.oneof(
        fc.integer({ min: 0, max: 23 }).map((h) => `time.hour >= ${h}`),
        fc.integer({ min: 0, max: 23 }).map((h) => `time.hour == ${h}`),
        fc.constantFrom('time.weekday in weekend', 'time.weekday == "sun"', 'time.date >= "2026-07-04"', 'time.minute >= 30'),
      ),
    )
    .map(([effect, target, when]) => ({ kind: effect === 'forbid' ? 'forbid' : effect === 'permit' ? 'permit' : 'approval', parts: [`${effect} ${target}`, `when ${when}`] }));
  return fc
    .tuple(maybe(broad, 3, 1), maybe(approvalGrant, 1, 1), maybe(limit, 1, 1), maybe(taint, 1, 1), maybe(provenance, 1, 1), maybe(clock, 1, 1))
    .map(([b, ag, l, t, pv, c]) => [...(b ? [b] : []), ...(ag ?? []), ...(l ? [l] : []), ...(t ? [t] : []), ...(pv ? [pv] : []), ...(c ? [c] : [])]);
}

const toolArb: (name: string) => fc.Arbitrary<ToolModel> = (name) =>
  fc
    .tuple(fc.subarray(ARG_NAMES, { maxLength: 4 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), fc.subarray([...LABELS], { maxLength: 3 }))
    .map(([args, optional, labels]) => ({ name, args: args.map((a, i) => ({ name: a, optional: optional[i]! })), labels }));

/**
 * With `focus`, the first tool takes a `recipient` argument and the second carries
 * `untrusted_source`, so provenance and taint rules have something to work on.
 */
function focusTools(tools: readonly ToolModel[], focus: boolean): ToolModel[] {
  if (!focus) return [...tools];
  return tools.map((tool, i) => {
    if (i === 0 && !tool.args.some((a) => a.name === 'recipient')) return { ...tool, args: [...tool.args, { name: 'recipient', optional: false }] };
    if (i === 1 && !tool.labels.includes('untrusted_source')) return { ...tool, labels: [...tool.labels, 'untrusted_source'] };
    return tool;
  });
}

const skeletonArb = (zone: (typeof ZONES)[number]): fc.Arbitrary<Skeleton> => fc
  .tuple(
    fc.oneof({ weight: 2, arbitrary: fc.constant(zone) }, { weight: 1, arbitrary: fc.constantFrom(undefined, ...ZONES) }),
    fc.boolean(),
    fc.subarray([...TOOL_POOL], { minLength: 2, maxLength: 5 }),
    fc.array(fc.tuple(fc.constantFrom(...LABELS), fc.constantFrom('get_*', '*_file', '*_item')), { maxLength: 2 }),
    fc.subarray([...AGENT_POOL], { minLength: 1, maxLength: 3 }),
    fc.subarray([...HUMAN_POOL], { maxLength: 2 }),
    fc.boolean(),
  )
  .chain(([timezone, context, toolNames, labelPatterns, agentNames, humanNames, focus]) =>
    fc
      .tuple(
        fc.tuple(...toolNames.map(toolArb)),
        fc.tuple(
          ...agentNames.map((name) =>
            fc
              .tuple(fc.subarray([...ROLES], { maxLength: 2 }), maybe(fc.constantFrom(...TIERS), 2, 1), maybe(fc.constant('team@corp.example'), 1, 1))
              .map(([roles, tier, owner]) => ({ name, roles, tier: tier ?? undefined, owner: owner ?? undefined })),
          ),
        ),
        fc.tuple(...humanNames.map((name) => fc.subarray([...ROLES], { maxLength: 2 }).map((roles) => ({ name, roles })))),
      )
      .map(([tools, agents, humans]) => ({
        timezone,
        context,
        tools: focusTools(tools, focus),
        labelPatterns: labelPatterns.map(([label, pattern]) => ({ label, pattern })),
        agents,
        humans,
      })),
  );

function workspaceArb(anchor: string): fc.Arbitrary<WorkspaceModel> {
  const anchorMs = Date.parse(anchor);
  return skeletonArb(ANCHOR_ZONES[ANCHORS.indexOf(anchor as (typeof ANCHORS)[number])] ?? 'UTC').chain((sk) =>
    fc
      .tuple(
        fc.tuple(...ROLES.map(() => fc.array(itemArb(sk, anchorMs, true), { maxLength: 3 }))),
        fc
          .tuple(fc.array(itemArb(sk, anchorMs, false), { maxLength: 6 }), motifsArb(sk, anchorMs))
          .chain(([random, motifs]) => fc.shuffledSubarray([...random, ...motifs], { minLength: random.length + motifs.length })),
        fc.array(fc.constantFrom('id', 'none', 'because'), { minLength: 40, maxLength: 40 }),
      )
      .map(([roleItems, topItems, naming]) => {
        // Unique ids for most items; some keep the generated `<file>:<line>` id.
        let counter = 0;
        const finish = (item: { kind: ItemModel['kind']; parts: string[] }): ItemModel => {
          const choice = naming[counter % naming.length]!;
          const id = `r${++counter}`;
          const parts = [...item.parts];
          if (choice !== 'none') parts.push(`id ${id}`);
          if (choice === 'because') parts.push(`because "reason ${id}"`);
          return { kind: item.kind, text: parts.join(' ') };
        };
        return {
          ...sk,
          roles: ROLES.map((name, i) => ({ name, items: roleItems[i]!.map(finish) })),
          items: topItems.map(finish),
        };
      }),
  );
}

// --- events --------------------------------------------------------------------------------------

const wrongValue = fc.oneof(
  fc.constantFrom<unknown>('100', 'twenty', '', null, true, false, 0, 7.5, { a: 1 }, []),
  fc.subarray([...RECIPIENTS], { minLength: 1, maxLength: 2 }),
  fc.constantFrom(['GB11', 5], [5, 'GB11']),
);

function valueOf(arg: ArgName): fc.Arbitrary<unknown> {
  switch (ARG_TYPES[arg]) {
    case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.constantFrom(2.5, 99.5, 1000, 10, 100));
    case 'int':
      return fc.integer({ min: 0, max: 5 });
    case 'bool':
      return fc.boolean();
    case 'string':
      return arg === 'recipient' ? fc.constantFrom(...RECIPIENTS) : fc.constantFrom(...PATHS);
  }
}

function argsArb(tool: ToolModel | undefined): fc.Arbitrary<Record<string, unknown>> {
  const declared = tool ? tool.args.map((a) => a.name) : [];
  const entries = declared.map((name) =>
    fc.oneof({ weight: 14, arbitrary: valueOf(name).map((v) => [name, v] as const) }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: wrongValue.map((v) => [name, v] as const) }),
  );
  const extra = maybe(fc.tuple(fc.constantFrom(...ARG_NAMES), fc.oneof(valueOf('recipient'), valueOf('amount'), wrongValue)), 1, 5);
  return fc.tuple(fc.tuple(...entries), extra).map(([list, more]) => {
    const args: Record<string, unknown> = {};
    for (const entry of list) if (entry) args[entry[0]] = entry[1];
    if (more && !(more[0] in args)) args[more[0]] = more[1];
    return args;
  });
}

const textArb = fc.oneof(
  fc.constantFrom(...RECIPIENTS).map((r) => `Please pay ${r} the rent.`),
  fc.tuple(fc.constantFrom(...RECIPIENTS), fc.constantFrom(...RECIPIENTS)).map(([a, b]) => `${a} and ${b}`),
  fc.constantFrom('ok', 'nothing here', '', 'docs/a.txt'),
);

interface Actor {
  readonly session: string;
  readonly agent: string;
  readonly human: string | null;
}

/** Who acts: 1–3 (session, agent, human) triples; events mostly come from the first. */
function actorsArb(ws: WorkspaceModel): fc.Arbitrary<Actor[]> {
  const agents = [...ws.agents.map((a) => a.name), UNDECLARED_AGENT];
  const humans = [...ws.humans.map((h) => h.name), UNDECLARED_HUMAN];
  const actor = fc.record({
    session: fc.constantFrom('s1', 's1', 's2', 's3'),
    agent: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ws.agents.map((a) => a.name)) }, { weight: 1, arbitrary: fc.constant(UNDECLARED_AGENT) }, { weight: 1, arbitrary: fc.constantFrom(...agents) }),
    human: maybe(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...humans) }, { weight: ws.humans.length, arbitrary: fc.constantFrom(...humans.slice(0, 1)) }), 1, 1),
  });
  return fc.array(actor, { minLength: 1, maxLength: 3 });
}

function eventArb(ws: WorkspaceModel, actors: readonly Actor[]): fc.Arbitrary<EventModel> {
  const dt = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 }) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 120 }) });
  const actor = fc.oneof({ weight: 3, arbitrary: fc.constant(actors[0]!) }, { weight: 2, arbitrary: fc.constantFrom(...actors) });
  const session = fc.oneof({ weight: 3, arbitrary: actor.map((a) => a.session) }, { weight: 1, arbitrary: fc.constantFrom('s1', 's2', 's3') });
  const toolNames = [...ws.tools.map((t) => t.name), ...UNKNOWN_TOOLS];
  const call = fc
    .tuple(
      dt,
      actor,
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...ws.tools.slice(0, 2).map((t) => t.name)) },
        { weight: 4, arbitrary: fc.constantFrom(...ws.tools.map((t) => t.name)) },
        { weight: 1, arbitrary: fc.constantFrom(...toolNames) },
        { weight: 2, arbitrary: fc.constantFrom(...UNKNOWN_TOOLS) },
      ),
    )
    .chain(([dt, { session, agent, human }, tool]) =>
      fc
        .tuple(
          argsArb(ws.tools.find((t) => t.name === tool)),
          fc.oneof({ weight: 3, arbitrary: textArb }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...RECIPIENTS).map((r) => ({ to: r })) }),
          ws.context ? maybe(fc.constantFrom<Record<string, unknown>>({ env: 'prod' }, { env: 'staging' }, { env: 5 }, {}), 3, 1).map((c) => c ?? undefined) : fc.constant(undefined),
        )
        .map(([args, result, context]): EventModel => ({ kind: 'call', dt, session, agent, human: human ?? undefined, tool, args, result, context })),
    );
  return fc.oneof(
    { weight: 6, arbitrary: call },
    { weight: 2, arbitrary: fc.tuple(dt, session, textArb).map(([dt, session, text]): EventModel => ({ kind: 'user', dt, session, text })) },
    { weight: 1, arbitrary: fc.tuple(dt, session, textArb).map(([dt, session, text]): EventModel => ({ kind: 'agent_message', dt, session, text })) },
  );
}

/** A whole case: a workspace and 1–15 events around one anchor time. */
export const caseArb: fc.Arbitrary<CaseModel> = fc
  .tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: 8 * 60, max: 14 * 60 + 30 }))
  .chain(([anchor, start]) =>
    workspaceArb(anchor).chain((workspace) =>
      actorsArb(workspace).chain((actors) => fc.array(eventArb(workspace, actors), { minLength: 1, maxLength: 15 }).map((events) => ({ anchor, start, workspace, events }))),
    ),
  );

/** Smaller versions of a case, for minimising a failure by hand or in a test. */
export function* smallerCases(model: CaseModel): Generator<CaseModel> {
  const ws = model.workspace;
  for (let i = 0; i < model.events.length; i++) yield { ...model, events: model.events.filter((_, j) => j !== i) };
  for (let i = 0; i < ws.items.length; i++) yield { ...model, workspace: { ...ws, items: ws.items.filter((_, j) => j !== i) } };
  for (let r = 0; r < ws.roles.length; r++) {
    const role = ws.roles[r]!;
    for (let i = 0; i < role.items.length; i++) {
      const roles = ws.roles.map((x, k) => (k === r ? { ...x, items: x.items.filter((_, j) => j !== i) } : x));
      yield { ...model, workspace: { ...ws, roles } };
    }
  }
  if (ws.timezone) yield { ...model, workspace: { ...ws, timezone: undefined } };
  if (ws.labelPatterns.length > 0) yield { ...model, workspace: { ...ws, labelPatterns: [] } };
  for (let i = 0; i < ws.agents.length; i++) {
    const agent = ws.agents[i]!;
    if (agent.roles.length > 0) yield { ...model, workspace: { ...ws, agents: ws.agents.map((a, j) => (j === i ? { ...a, roles: [] } : a)) } };
    if (agent.tier) yield { ...model, workspace: { ...ws, agents: ws.agents.map((a, j) => (j === i ? { ...a, tier: undefined } : a)) } };
  }
  for (let i = 0; i < ws.humans.length; i++) {
    if (ws.humans[i]!.roles.length > 0) yield { ...model, workspace: { ...ws, humans: ws.humans.map((h, j) => (j === i ? { ...h, roles: [] } : h)) } };
  }
  for (let i = 0; i < model.events.length; i++) {
    const e = model.events[i]!;
    if (e.kind !== 'call') continue;
    const replace = (next: EventModel) => ({ ...model, events: model.events.map((x, j) => (j === i ? next : x)) });
    if (e.result !== undefined) yield replace({ ...e, result: undefined });
    if (e.human !== undefined) yield replace({ ...e, human: undefined });
    if (e.context !== undefined) yield replace({ ...e, context: undefined });
    for (const key of Object.keys(e.args)) yield replace({ ...e, args: Object.fromEntries(Object.entries(e.args).filter(([k]) => k !== key)) });
    if (e.dt !== 0) yield replace({ ...e, dt: 0 });
  }
}

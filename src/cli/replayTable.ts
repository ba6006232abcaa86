// How `gatehouse replay` prints decisions: a table per trace that fits 120 columns, a summary
// line per trace and overall, or one JSON object per decided event.

import type { Decision, DecisionEffect } from '../engine/decision';
import type { ToolCallEvent } from '../traces/event';

/** One decided tool call of a trace. */
export interface ReplayRow {
  readonly event: ToolCallEvent;
  readonly decision: Decision;
}

export interface TraceSummary {
  /** All events of the trace: tool calls and messages. */
  readonly events: number;
  readonly toolCalls: number;
  readonly allowed: number;
  readonly denied: number;
  readonly held: number;
  /** Monitor findings over all calls. */
  readonly findings: number;
  /** Decisions that recorded an evaluation error. */
  readonly withErrors: number;
  /** The first call denied or held. */
  readonly firstBlocked?: ReplayRow;
}

export const TABLE_WIDTH = 120;

export function summarizeRows(events: number, rows: readonly ReplayRow[]): TraceSummary {
  const count = (effect: DecisionEffect) => rows.filter((row) => row.decision.effect === effect).length;
  const firstBlocked = rows.find((row) => row.decision.effect !== 'allow');
  return {
    events,
    toolCalls: rows.length,
    allowed: count('allow'),
    denied: count('deny'),
    held: count('approval'),
    findings: rows.reduce((sum, row) => sum + row.decision.findings.length, 0),
    withErrors: rows.filter((row) => row.decision.errors.length > 0).length,
    ...(firstBlocked ? { firstBlocked } : {}),
  };
}

/**
 * The ids of the deciding rules, each once: a rule that decided for both the agent and the human
 * it acts for appears twice in `deciding` (once per side).
 */
export function ruleIds(decision: Decision): string[] {
  return [...new Set(decision.deciding.map((rule) => rule.id))];
}

/** The deciding rules as shown: their ids, or `default deny`. */
export function rulesText(decision: Decision): string {
  if (decision.deciding.length > 0) return ruleIds(decision).join(', ');
  return decision.defaultDeny ? 'default deny' : '';
}

/**
 * The reason shown: the first deciding rule's `because`, or the default-deny reason; nothing
 * for a rule without `because` (its id is in the rules column already).
 */
export function reasonText(decision: Decision): string {
  if (decision.defaultDeny) return decision.reasons[0] ?? 'default deny';
  return decision.deciding.find((rule) => rule.because !== undefined)?.because ?? '';
}

/** The decision table of one trace, lines of at most `width` columns. */
export function formatTable(rows: readonly ReplayRow[], width = TABLE_WIDTH): string[] {
  const showSession = new Set(rows.map((row) => row.event.session)).size > 1;
  const cells = rows.map((row) => {
    const reason = reasonText(row.decision);
    const errors = row.decision.errors.length;
    return {
      session: row.event.session,
      seq: String(row.event.seq),
      tool: row.event.tool,
      effect: row.decision.effect,
      rules: rulesText(row.decision),
      reason: errors > 0 ? `${reason}${reason ? ' ' : ''}[${errors} evaluation error${errors === 1 ? '' : 's'}]` : reason,
    };
  });
  const header = { session: 'session', seq: 'seq', tool: 'tool', effect: 'effect', rules: 'rules', reason: 'reason' };
  const all = [header, ...cells];
  const widest = (key: keyof typeof header, cap: number) => Math.min(cap, Math.max(...all.map((cell) => cell[key].length)));
  const columns = {
    session: showSession ? widest('session', 20) : 0,
    seq: widest('seq', 8),
    tool: widest('tool', 28),
    effect: widest('effect', 8),
    rules: widest('rules', 32),
  };
  const gaps = showSession ? 5 : 4;
  const fixed = columns.session + columns.seq + columns.tool + columns.effect + columns.rules + gaps * 2;
  const reasonWidth = Math.max(10, width - fixed);
  const line = (cell: typeof header): string => {
    const parts = [
      ...(showSession ? [fit(cell.session, columns.session).padEnd(columns.session)] : []),
      fit(cell.seq, columns.seq).padStart(columns.seq),
      fit(cell.tool, columns.tool).padEnd(columns.tool),
      fit(cell.effect, columns.effect).padEnd(columns.effect),
      fit(cell.rules, columns.rules).padEnd(columns.rules),
      fit(cell.reason, reasonWidth),
    ];
    return parts.join('  ').trimEnd();
  };
  return all.map(line);
}

/** `text` cut to `width` columns, ending in `…` when cut; line breaks shown as spaces. */
export function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  if (flat.length <= width) return flat;
  return width <= 1 ? flat.slice(0, width) : `${flat.slice(0, width - 1)}…`;
}

/** `12 events, 5 tool calls: 3 allowed, 1 denied, 1 held for approval; first blocked: ...` */
export function formatSummary(summary: TraceSummary): string {
  const parts = [`${plural(summary.events, 'event')}, ${plural(summary.toolCalls, 'tool call')}: ${summary.allowed} allowed, ${summary.denied} denied, ${summary.held} held for approval`];
  if (summary.findings > 0) parts.push(plural(summary.findings, 'monitor finding'));
  if (summary.withErrors > 0) parts.push(`${plural(summary.withErrors, 'decision')} with evaluation errors`);
  const first = summary.firstBlocked;
  parts.push(first ? `first blocked: #${first.event.seq} ${first.event.tool} (${first.decision.effect}: ${rulesText(first.decision)})` : 'nothing blocked');
  return parts.join('; ');
}

/** The `--json` record of one decided call. */
export function decisionRecord(trace: string, row: ReplayRow): Record<string, unknown> {
  const { event, decision } = row;
  return {
    trace,
    session: event.session,
    seq: event.seq,
    time: Number.isFinite(event.time) && Math.abs(event.time) <= 8.64e15 ? new Date(event.time).toISOString() : event.time,
    agent: event.agent,
    ...(event.onBehalfOf !== undefined ? { on_behalf_of: event.onBehalfOf } : {}),
    tool: event.tool,
    ...(event.callId !== undefined ? { call_id: event.callId } : {}),
    ...(event.source?.line !== undefined ? { line: event.source.line } : {}),
    effect: decision.effect,
    rules: ruleIds(decision),
    ...(decision.approver !== undefined ? { approver: decision.approver } : {}),
    ...(decision.assumedApproved !== undefined ? { assumed_approved: decision.assumedApproved } : {}),
    default_deny: decision.defaultDeny,
    reasons: decision.reasons,
    findings: decision.findings.map((rule) => rule.id),
    errors: decision.errors.map((error) => ({ code: error.code, ...(error.rule !== undefined ? { rule: error.rule } : {}), message: error.message })),
    ...(decision.facts.length > 0 ? { facts: decision.facts } : {}),
    policy_hash: decision.policyHash,
  };
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

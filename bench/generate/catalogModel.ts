// The generated tool catalog: domains of tools with typed arguments and labels, shaped like the
// catalogs MCP servers export (`github_create_issue`, `banking_send_payment`, ...).

import type { Random } from '../random';

export type ArgKind = 'string' | 'number' | 'int' | 'bool' | 'enum' | 'strings' | 'object' | 'any';

export interface ArgType {
  readonly kind: ArgKind;
  /** Enum members (strings). */
  readonly values?: readonly string[];
}

export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  readonly optional: boolean;
}

export interface ToolSpec {
  readonly name: string;
  readonly domain: string;
  readonly verb: string;
  readonly noun: string;
  readonly description: string;
  readonly args: readonly ArgSpec[];
  readonly labels: readonly string[];
}

export const DOMAINS: Readonly<Record<string, readonly string[]>> = {
  payroll: ['payroll_run', 'payslip', 'salary', 'timesheet'],
  banking: ['payment', 'account', 'transfer', 'statement', 'beneficiary'],
  crm: ['contact', 'deal', 'lead', 'account', 'note'],
  github: ['issue', 'pull_request', 'repo', 'branch', 'release', 'workflow'],
  slack: ['message', 'channel', 'reaction', 'thread'],
  calendar: ['event', 'invite', 'room'],
  files: ['file', 'folder', 'share_link'],
  database: ['table', 'query', 'backup', 'row'],
  cloud: ['vm', 'bucket', 'dns_record', 'iam_role', 'cluster'],
  email: ['email', 'draft', 'attachment', 'mailbox'],
  hr: ['employee', 'review', 'leave_request', 'contract'],
  support: ['ticket', 'macro', 'customer'],
  analytics: ['dashboard', 'report', 'metric'],
  billing: ['invoice', 'subscription', 'refund', 'coupon'],
  docs: ['document', 'page', 'comment'],
  web: ['webpage', 'news', 'image'],
};

export const VERBS = ['get', 'list', 'search', 'create', 'update', 'delete', 'archive', 'send', 'export', 'approve'] as const;

const S: ArgType = { kind: 'string' };
const enumOf = (...values: string[]): ArgType => ({ kind: 'enum', values });

/** One type per argument name across the catalog, as real catalogs mostly are. */
export const ARG_TYPES: Readonly<Record<string, ArgType>> = {
  query: S, limit: { kind: 'int' }, amount: { kind: 'number' }, currency: enumOf('EUR', 'USD', 'GBP', 'CHF'),
  recipient: S, reference: S, to: S, cc: { kind: 'strings' }, subject: S, body: S, path: S, url: S,
  region: enumOf('eu-west', 'eu-central', 'us-east', 'ap-south'), visibility: enumOf('public', 'private', 'internal'),
  priority: enumOf('low', 'normal', 'high', 'urgent'), tags: { kind: 'strings' }, dry_run: { kind: 'bool' },
  force: { kind: 'bool' }, count: { kind: 'int' }, size: enumOf('s', 'm', 'l', 'xl'), department: S, channel: S,
  title: S, description: S, account_id: S, repo: S, branch: S, table: S, sql: S, bucket: S, start: S, end: S,
  attendees: { kind: 'strings' }, metadata: { kind: 'object' }, payload: { kind: 'any' }, retries: { kind: 'int' },
  format: enumOf('csv', 'json', 'pdf'), reason: S, employee_id: S,
};

/** Extra arguments tools of a domain tend to take. */
const DOMAIN_ARGS: Readonly<Record<string, readonly string[]>> = {
  cloud: ['region', 'size', 'dry_run'], database: ['table', 'sql', 'retries'], github: ['repo', 'branch'],
  files: ['path', 'bucket'], calendar: ['start', 'end', 'attendees'], analytics: ['metadata', 'count'],
  support: ['priority'], hr: ['employee_id', 'department'], crm: ['account_id'], docs: ['visibility'],
  web: ['url'], payroll: ['employee_id'], banking: ['account_id'], billing: ['account_id', 'currency'],
  email: ['mailbox_id'], slack: ['channel'],
};

function typeOf(name: string): ArgType {
  return ARG_TYPES[name] ?? S; // `<noun>_id` and the like are strings
}

function verbArgs(domain: string, verb: string, noun: string): [string, boolean][] {
  const id = `${noun}_id`;
  switch (verb) {
    case 'get': return [[id, false]];
    case 'list': return [['limit', true], ['department', true]];
    case 'search': return [['query', false], ['limit', true]];
    case 'create': return [['title', false], ['description', true], ['tags', true]];
    case 'update': return [[id, false], ['title', true], ['tags', true], ['priority', true]];
    case 'delete': return [[id, false], ['force', true]];
    case 'archive': return [[id, false], ['reason', true]];
    case 'export': return [['format', false], ['path', false]];
    case 'approve': return [[id, false], ['reason', true]];
    case 'send':
      if (domain === 'banking' || domain === 'payroll' || domain === 'billing') return [['recipient', false], ['amount', false], ['currency', false], ['reference', true]];
      if (domain === 'email') return [['to', false], ['cc', true], ['subject', false], ['body', false]];
      if (domain === 'slack') return [['channel', false], ['body', false]];
      return [['recipient', false], ['body', false]];
    default: return [];
  }
}

function labelsFor(domain: string, verb: string, rng: Random): string[] {
  const reads = verb === 'get' || verb === 'list' || verb === 'search' || verb === 'export';
  const labels = [reads ? 'read' : 'write'];
  if (verb === 'delete' || verb === 'archive') labels.push('destructive');
  if (verb === 'send' && (domain === 'banking' || domain === 'payroll' || domain === 'billing')) labels.push('payment', 'irreversible');
  if (verb === 'send' && (domain === 'email' || domain === 'slack')) labels.push('external');
  if (domain === 'hr' || domain === 'payroll' || domain === 'crm') labels.push('pii');
  if (domain === 'web' || (domain === 'email' && reads)) labels.push('open_world');
  if (domain === 'cloud' && verb === 'delete') labels.push('irreversible');
  if (rng.chance(0.1)) labels.push('audited');
  return labels;
}

/** `count` tools spread over the domains, with a stable order and unique names. */
export function generateTools(count: number, rng: Random): ToolSpec[] {
  const combos = Object.entries(DOMAINS).flatMap(([domain, nouns]) => nouns.flatMap((noun) => VERBS.map((verb) => ({ domain, verb, noun }))));
  const chosen = rng.shuffle(combos);
  const tools: ToolSpec[] = [];
  for (let i = 0; i < count; i++) {
    const { domain, verb, noun } = chosen[i % chosen.length]!;
    const round = Math.floor(i / chosen.length);
    const name = `${domain}_${verb}_${noun}${round > 0 ? `_v${round + 1}` : ''}`;
    const seen = new Set<string>();
    const args: ArgSpec[] = [];
    const add = (argName: string, optional: boolean): void => {
      if (seen.has(argName)) return;
      seen.add(argName);
      args.push({ name: argName, type: typeOf(argName), optional });
    };
    for (const [argName, optional] of verbArgs(domain, verb, noun)) add(argName, optional);
    for (const argName of rng.sample(DOMAIN_ARGS[domain] ?? [], rng.int(0, 2))) add(argName, rng.chance(0.6));
    tools.push({ name, domain, verb, noun, description: `${capitalize(verb)}s ${noun.replace(/_/g, ' ')} records in ${domain}`, args, labels: labelsFor(domain, verb, rng) });
  }
  return tools;
}

/** A gate type as written in a catalog. */
export function renderArgType(type: ArgType): string {
  switch (type.kind) {
    case 'enum': return type.values!.map((value) => JSON.stringify(value)).join(' | ');
    case 'strings': return 'list<string>';
    default: return type.kind;
  }
}

/** One tool declaration, formatted over several lines the way imported catalogs are. */
export function renderTool(tool: ToolSpec): string[] {
  const args = tool.args.map((arg) => `${arg.name}${arg.optional ? '?' : ''}: ${renderArgType(arg.type)}`).join(', ');
  return [`tool ${tool.name} {`, `  description ${JSON.stringify(tool.description)}`, `  args { ${args} }`, `  labels [${tool.labels.join(', ')}]`, '}'];
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

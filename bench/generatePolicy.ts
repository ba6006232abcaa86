// Deterministic, realistic policy workspaces for the benchmarks: a catalog of a few hundred typed,
// labelled tools, shared vocabulary (time zone, context, labels, sets), identities and roles,
// then policy files with rules of every kind and test files, until the line budget is used.
// The output checks with zero diagnostics; `test/bench/generatePolicy.test.ts` keeps it so.

import { generateTools, renderTool, type ToolSpec } from './generate/catalogModel';
import { generateRule } from './generate/rules';
import { generateTest } from './generate/tests';
import { toolsMatching, type AgentSpec, type Vocabulary } from './generate/vocabulary';
import { Random } from './random';

export interface GenerateOptions {
  /** About how many lines the workspace has in total (it may run a few lines over). */
  readonly lines: number;
  readonly seed?: number;
}

export interface GeneratedWorkspace {
  /** Workspace path and text of each file, catalog first. */
  readonly files: readonly (readonly [string, string])[];
  readonly lineCount: number;
  readonly characterCount: number;
  /** Plain descriptions of the tools, rules and tests written, for the JSON baseline. */
  readonly records: readonly Readonly<Record<string, unknown>>[];
}

const LEVELS = ['reader', 'writer', 'admin', 'auditor', 'oncall'];
const FIRST_NAMES = ['dana', 'lee', 'mira', 'omar', 'sven', 'yuki', 'ana', 'li', 'noah', 'ines'];
const TIERS = ['low', 'medium', 'high', 'critical'];
const READ_VERBS = new Set(['get', 'list', 'search', 'export']);
const POLICY_FILE_LINES = 450;
const TEST_FILE_LINES = 120;

/** Generates a workspace of about `lines` lines; the same options always give the same files. */
export function generateWorkspace({ lines, seed = 1 }: GenerateOptions): GeneratedWorkspace {
  const rng = new Random(seed);
  const tools = generateTools(Math.max(20, Math.round(lines / 40)), rng);
  const records: Record<string, unknown>[] = tools.map((tool) => ({ kind: 'tool', ...tool }));
  const files: [string, string[]][] = [];
  const catalog = catalogFile(tools);
  const common = commonFile(tools, lines);
  const identities = identitiesFile(tools, rng, lines);
  files.push(['catalog.gate', catalog], ['common.gate', common.lines], ['identities.gate', identities.lines]);
  const vocabulary: Vocabulary = { ...common.vocabulary, ...identities.vocabulary, tools, toolsByDomain: byDomain(tools), labels: [...new Set(tools.flatMap((tool) => tool.labels))].sort() };
  let used = files.reduce((sum, [, fileLines]) => sum + fileLines.length, 0);
  const domains = [...vocabulary.toolsByDomain.keys()];
  for (let index = 0; used < lines; index++) {
    const domain = domains[index % domains.length]!;
    const name = `${domain}-${Math.floor(index / domains.length) + 1}`;
    const policy = policyFile(name, domain, vocabulary, rng, Math.min(POLICY_FILE_LINES, lines - used), records);
    files.push([`policies/${name}.gate`, policy.lines]);
    used += policy.lines.length;
    if (used >= lines) break;
    const tests = testFile(name, domain, vocabulary, rng, Math.min(TEST_FILE_LINES, lines - used), policy.ruleIds, records);
    files.push([`tests/${name}.test.gate`, tests]);
    used += tests.length;
  }
  const texts = files.map(([path, fileLines]) => [path, `${fileLines.join('\n')}\n`] as const);
  return { files: texts, lineCount: used, characterCount: texts.reduce((sum, [, text]) => sum + text.length, 0), records };
}

function byDomain(tools: readonly ToolSpec[]): Map<string, ToolSpec[]> {
  const map = new Map<string, ToolSpec[]>();
  for (const tool of tools) map.set(tool.domain, [...(map.get(tool.domain) ?? []), tool]);
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function catalogFile(tools: readonly ToolSpec[]): string[] {
  const lines = ['# Tool catalog, as `gatehouse catalog import` writes it from the MCP servers in use.', ''];
  for (const [domain, domainTools] of byDomain(tools)) {
    lines.push(`# --- ${domain} ${'-'.repeat(Math.max(3, 90 - domain.length))}`, '');
    for (const tool of domainTools) lines.push(...renderTool(tool), '');
  }
  return lines;
}

function commonFile(tools: readonly ToolSpec[], budget: number): { lines: string[]; vocabulary: Pick<Vocabulary, 'sourceLabels' | 'valueSets' | 'patternSets'> } {
  const patterns = ['email_get_*', 'email_search_*', 'web_*', 'support_get_*', 'files_get_*', 'docs_get_*'].filter((pattern) => toolsMatching(pattern, tools).length > 0);
  const untrusted = patterns.length > 0 ? patterns : [(tools.find((tool) => tool.labels.includes('read')) ?? tools[0]!).name];
  const external = ['web_*', '*_webpage', '*_news'].filter((pattern) => toolsMatching(pattern, tools).length > 0);
  const accounts = Array.from({ length: Math.max(8, Math.round(budget / 200)) }, (_, i) => `"acc-${String(1000 + i * 7)}"`);
  const lines = [
    '# Vocabulary every policy file shares: time zone, context, taint labels and sets.',
    'import "catalog.gate"',
    '',
    'timezone "Europe/Berlin"',
    'context {',
    '  environment: "prod" | "staging" | "dev"',
    '  region: string',
    '  freeze?: string',
    '  incident: bool',
    '  risk_score: int',
    '  on_call?: list<string>',
    '}',
    '',
    `label untrusted_source description "text written by people outside the company" = ${untrusted.join(', ')}`,
    ...(external.length > 0 ? [`label external_content = ${external.join(', ')}`] : []),
    'label sensitive description "reserved for data classification"',
    '',
    'set trusted_domains = ["*.corp.example", "corp.example", "bank.example"]',
    'set partner_domains = ["*.partner.example", "*.supplier.example"]',
    'set internal_channels = ["#ops", "#finance", "#payroll", "#incidents"]',
    'set protected_branches = ["main", "release", "production"]',
    'set blocked_regions = ["ap-south"]',
    'set vip_accounts = [',
    ...chunk(accounts, 8).map((row) => `  ${row.join(', ')},`),
    ']',
  ];
  const sourceLabels = ['untrusted_source', ...(external.length > 0 ? ['external_content'] : [])];
  return { lines, vocabulary: { sourceLabels, valueSets: ['internal_channels', 'protected_branches', 'vip_accounts'], patternSets: ['trusted_domains', 'partner_domains'] } };
}

function identitiesFile(tools: readonly ToolSpec[], rng: Random, budget: number): { lines: string[]; vocabulary: Pick<Vocabulary, 'roles' | 'rolesByDomain' | 'agents' | 'humans'> } {
  const lines = ['# Who acts here: roles and what they allow, agents, and the humans they act for.', 'import "common.gate"', ''];
  const domains = [...byDomain(tools)];
  const rolesByDomain = new Map<string, string[]>();
  const roleCount = Math.max(domains.length * 2, Math.round(budget / 200));
  for (let i = 0; i < roleCount; i++) {
    const [domain, domainTools] = domains[i % domains.length]!;
    const round = Math.floor(i / domains.length);
    const role = `${domain}-${LEVELS[round % LEVELS.length]!}${round >= LEVELS.length ? `-${round}` : ''}`;
    rolesByDomain.set(domain, [...(rolesByDomain.get(domain) ?? []), role]);
    const level = LEVELS[round % LEVELS.length]!;
    const allVerbs = [...new Set(domainTools.map((tool) => tool.verb))];
    const fitting = allVerbs.filter((verb) => (level === 'reader' || level === 'auditor' ? READ_VERBS.has(verb) : level === 'writer' ? !READ_VERBS.has(verb) : true));
    const verbs = fitting.length > 0 ? fitting : allVerbs;
    lines.push(`role ${role} {`, `  description "${level} access to ${domain}"`);
    for (const verb of rng.sample(verbs, rng.int(1, 3))) lines.push(`  permit tool ${domain}_${verb}_*${rng.chance(0.3) ? ' when time.hour >= 6 and time.hour < 22' : ''}`);
    if (rng.chance(0.5)) lines.push(`  limit tool ${domain}_${rng.pick(verbs)}_* to ${rng.pick([30, 60, 120])} per 1m per agent`);
    lines.push('}', '');
  }
  const roles = [...rolesByDomain.values()].flat();
  const humans = Array.from({ length: Math.max(5, Math.round(budget / 250)) }, (_, i) => `${FIRST_NAMES[i % FIRST_NAMES.length]}-${Math.floor(i / FIRST_NAMES.length) + 1}`);
  for (const human of humans) lines.push(`human ${human} { roles [${rng.sample(roles, rng.int(1, 2)).join(', ')}] }`);
  lines.push('');
  const agents: AgentSpec[] = [];
  for (let i = 0; i < Math.max(8, Math.round(budget / 120)); i++) {
    const [domain] = domains[i % domains.length]!;
    const name = `${domain}-assistant-${Math.floor(i / domains.length) + 1}`;
    const written = rng.chance(0.5) ? `"${name}"` : name;
    agents.push({ name, domain, written });
    const agentRoles = [...new Set([rng.pick(rolesByDomain.get(domain)!), ...rng.sample(roles, rng.int(0, 2))])];
    if (rng.chance(0.5)) lines.push(`agent ${written} { owner "${domain}-team@corp.example"; roles [${agentRoles.join(', ')}]; tier ${rng.pick(TIERS)} }`);
    else lines.push(`agent ${written} {`, `  description "assists the ${domain} team"`, `  owner "${domain}-team@corp.example"`, `  roles [${agentRoles.join(', ')}]`, `  tier ${rng.pick(TIERS)}`, '}');
  }
  return { lines, vocabulary: { roles, rolesByDomain, agents, humans } };
}

function policyFile(name: string, domain: string, vocabulary: Vocabulary, rng: Random, budget: number, records: Record<string, unknown>[]): { lines: string[]; ruleIds: string[] } {
  const path = `policies/${name}.gate`;
  const lines = [`# Policy for the ${domain} agents (${name}).`, 'import "../common.gate"', 'import "../identities.gate"', ''];
  const ruleIds: string[] = [];
  for (let n = 1; lines.length < budget; n++) {
    if (n % 15 === 1) lines.push(`# --- ${domain}: part ${Math.ceil(n / 15)} ${'-'.repeat(60)}`, '');
    if (rng.chance(0.3)) lines.push(`# ${rng.pick(['keep this strict until the audit is done', 'agreed with the security team', 'see the incident review', 'temporary until the new catalog lands'])}`);
    const rule = generateRule(rng, domain, vocabulary, `${name}-r${n}`);
    if (rule.id) ruleIds.push(rule.id);
    else if (rng.chance(0.1)) ruleIds.push(JSON.stringify(`${path}:${lines.length + 1}`));
    records.push({ ...rule.record, file: path });
    lines.push(...rule.lines, '');
  }
  return { lines, ruleIds };
}

function testFile(name: string, domain: string, vocabulary: Vocabulary, rng: Random, budget: number, ruleIds: readonly string[], records: Record<string, unknown>[]): string[] {
  const lines = [`# Tests of policies/${name}.gate.`, `import "../policies/${name}.gate"`, ''];
  for (let n = 1; lines.length < budget; n++) {
    const test = generateTest(rng, `${name}: case ${n}`, domain, vocabulary, ruleIds);
    records.push(test.record);
    lines.push(...test.lines, '');
  }
  return lines;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}


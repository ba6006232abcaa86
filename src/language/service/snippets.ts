// Snippet completions for the start of an item: a declaration at the top level, a rule in a
// role, a step in a test. Tab stops use the `${1:name}` tab-stop syntax editors share.

export interface Snippet {
  /** The word(s) the snippet starts with, shown as the completion label. */
  readonly label: string;
  readonly body: string;
  readonly detail: string;
}

const RULE_SNIPPETS: readonly Snippet[] = [
  { label: 'permit', body: 'permit tool ${1}', detail: 'allow calls of tools' },
  { label: 'forbid', body: 'forbid tool ${1} because "${2}"', detail: 'deny calls of tools, with a reason' },
  { label: 'monitor', body: 'monitor tool ${1}', detail: 'warn about calls without blocking them' },
  { label: 'require approval', body: 'require approval by ${1:group} for tool ${2}', detail: 'calls wait for a human approval' },
  { label: 'limit', body: 'limit tool ${1} to ${2:5} per ${3:1m} per agent', detail: 'rate limit over a sliding window' },
];

/** Snippets for the start of a top-level item. */
export const DECLARATION_SNIPPETS: readonly Snippet[] = [
  { label: 'tool', body: 'tool ${1:name} {\n  args { $2 }\n  labels [$3]\n}', detail: 'a tool of the catalog' },
  ...RULE_SNIPPETS,
  { label: 'grant', body: 'grant tool ${1} to agent ${2} for ${3:15m} after approval', detail: 'time-bound elevation after an approval' },
  { label: 'test', body: 'test "${1}" {\n  $0\n}', detail: 'a policy test' },
  { label: 'agent', body: 'agent ${1:name} {\n  owner "${2}"\n  roles [$3]\n  tier ${4:medium}\n}', detail: 'an AI agent' },
  { label: 'human', body: 'human ${1:name} {\n  roles [$2]\n}', detail: 'a human agents act for' },
  { label: 'role', body: 'role ${1:name} {\n  $0\n}', detail: 'a bundle of rules' },
  { label: 'label', body: 'label ${1:name} = ${2}', detail: 'a label given to tools' },
  { label: 'set', body: 'set ${1:name} = [${2}]', detail: 'a named list of values' },
  { label: 'context', body: 'context {\n  ${1:environment}: ${2:string}\n}', detail: 'the context fields rules may read' },
  { label: 'import', body: 'import "${1}"', detail: 'use another file' },
  { label: 'timezone', body: 'timezone "${1:Europe/Berlin}"', detail: 'the time zone of time conditions' },
];

/** Snippets for an item of a `role { ... }` block. */
export const ROLE_SNIPPETS: readonly Snippet[] = [...RULE_SNIPPETS, { label: 'description', body: 'description "${1}"', detail: 'what the role is for' }];

/** Snippets for a step of a `test { ... }` block. */
export const TEST_SNIPPETS: readonly Snippet[] = [
  { label: 'call', body: 'call ${1:tool} { $2 } expect ${3:deny}', detail: 'a tool call and its expected decision' },
  { label: 'agent', body: 'agent ${1}', detail: 'the agent making the following calls' },
  { label: 'on_behalf_of', body: 'on_behalf_of ${1}', detail: 'the human the agent acts for' },
  { label: 'session', body: 'session "${1}"', detail: 'switch to another session' },
  { label: 'at', body: 'at "${1:2026-07-01T10:00:00Z}"', detail: 'the time of the following calls' },
  { label: 'approvals', body: 'approvals ${1:approve}', detail: 'answer approval requests' },
  { label: 'context', body: 'context { ${1} }', detail: 'context facts of the following calls' },
  { label: 'user', body: 'user "${1}"', detail: "the user's own request" },
];

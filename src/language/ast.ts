// The syntax tree of a `.gate` file. Every node carries a span (offsets into its file's text);
// nodes the parser could not build completely are still present, with `missing` parts marked,
// so the checker and the language service can work on a file that is being typed.

/** Half-open character range [start, end) into one file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A name as written: bare identifier, quoted string or glob pattern (`get_*`). */
export interface Name {
  readonly kind: 'Name';
  readonly span: Span;
  /** The name's value with quotes removed and escapes resolved. */
  readonly value: string;
  /** True when written as a string literal (`"payroll-validator"`). */
  readonly quoted: boolean;
  /** True when the name contains `*` or `?` (only meaningful where globs are allowed). */
  readonly glob: boolean;
}

export interface Comment {
  readonly span: Span;
  /** The text after `#`, without the line break. */
  readonly text: string;
}

export interface SourceFile {
  readonly kind: 'SourceFile';
  readonly span: Span;
  readonly path: string;
  readonly text: string;
  readonly declarations: readonly Declaration[];
  readonly comments: readonly Comment[];
}

export type Declaration =
  | ImportDecl
  | TimezoneDecl
  | ContextDecl
  | ToolDecl
  | LabelDecl
  | SetDecl
  | AgentDecl
  | HumanDecl
  | RoleDecl
  | Rule
  | LimitDecl
  | GrantDecl
  | TestDecl
  | ErrorDecl;

/** `import "./catalog.gate"` */
export interface ImportDecl {
  readonly kind: 'Import';
  readonly span: Span;
  readonly path: StringLit;
}

/** `timezone "Europe/Berlin"`: hours and weekdays in conditions are read in this zone. */
export interface TimezoneDecl {
  readonly kind: 'Timezone';
  readonly span: Span;
  readonly zone: StringLit;
}

/** `context { environment: "prod" | "staging", freeze: string }`: the context fields rules may read. */
export interface ContextDecl {
  readonly kind: 'Context';
  readonly span: Span;
  readonly fields: readonly FieldDecl[];
}

// ---------------------------------------------------------------------------------------------
// Catalog

/** `tool send_money { args { recipient: string, amount: number } labels [payment] }` */
export interface ToolDecl {
  readonly kind: 'Tool';
  readonly span: Span;
  readonly name: Name;
  /** `description "..."`, optional. */
  readonly description: StringLit | undefined;
  readonly args: readonly FieldDecl[];
  readonly labels: readonly Name[];
}

/** `recipient: string` or `note?: string` (optional argument). */
export interface FieldDecl {
  readonly kind: 'Field';
  readonly span: Span;
  readonly name: Name;
  readonly optional: boolean;
  readonly type: TypeExpr;
}

export type TypeExpr = NamedType | ListType | LiteralUnionType | ErrorType;

/** `string`, `number`, `int`, `bool`, `object`, `any`. */
export interface NamedType {
  readonly kind: 'NamedType';
  readonly span: Span;
  readonly name: Name;
}

/** `list<string>` */
export interface ListType {
  readonly kind: 'ListType';
  readonly span: Span;
  readonly element: TypeExpr;
}

/** `"open" | "closed"`: one of these literal values. */
export interface LiteralUnionType {
  readonly kind: 'LiteralUnionType';
  readonly span: Span;
  readonly members: readonly (StringLit | NumberLit)[];
}

export interface ErrorType {
  readonly kind: 'ErrorType';
  readonly span: Span;
}

/**
 * `label untrusted_source = read_file, get_webpage`: gives the label to the listed tools (globs
 * allowed). `label pii` alone declares a label no tool carries yet. `description` is optional.
 */
export interface LabelDecl {
  readonly kind: 'Label';
  readonly span: Span;
  readonly name: Name;
  readonly description: StringLit | undefined;
  readonly tools: readonly Name[];
}

/** `set trusted_domains = ["*.corp.example", "bank.example"]` */
export interface SetDecl {
  readonly kind: 'Set';
  readonly span: Span;
  readonly name: Name;
  readonly value: ListLit;
}

// ---------------------------------------------------------------------------------------------
// Identities

/** `agent "payroll-validator" { owner "finance@corp.example"; roles [reporting]; tier high }` */
export interface AgentDecl {
  readonly kind: 'Agent';
  readonly span: Span;
  readonly name: Name;
  readonly owner: StringLit | undefined;
  readonly roles: readonly Name[];
  readonly tier: Name | undefined;
  readonly description: StringLit | undefined;
}

/** `human "dana" { roles [sales-intern] }` */
export interface HumanDecl {
  readonly kind: 'Human';
  readonly span: Span;
  readonly name: Name;
  readonly roles: readonly Name[];
  readonly description: StringLit | undefined;
}

/** `role reporting { permit tool get_* }`: the rules inside apply to every holder of the role. */
export interface RoleDecl {
  readonly kind: 'Role';
  readonly span: Span;
  readonly name: Name;
  readonly description: StringLit | undefined;
  readonly rules: readonly (Rule | LimitDecl | ErrorDecl)[];
}

// ---------------------------------------------------------------------------------------------
// Rules

export const EFFECTS = ['permit', 'forbid', 'approval', 'monitor'] as const;
export type Effect = (typeof EFFECTS)[number];

/**
 * `forbid tool send_money for agent "payroll-validator" when ... after ... id x because "..."`.
 * `require approval by finance-approvers for tool send_money ...` has effect `approval`.
 */
export interface Rule {
  readonly kind: 'Rule';
  readonly span: Span;
  readonly effect: Effect;
  /** Span of the effect keyword(s), e.g. `require approval`. */
  readonly effectSpan: Span;
  /** The approver group of `require approval by X`. */
  readonly approver: Name | undefined;
  readonly target: ToolSelector;
  readonly principal: PrincipalSelector | undefined;
  readonly when: Expr | undefined;
  readonly after: AfterClause | undefined;
  readonly id: Name | undefined;
  readonly because: StringLit | undefined;
}

/** Which tools a rule, limit or grant covers. */
export type ToolSelector =
  | { readonly kind: 'ToolTarget'; readonly span: Span; readonly tools: readonly Name[] } // tool a | tool [a, b*]
  | { readonly kind: 'LabelTarget'; readonly span: Span; readonly labels: readonly Name[] } // label x | label [x, y]
  | { readonly kind: 'AnyToolTarget'; readonly span: Span } // any tool
  | { readonly kind: 'MissingTarget'; readonly span: Span };

/** `for agent "x"`, `for role r`, `for human h`, `for tier high`, with lists: `for role [a, b]`. */
export interface PrincipalSelector {
  readonly kind: 'Principal';
  readonly span: Span;
  readonly principalKind: 'agent' | 'human' | 'role' | 'tier';
  readonly names: readonly Name[];
}

/**
 * `after label untrusted_source [within 10m]`: the rule applies only once an earlier event of
 * the same session that matched the selector has run (taint).
 */
export interface AfterClause {
  readonly kind: 'After';
  readonly span: Span;
  readonly source: ToolSelector;
  readonly within: DurationLit | undefined;
}

/** `limit tool delete_* to 5 per 1m per agent [for ...] [when ...] [id x] [because "..."]` */
export interface LimitDecl {
  readonly kind: 'Limit';
  readonly span: Span;
  readonly target: ToolSelector;
  readonly count: NumberLit;
  readonly window: DurationLit;
  /** Counters are kept per each of these keys; none means per session. */
  readonly per: readonly Name[];
  readonly principal: PrincipalSelector | undefined;
  readonly when: Expr | undefined;
  readonly id: Name | undefined;
  readonly because: StringLit | undefined;
}

/**
 * A time-bound grant. `grant tool provision_vm to agent "infra-bot" for 15m after approval`:
 * once an approval-required call of a matching tool is approved, further matching calls are
 * permitted without approval for 15 minutes. `grant ... from "<iso>" until "<iso>"` is a fixed
 * window.
 */
export interface GrantDecl {
  readonly kind: 'Grant';
  readonly span: Span;
  readonly target: ToolSelector;
  readonly principal: PrincipalSelector;
  readonly duration: DurationLit | undefined;
  readonly afterApproval: boolean;
  readonly from: StringLit | undefined;
  readonly until: StringLit | undefined;
  readonly when: Expr | undefined;
  readonly id: Name | undefined;
  readonly because: StringLit | undefined;
}

// ---------------------------------------------------------------------------------------------
// Tests

/**
 * ```
 * test "payroll never pays" {
 *   agent "payroll-validator"
 *   call send_money { recipient: "x", amount: 5 } expect deny
 * }
 * ```
 */
export interface TestDecl {
  readonly kind: 'Test';
  readonly span: Span;
  readonly name: StringLit;
  readonly steps: readonly TestStep[];
}

export type TestStep = TestSetting | TestUserMessage | TestCall | ErrorDecl;

/**
 * Settings that hold for the steps after them: `agent "x"`, `on_behalf_of "dana"`,
 * `session "s2"`, `at "2026-07-01T10:00:00Z"`, `approvals approve|reject`,
 * `context { freeze: "billing" }`.
 */
export interface TestSetting {
  readonly kind: 'TestSetting';
  readonly span: Span;
  readonly setting: 'agent' | 'on_behalf_of' | 'session' | 'at' | 'approvals' | 'context';
  readonly value: Name | StringLit | ObjectLit;
}

/** `user "Pay my landlord GB29..."`: the user's own request, trusted input. */
export interface TestUserMessage {
  readonly kind: 'TestUser';
  readonly span: Span;
  readonly text: StringLit;
}

/**
 * `call send_money { amount: 5 } [at "<iso>"] [result "..."] expect deny [rule payroll-no-pay]`,
 * or `expect approval [by finance-approvers]` (the approver group the decision must name).
 */
export interface TestCall {
  readonly kind: 'TestCall';
  readonly span: Span;
  readonly tool: Name;
  readonly args: ObjectLit | undefined;
  readonly at: StringLit | undefined;
  readonly result: StringLit | undefined;
  readonly expect: { readonly span: Span; readonly effect: 'allow' | 'deny' | 'approval' } | undefined;
  /** `rule <id>`: the rule id that must decide. */
  readonly expectRule: Name | undefined;
  /** `by <group>` after `expect approval`: the approver group the decision must name. */
  readonly expectApprover: Name | undefined;
}

/** A stretch of tokens the parser skipped; its diagnostic was reported. */
export interface ErrorDecl {
  readonly kind: 'Error';
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | BinaryExpr
  | NotExpr
  | PathExpr
  | StringLit
  | NumberLit
  | BoolLit
  | NullLit
  | DurationLit
  | ListLit
  | ObjectLit
  | SetRef
  | FromExpr
  | ErrorExpr;

export const COMPARISON_OPERATORS = ['==', '!=', '<', '<=', '>', '>=', '~', '!~', 'in', 'not in'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export type BinaryOperator = 'and' | 'or' | ComparisonOperator;

export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly span: Span;
  readonly op: BinaryOperator;
  readonly opSpan: Span;
  readonly left: Expr;
  readonly right: Expr;
}

export interface NotExpr {
  readonly kind: 'Not';
  readonly span: Span;
  readonly operand: Expr;
}

/** `args.amount`, `agent.tier`, `context.freeze`, `time.hour`: a root and field names. */
export interface PathExpr {
  readonly kind: 'Path';
  readonly span: Span;
  readonly root: Name;
  readonly fields: readonly Name[];
}

/** A bare name in value position refers to a `set` declaration: `args.to ~ trusted_domains`. */
export interface SetRef {
  readonly kind: 'SetRef';
  readonly span: Span;
  readonly name: Name;
}

/**
 * Provenance: `args.recipient from label untrusted_source` is true when the value first
 * appeared in the session in the result of a call matching the selector (and not earlier in
 * the user's own request).
 */
export interface FromExpr {
  readonly kind: 'From';
  readonly span: Span;
  readonly value: Expr;
  readonly source: ToolSelector;
}

export interface StringLit {
  readonly kind: 'String';
  readonly span: Span;
  readonly value: string;
}

export interface NumberLit {
  readonly kind: 'Number';
  readonly span: Span;
  readonly value: number;
  /** As written, so the formatter keeps `10_000` or `1e3`. */
  readonly raw: string;
}

export interface BoolLit {
  readonly kind: 'Bool';
  readonly span: Span;
  readonly value: boolean;
}

export interface NullLit {
  readonly kind: 'Null';
  readonly span: Span;
}

/** `15m`, `60s`, `1h`, `2d`, `500ms`. */
export interface DurationLit {
  readonly kind: 'Duration';
  readonly span: Span;
  readonly ms: number;
  readonly raw: string;
}

export interface ListLit {
  readonly kind: 'List';
  readonly span: Span;
  readonly items: readonly Expr[];
}

export interface ObjectLit {
  readonly kind: 'Object';
  readonly span: Span;
  readonly entries: readonly { readonly key: Name; readonly value: Expr; readonly span: Span }[];
}

export interface ErrorExpr {
  readonly kind: 'ErrorExpr';
  readonly span: Span;
}

/** Roots a path may start with, and what they read. */
export const PATH_ROOTS = {
  args: "the call's arguments, typed by the tool catalog",
  agent: 'the calling agent: `id`, `owner`, `tier`, `roles`',
  human: 'the human the agent acts for: `id`, `roles` (absent when the agent acts for itself)',
  context: 'facts about the environment supplied with the event, declared by `context { ... }`',
  time: "the event's time in the workspace time zone: `hour`, `minute`, `weekday`, `date`",
  tool: 'the called tool: `name`, `labels`',
  session: 'the session: `id`, `calls` (number of calls that ran before this one)',
} as const;
export type PathRoot = keyof typeof PATH_ROOTS;

export type Node = SourceFile | Declaration | Expr | TypeExpr | FieldDecl | Name | TestStep;

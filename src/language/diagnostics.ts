// The one catalogue of diagnostics. Codes are stable: never renumber or reuse one. Tests and
// the UI match on codes, never on message text. GH1xxx parse, GH2xxx check, GH4xxx import.

import type { Span } from './ast';

export type Severity = 'error' | 'warning' | 'info';

export interface DiagnosticDef {
  readonly code: string;
  readonly severity: Severity;
  /** What the diagnostic means, for the docs and hover. */
  readonly summary: string;
}

export const DIAGNOSTICS = {
  // Lexing and parsing -------------------------------------------------------------------------
  unexpectedCharacter: { code: 'GH1001', severity: 'error', summary: 'a character that cannot start any token' },
  unterminatedString: { code: 'GH1002', severity: 'error', summary: 'a string literal without its closing quote' },
  invalidEscape: { code: 'GH1003', severity: 'error', summary: 'an unknown escape sequence in a string' },
  invalidNumber: { code: 'GH1004', severity: 'error', summary: 'a malformed or out-of-range number' },
  expectedToken: { code: 'GH1005', severity: 'error', summary: 'the parser expected a different token here' },
  expectedDeclaration: { code: 'GH1006', severity: 'error', summary: 'a top-level item that is not a declaration, rule or test' },
  invalidDuration: { code: 'GH1007', severity: 'error', summary: 'a duration with an unknown unit (use ms, s, m, h, d)' },
  nestingTooDeep: { code: 'GH1008', severity: 'error', summary: 'brackets or expressions nested deeper than the parser allows' },
  duplicateClause: { code: 'GH1009', severity: 'error', summary: 'a rule clause (when, after, id, because, for) given twice' },
  globNotAllowed: { code: 'GH1010', severity: 'error', summary: 'a glob pattern where only an exact name is allowed' },
  unclosedBlock: { code: 'GH1011', severity: 'error', summary: 'a `{`, `[` or `(` that is never closed' },
  // Checking -----------------------------------------------------------------------------------
  unknownTool: { code: 'GH2001', severity: 'error', summary: 'a tool name that is not in the catalog' },
  globMatchesNoTool: { code: 'GH2002', severity: 'warning', summary: 'a tool glob that matches no tool in the catalog' },
  unknownLabel: { code: 'GH2003', severity: 'error', summary: 'a label no tool carries and no `label` declares' },
  unknownRole: { code: 'GH2004', severity: 'error', summary: 'a role that is not declared' },
  unknownAgent: { code: 'GH2005', severity: 'error', summary: 'an agent that is not declared' },
  unknownHuman: { code: 'GH2006', severity: 'error', summary: 'a human that is not declared' },
  unknownArgument: { code: 'GH2007', severity: 'error', summary: 'an argument the selected tools do not have' },
  typeMismatch: { code: 'GH2008', severity: 'error', summary: 'a comparison between values of different types' },
  duplicateDeclaration: { code: 'GH2009', severity: 'error', summary: 'two declarations of the same kind with the same name' },
  duplicateRuleId: { code: 'GH2010', severity: 'error', summary: 'two rules with the same id' },
  unknownContextField: { code: 'GH2011', severity: 'error', summary: 'a context field that `context { ... }` does not declare' },
  unknownPath: { code: 'GH2012', severity: 'error', summary: 'a path whose root or field does not exist' },
  impossibleCondition: { code: 'GH2013', severity: 'warning', summary: 'a condition that can never be true, so the rule never applies' },
  shadowedRule: { code: 'GH2014', severity: 'warning', summary: 'a rule that can never decide, because a stronger unconditional rule always wins' },
  unresolvedImport: { code: 'GH2015', severity: 'error', summary: 'an import whose file is not in the workspace' },
  invalidTimezone: { code: 'GH2016', severity: 'error', summary: 'a time zone that is not an IANA zone name' },
  invalidWeekday: { code: 'GH2017', severity: 'error', summary: 'a weekday value other than mon, tue, wed, thu, fri, sat, sun' },
  invalidTier: { code: 'GH2018', severity: 'error', summary: 'a risk tier other than low, medium, high, critical' },
  unknownSet: { code: 'GH2019', severity: 'error', summary: 'a bare name that is not a declared `set`' },
  operatorNotApplicable: { code: 'GH2020', severity: 'error', summary: 'an operator used on a type it does not apply to' },
  unknownRuleId: { code: 'GH2021', severity: 'error', summary: 'a test expects a rule id that no rule has' },
  invalidTimestamp: { code: 'GH2022', severity: 'error', summary: 'a timestamp that is not ISO 8601 with a time zone' },
  unknownType: { code: 'GH2023', severity: 'error', summary: 'an argument type that does not exist' },
  duplicateTestName: { code: 'GH2024', severity: 'error', summary: 'two tests with the same name' },
  missingArgument: { code: 'GH2025', severity: 'warning', summary: 'a test call without a required argument of its tool' },
  duplicateTimezone: { code: 'GH2026', severity: 'error', summary: 'more than one `timezone` in a workspace' },
  invalidLimit: { code: 'GH2027', severity: 'error', summary: 'a limit count that is not a positive integer, or an unknown `per` key' },
  recursiveSet: { code: 'GH2029', severity: 'error', summary: 'a set that refers to itself, directly or through other sets' },
  testWithoutExpectation: { code: 'GH2028', severity: 'warning', summary: 'a test call without `expect`, which checks nothing' },
  // Evaluation (recorded on decisions, not reported on source text) -----------------------------
  conditionError: { code: 'GH3001', severity: 'error', summary: 'a condition could not be evaluated on an event; the rule failed closed (a forbid, limit or approval applies, a permit or grant does not)' },
  // Catalog import -----------------------------------------------------------------------------
  importInvalidJson: { code: 'GH4001', severity: 'error', summary: 'the catalog file is not valid JSON' },
  importNotCatalog: { code: 'GH4002', severity: 'error', summary: 'the file is not a tools/list response, tool list or AgentDojo tools file' },
  importUnsupportedSchema: { code: 'GH4003', severity: 'warning', summary: 'a JSON Schema construct with no catalog type; the argument becomes `any`' },
  importInvalidTool: { code: 'GH4004', severity: 'error', summary: 'a tool entry without a usable name; it is skipped' },
} as const satisfies Record<string, DiagnosticDef>;

export type DiagnosticKind = keyof typeof DIAGNOSTICS;

export interface RelatedInformation {
  readonly message: string;
  readonly span: Span;
  /** Defaults to the diagnostic's own file. */
  readonly file?: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  /** One line, lowercase start, no trailing period; names in backticks. */
  readonly message: string;
  readonly span: Span;
  /** The file the span is in (workspace path), when known. */
  readonly file?: string;
  readonly help?: string;
  readonly related?: readonly RelatedInformation[];
  /** Replacement text that fixes the problem ("did you mean `x`?"), applied over `span`. */
  readonly fix?: { readonly title: string; readonly span: Span; readonly newText: string };
}

/** Builds a diagnostic of a catalogued kind. */
export function diagnostic(
  kind: DiagnosticKind,
  span: Span,
  message: string,
  extra: Partial<Pick<Diagnostic, 'help' | 'related' | 'fix' | 'file'>> & { severity?: Severity } = {},
): Diagnostic {
  const def = DIAGNOSTICS[kind];
  const { severity, ...rest } = extra;
  return { code: def.code, severity: severity ?? def.severity, message, span, ...rest };
}

/** Orders diagnostics by file, start offset, then code, as every output shows them. */
export function sortDiagnostics<T extends Diagnostic>(diagnostics: readonly T[]): T[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.span.start - b.span.start ||
      a.code.localeCompare(b.code),
  );
}

/** Whether any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

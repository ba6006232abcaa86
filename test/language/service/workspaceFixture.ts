// A small workspace for language service tests, and the `|` cursor marker: tests write the text
// a user sees with a `|` where the cursor is.

import { expect } from 'vitest';
import type { Span } from '../../../src/language/ast';
import { createLanguageService } from '../../../src/language/service/languageService';
import type { CompletionItem, LanguageService, TextEdit } from '../../../src/language/service/types';

export const CATALOG = `tool send_money {
  description "Executes a bank transfer"
  args { recipient: string, amount: number }
  labels [payment, irreversible]
}
tool refund { args { amount: int, reason?: string } labels [payment] }
tool get_payroll_run { args { run_id: string, status: "open" | "closed" } labels [read, pii] }
tool read_file { args { path: string } labels [read] }
label untrusted_source description "text from outside the company" = read_file
set trusted_domains = ["*.corp.example", "bank.example"]
context { environment: "prod" | "staging", freeze: string }
`;

export const PEOPLE = `import "./catalog.gate"
agent "payroll-validator" { owner "finance-platform@corp.example"; roles [reporting]; tier high }
agent infra_bot { owner "infra@corp.example"; roles [operations]; tier medium }
human dana { roles [reporting] }
role reporting {
  description "read payroll data and report"
  permit tool get_*
}
role operations { permit tool read_file }
`;

/** The policy file under test imports these. */
export const IMPORTS = 'import "./catalog.gate"\nimport "./people.gate"\n';

/** Splits marked text at its single `|` into the text and the cursor offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  expect(offset, 'the text needs a | cursor marker').toBeGreaterThanOrEqual(0);
  expect(marked.indexOf('|', offset + 1), 'the text needs exactly one | cursor marker').toBe(-1);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** A service over the fixture workspace plus `policy.gate` with the given text. */
export function serviceWith(policy: string, extra: Record<string, string> = {}): LanguageService {
  const service = createLanguageService();
  service.setFiles(new Map(Object.entries({ 'catalog.gate': CATALOG, 'people.gate': PEOPLE, 'policy.gate': policy, ...extra })));
  return service;
}

/** Completions at the marker of a policy (which imports the fixture files). */
export function completeAt(marked: string): CompletionItem[] {
  const { text, offset } = withCursor(IMPORTS + marked);
  return [...serviceWith(text).completions('policy.gate', offset)];
}

export function labelsAt(marked: string): string[] {
  return completeAt(marked).map((item) => item.label);
}

/** The text a span covers. */
export function textOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.span.start - a.span.start).reduce((result, edit) => result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end), text);
}

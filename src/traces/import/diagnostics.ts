// The catalogue of trace-import diagnostics. Codes are stable: never renumber or reuse one; tests
// and the UI match on codes, never on message text. GH40xx belong to catalog import (in the
// language's catalogue); trace import uses GH41xx.

import type { DiagnosticDef, Severity } from '../../language/diagnostics';

/** The language's severities and catalogue entries: one vocabulary for every diagnostic. */
export type ImportSeverity = Severity;
export type ImportDiagnosticDef = DiagnosticDef;

export const IMPORT_DIAGNOSTICS = {
  notJson: { code: 'GH4101', severity: 'error', summary: 'a record (a line, or the whole document) is not valid JSON; it is skipped' },
  notUtf8: { code: 'GH4102', severity: 'error', summary: 'a line holds bytes that are not UTF-8; it is skipped' },
  recordTooLarge: { code: 'GH4103', severity: 'error', summary: 'a line longer than the record size limit; it is skipped without being held in memory' },
  emptyFile: { code: 'GH4104', severity: 'error', summary: 'the file is empty or holds only whitespace' },
  binaryFile: { code: 'GH4105', severity: 'error', summary: 'the file is binary (NUL bytes or a non-UTF-8 encoding), not a text trace' },
  unknownFormat: { code: 'GH4106', severity: 'error', summary: 'no importer recognises the content; name a format with `--format`' },
  wrongType: { code: 'GH4107', severity: 'error', summary: 'a field has the wrong JSON type; the record (or the field, when optional) is skipped' },
  missingField: { code: 'GH4108', severity: 'error', summary: 'a required field is missing; the record is skipped' },
  duplicateId: { code: 'GH4109', severity: 'warning', summary: 'a call id used twice in one session; results pair with the later call' },
  unpairedCall: { code: 'GH4110', severity: 'warning', summary: 'a tool call whose result never came; the call is kept and flagged `unpaired`' },
  orphanResult: { code: 'GH4111', severity: 'warning', summary: 'a tool result with no earlier call of that id; it is skipped' },
  invalidArguments: { code: 'GH4112', severity: 'warning', summary: 'tool arguments that are not a JSON object (invalid JSON, a Python repr); kept raw in `args_raw`' },
  reservedKey: { code: 'GH4113', severity: 'info', summary: 'a `__proto__`, `constructor` or `prototype` key, kept as plain data (no prototype is touched)' },
  unknownRecord: { code: 'GH4114', severity: 'info', summary: 'a record of a type the importer does not use (a model call, a notification); it is skipped' },
  cancelled: { code: 'GH4115', severity: 'warning', summary: 'the import was cancelled; the records read before are kept' },
  invalidTime: { code: 'GH4116', severity: 'warning', summary: 'a timestamp that cannot be read; the event gets a time from its neighbours' },
  formatMismatch: { code: 'GH4117', severity: 'warning', summary: 'the content does not look like the format that was asked for; it is read as that format anyway' },
} as const satisfies Record<string, ImportDiagnosticDef>;

export type ImportDiagnosticKind = keyof typeof IMPORT_DIAGNOSTICS;

/** A problem with the input, located in the original file. */
export interface ImportDiagnostic {
  readonly code: string;
  readonly severity: ImportSeverity;
  /** One line, lowercase start, no trailing period; names in backticks. */
  readonly message: string;
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** JSON path inside the record, e.g. `$.messages[3].tool_calls[0]`. */
  readonly path?: string;
}

/** `file:line: severity code: message (at $.path)`, the one-line form the CLI prints. */
export function formatImportDiagnostic(d: ImportDiagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}`;
  const path = d.path === undefined || d.path === '$' ? '' : ` (at ${d.path})`;
  return `${where}: ${d.severity} ${d.code}: ${d.message}${path}`;
}

// Quick fixes: the "did you mean `x`?" replacement a diagnostic carries, and, for a tool, role,
// agent or human that is not declared and resembles nothing, a skeleton declaration.

import type { Span } from '../ast';
import { DIAGNOSTICS, type Diagnostic } from '../diagnostics';
import { lex } from '../lexer';
import { nameSource } from './describe';
import type { CodeAction } from './types';

const SKELETONS: Readonly<Record<string, { readonly what: string; readonly body: (name: string) => string }>> = {
  [DIAGNOSTICS.unknownTool.code]: { what: 'tool', body: (name) => `tool ${name} {\n  args { }\n  labels []\n}\n` },
  [DIAGNOSTICS.unknownRole.code]: { what: 'role', body: (name) => `role ${name} {\n}\n` },
  [DIAGNOSTICS.unknownAgent.code]: { what: 'agent', body: (name) => `agent ${name} {\n  owner ""\n  roles []\n  tier medium\n}\n` },
  [DIAGNOSTICS.unknownHuman.code]: { what: 'human', body: (name) => `human ${name} {\n  roles []\n}\n` },
};

/** Code actions for the diagnostics of `file` that overlap `span`. */
export function codeActions(file: string, text: string, diagnostics: readonly Diagnostic[], span: Span): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.span.start > span.end || span.start > diagnostic.span.end) continue;
    if (diagnostic.fix) {
      const { title, span: fixSpan, newText } = diagnostic.fix;
      actions.push({ title, diagnostics: [diagnostic.code], edits: [{ file, edit: { span: fixSpan, newText } }], preferred: true });
      continue;
    }
    const skeleton = SKELETONS[diagnostic.code];
    const name = skeleton && nameIn(text.slice(diagnostic.span.start, diagnostic.span.end));
    if (!skeleton || !name) continue;
    const separator = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    actions.push({
      title: `declare ${skeleton.what} \`${name}\``,
      diagnostics: [diagnostic.code],
      edits: [{ file, edit: { span: { start: text.length, end: text.length }, newText: separator + skeleton.body(nameSource(name, text[diagnostic.span.start] === '"')) } }],
    });
  }
  return dedupe(actions);
}

/** The name a diagnostic's span covers, when it is exactly one name token. */
function nameIn(source: string): string | undefined {
  const tokens = lex(source).tokens;
  const [token] = tokens;
  if (tokens.length !== 2 || !token || (token.kind !== 'Ident' && token.kind !== 'String') || token.glob || token.text === '') return undefined;
  return token.text;
}

/** The same name misspelt twice gives one declaration action, not two. */
function dedupe(actions: CodeAction[]): CodeAction[] {
  const seen = new Set<string>();
  return actions.filter((action) => {
    const key = `${action.title}\u0000${JSON.stringify(action.edits)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

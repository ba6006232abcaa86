// Context-aware completion: the cursor's context decides which kinds of words fit (see
// statementScanner), and the file's scope supplies the names.

import type { CompletionItem } from './types';
import type { CompletionScope, DraftItem } from './completionItems';
import { cursorContext, type BlockKind, type CursorContext } from './cursorContext';
import { keywordDoc } from './keywordDocs';
import { nameItems } from './nameCompletions';
import { argumentItems, literalItems, pathFieldItems, pathRootItems, valueItems } from './pathCompletions';
import { DECLARATION_SNIPPETS, ROLE_SNIPPETS, TEST_SNIPPETS } from './snippets';
import { scanStatement } from './statementScanner';
import type { Want } from './wants';

/** Completions at `scope.offset` in `text` (the text of `scope.file`). */
export function completions(scope: CompletionScope, text: string): CompletionItem[] {
  const context = cursorContext(text, scope.offset);
  if (!context.completable) return [];
  const scan = scanStatement(context.block, context.statement);
  const wants = [...scan.wants];
  // On a fresh line after a statement that could end, a new item may start as well.
  if (context.atLineStart && scan.complete && !context.nested) wants.push(...itemStarters(context.block));
  return finish(
    wants.flatMap((want) => draftsFor(scope, want)),
    context,
  );
}

function itemStarters(block: BlockKind): Want[] {
  switch (block) {
    case 'top':
    case 'role':
    case 'test':
      return [{ kind: 'declarations', block }];
    case 'tool':
      return [{ kind: 'keywords', words: ['description', 'args', 'labels'] }];
    case 'agent':
      return [{ kind: 'keywords', words: ['owner', 'roles', 'tier', 'description'] }];
    case 'human':
      return [{ kind: 'keywords', words: ['roles', 'description'] }];
    case 'fields':
      return [];
  }
}

function draftsFor(scope: CompletionScope, want: Want): DraftItem[] {
  switch (want.kind) {
    case 'keywords':
      return want.words.map((word) => ({ label: word, kind: 'keyword', insertText: word, ...documented(keywordDoc(word)) }));
    case 'declarations': {
      const snippets = want.block === 'top' ? DECLARATION_SNIPPETS : want.block === 'role' ? ROLE_SNIPPETS : TEST_SNIPPETS;
      return snippets.map((snippet) => ({
        label: snippet.label,
        kind: 'snippet',
        insertText: snippet.body,
        snippet: true,
        detail: snippet.detail,
        ...documented(keywordDoc(snippet.label.split(' ')[0]!)),
      }));
    }
    case 'names':
      return nameItems(scope, want.of);
    case 'pathRoots':
      return pathRootItems();
    case 'pathFields':
      return pathFieldItems(scope, want.path, want.target);
    case 'values':
      return valueItems(scope, want.path, want.target);
    case 'callArguments': {
      const tool = scope.symbols.tools.get(want.tool);
      return argumentItems(tool ? [tool] : [], ': ').filter((item) => !want.used.includes(item.label));
    }
    case 'contextKeys':
      return [...(scope.symbols.context ?? new Map()).keys()]
        .filter((field) => !want.used.includes(field))
        .map((field) => ({ label: field, kind: 'field', insertText: `${field}: `, detail: 'context field' }));
    case 'argumentValues': {
      const argument = scope.symbols.tools.get(want.tool)?.args.get(want.argument);
      return argument ? literalItems([argument.type]) : [];
    }
  }
}

function documented(documentation: string | undefined): { documentation?: string } {
  return documentation ? { documentation } : {};
}

/** Sets the replace range, quotes names inside strings, drops what cannot go in a string, dedupes. */
function finish(drafts: readonly DraftItem[], context: CursorContext): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const draft of drafts) {
    if (seen.has(draft.label)) continue;
    const { name, ...rest } = draft;
    let insertText = draft.insertText;
    if (context.inString) {
      if (name !== undefined) insertText = JSON.stringify(name);
      else if (!insertText.startsWith('"')) continue;
    }
    seen.add(draft.label);
    items.push({ ...rest, insertText, replace: context.replace });
  }
  return items;
}

// A cursor over the tokens of one statement, and the readers of the pieces several statements
// share: names, name lists, tool selectors and principals.

import type { Token } from '../lexer';
import { CLAUSE_WORDS } from '../parserBase';
import { isScan, keywords, names, NOTHING, want, type NameKind, type Scan, type TargetSketch } from './wants';

export const PRINCIPAL_KINDS: readonly string[] = ['agent', 'human', 'role', 'tier'];

/** A cursor over a statement's tokens; the cursor of the editor is at their end. */
export class TokenReader {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  get atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'Ident' && token.text === word;
  }
  isPunct(punct: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'Punct' && token.text === punct;
  }
  eatWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.pos++;
    return true;
  }
  eatPunct(punct: string): boolean {
    if (!this.isPunct(punct)) return false;
    this.pos++;
    return true;
  }
  /** A name: an identifier that is not a clause word, or a string. */
  isName(offset = 0): boolean {
    const token = this.peek(offset);
    return token !== undefined && ((token.kind === 'Ident' && !CLAUSE_WORDS.has(token.text)) || token.kind === 'String');
  }
}

/** Reads a target; a scan when the cursor is inside it, else the sketch of what was read. */
export function scanTarget(reader: TokenReader): Scan | TargetSketch {
  if (reader.atEnd) return want(keywords('tool', 'label', 'any'));
  if (reader.eatWord('any')) {
    if (reader.atEnd) return want(keywords('tool'));
    return reader.eatWord('tool') ? { kind: 'any', names: [] } : NOTHING;
  }
  const kind = reader.isWord('tool') ? 'tool' : reader.isWord('label') ? 'label' : undefined;
  if (!kind) return NOTHING;
  reader.next();
  const read = scanNames(reader, kind);
  return isScan(read) ? read : { kind, names: read };
}

/** Reads `name` or `[name, ...]`; a scan when the cursor is inside, else the names. */
export function scanNames(reader: TokenReader, of: NameKind): Scan | string[] {
  if (reader.atEnd) return want(names(of));
  if (!reader.eatPunct('[')) {
    if (!reader.isName()) return NOTHING;
    return [reader.next()!.text];
  }
  const read: string[] = [];
  for (;;) {
    if (reader.atEnd) return want(names(of));
    if (reader.eatPunct(']')) return read;
    if (reader.eatPunct(',')) continue;
    if (!reader.isName()) return NOTHING;
    read.push(reader.next()!.text);
    if (reader.atEnd) return NOTHING;
  }
}

/** Reads `agent x`, `role [a, b]`, ...; a scan when the cursor is inside, else undefined. */
export function scanPrincipal(reader: TokenReader): Scan | undefined {
  if (reader.atEnd) return want(keywords(...PRINCIPAL_KINDS));
  const token = reader.peek()!;
  if (token.kind !== 'Ident' || !PRINCIPAL_KINDS.includes(token.text)) return NOTHING;
  reader.next();
  const read = scanNames(reader, token.text as NameKind);
  return isScan(read) ? read : undefined;
}

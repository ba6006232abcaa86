// What may come next in a statement that ends at the cursor. A small forward reader per block
// kind follows the grammar loosely over the statement's tokens and, on reaching the cursor,
// reports the kinds of words that fit there ("wants"). It never fails: tokens it cannot place
// simply produce no wants.

import type { Token } from '../lexer';
import { scanCondition } from './conditionReader';
import type { BlockKind } from './cursorContext';
import { scanTestStep } from './testStepScanner';
import { PRINCIPAL_KINDS, scanNames, scanPrincipal, scanTarget, TokenReader } from './tokenReader';
import { cont, isScan, keywords, names, NOTHING, want, type Scan, type TargetSketch } from './wants';

const PER_KEYS = ['agent', 'session', 'tool', 'human'];
const RULE_CLAUSES = ['for', 'when', 'after', 'id', 'because'];

/** The wants at the end of `statement`, an item of a block of the given kind. */
export function scanStatement(block: BlockKind, statement: readonly Token[]): Scan {
  const reader = new TokenReader(statement);
  switch (block) {
    case 'top':
    case 'role':
      return scanDeclaration(reader, block);
    case 'test':
      return scanTestStep(reader);
    case 'tool':
      return scanToolItem(reader);
    case 'fields':
      return scanField(reader);
    case 'agent':
    case 'human':
      return scanIdentityItem(reader, block);
  }
}

function scanDeclaration(reader: TokenReader, block: 'top' | 'role'): Scan {
  const first = reader.peek();
  if (!first) return cont({ kind: 'declarations', block });
  if (first.kind !== 'Ident') return NOTHING;
  switch (first.text) {
    case 'permit':
    case 'forbid':
    case 'monitor':
    case 'require':
      return scanRule(reader);
    case 'limit':
      return scanLimit(reader);
    case 'grant':
      return block === 'top' ? scanGrant(reader) : NOTHING;
    case 'label':
      return block === 'top' ? scanLabel(reader) : NOTHING;
    case 'import':
      reader.next();
      return reader.atEnd ? want(names('import')) : { wants: [], complete: true };
    case 'timezone':
    case 'set':
    case 'description':
      reader.next();
      return { wants: [], complete: !reader.atEnd };
    default:
      return NOTHING;
  }
}

function scanRule(reader: TokenReader): Scan {
  const effect = reader.next()!.text;
  if (effect === 'require') {
    if (reader.atEnd) return want(keywords('approval'));
    if (!reader.eatWord('approval')) return NOTHING;
    if (reader.atEnd) return want(keywords('by', 'for', 'tool', 'label', 'any'));
    if (reader.eatWord('by')) {
      if (reader.atEnd) return want(names('approver'));
      if (!reader.isName()) return NOTHING;
      reader.next();
      if (reader.atEnd) return want(keywords('for', 'tool', 'label', 'any'));
    }
    if (reader.isWord('for') && !PRINCIPAL_KINDS.includes(reader.peek(1)?.text ?? '')) reader.next();
  }
  const target = scanTarget(reader);
  if (isScan(target)) return target;
  return scanClauses(reader, RULE_CLAUSES, target);
}

/** The trailing clauses of a rule, limit or grant, each at most once. */
function scanClauses(reader: TokenReader, allowed: readonly string[], target: TargetSketch | undefined, extra: readonly string[] = []): Scan {
  const used = new Set<string>();
  let withinAllowed = false; // right after an `after` target
  let extraAllowed = extra; // only before the first clause
  const remaining = (): string[] => [...(withinAllowed ? ['within'] : []), ...extraAllowed, ...allowed.filter((word) => !used.has(word))];
  for (;;) {
    if (reader.atEnd) return cont(keywords(...remaining()));
    const token = reader.peek()!;
    if (token.kind !== 'Ident' || !remaining().includes(token.text)) return NOTHING;
    reader.next();
    used.add(token.text);
    extraAllowed = [];
    withinAllowed = false;
    let result: Scan | undefined;
    switch (token.text) {
      case 'for':
        result = scanPrincipal(reader);
        break;
      case 'when':
        result = scanCondition(reader, target, () => remaining());
        break;
      case 'after': {
        const source = scanTarget(reader);
        if (isScan(source)) return source;
        withinAllowed = true;
        break;
      }
      default: // within, id, because: one value follows
        if (reader.atEnd) return NOTHING;
        reader.next();
    }
    if (result) return result;
  }
}

function scanLimit(reader: TokenReader): Scan {
  reader.next();
  const target = scanTarget(reader);
  if (isScan(target)) return target;
  if (reader.atEnd) return want(keywords('to'));
  if (!reader.eatWord('to') || reader.atEnd) return NOTHING;
  reader.next(); // count
  if (reader.atEnd) return want(keywords('per'));
  if (!reader.eatWord('per') || reader.atEnd) return NOTHING;
  reader.next(); // window
  while (reader.eatWord('per')) {
    if (reader.atEnd) return want(keywords(...PER_KEYS));
    reader.next();
  }
  return scanClauses(reader, ['for', 'when', 'id', 'because'], target, ['per']);
}

function scanGrant(reader: TokenReader): Scan {
  reader.next();
  const target = scanTarget(reader);
  if (isScan(target)) return target;
  if (reader.atEnd) return want(keywords('to'));
  if (!reader.eatWord('to')) return NOTHING;
  const principal = scanPrincipal(reader);
  if (principal) return principal;
  if (reader.atEnd) return want(keywords('for', 'from'));
  if (reader.eatWord('for')) {
    if (reader.atEnd) return NOTHING;
    reader.next();
    if (reader.atEnd) return cont(keywords('after', 'when', 'id', 'because'));
    if (reader.eatWord('after')) {
      if (reader.atEnd) return want(keywords('approval'));
      reader.eatWord('approval');
    }
  } else if (reader.eatWord('from')) {
    if (reader.atEnd) return NOTHING;
    reader.next();
    if (reader.atEnd) return want(keywords('until'));
    if (!reader.eatWord('until') || reader.atEnd) return NOTHING;
    reader.next();
  } else return NOTHING;
  return scanClauses(reader, ['when', 'id', 'because'], target);
}

function scanLabel(reader: TokenReader): Scan {
  reader.next();
  if (reader.atEnd || !reader.isName()) return NOTHING;
  reader.next();
  if (reader.atEnd) return cont(keywords('description'));
  if (reader.eatWord('description')) {
    if (reader.atEnd) return NOTHING;
    reader.next();
    if (reader.atEnd) return cont();
  }
  if (!reader.eatPunct('=')) return NOTHING;
  for (;;) {
    if (reader.atEnd) return want(names('tool'));
    if (!reader.isName()) return NOTHING;
    reader.next();
    if (reader.atEnd) return cont();
    if (!reader.eatPunct(',')) return NOTHING;
  }
}

function scanToolItem(reader: TokenReader): Scan {
  const first = reader.next();
  if (!first) return cont(keywords('description', 'args', 'labels'));
  if (first.text === 'labels') {
    const read = scanNames(reader, 'label');
    return isScan(read) ? read : cont();
  }
  return { wants: [], complete: !reader.atEnd };
}

function scanField(reader: TokenReader): Scan {
  if (reader.atEnd || !reader.isName()) return NOTHING;
  reader.next();
  reader.eatPunct('?');
  if (!reader.eatPunct(':')) return NOTHING;
  if (reader.atEnd) return want(names('type'));
  if (reader.isWord('list') && reader.isPunct('<', 1)) {
    reader.next();
    reader.next();
    if (reader.atEnd) return want(names('type'));
  }
  return cont();
}

function scanIdentityItem(reader: TokenReader, block: 'agent' | 'human'): Scan {
  const first = reader.next();
  if (!first) return cont(keywords(...(block === 'agent' ? ['owner', 'roles', 'tier', 'description'] : ['roles', 'description'])));
  if (first.text === 'roles') {
    const read = scanNames(reader, 'role');
    return isScan(read) ? read : cont();
  }
  if (first.text === 'tier' && block === 'agent' && reader.atEnd) return want(names('tier'));
  return { wants: [], complete: !reader.atEnd };
}

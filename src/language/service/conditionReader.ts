// Reads a condition (`when ...`) token by token, tracking whether an operand or an operator comes
// next, so that at the cursor it knows whether path roots, fields, values or connectives fit.

import { PATH_ROOTS } from '../ast';
import { scanTarget, type TokenReader } from './tokenReader';
import { cont, isScan, keywords, names, NOTHING, want, type PathSketch, type Scan, type TargetSketch, type Want } from './wants';

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', '~', '!~']);
const OPENERS_OF: Readonly<Record<string, string>> = { ']': '[', ')': '(', '}': '{' };

/**
 * Reads a condition after `when`. Returns a scan when the cursor is inside it; undefined when
 * the condition ended before the cursor (a clause follows). `clauses` gives the clause words
 * still allowed after the condition.
 */
export function scanCondition(reader: TokenReader, target: TargetSketch | undefined, clauses: () => string[]): Scan | undefined {
  return new ConditionReader(reader, target, clauses).read();
}

interface Bracket {
  readonly open: string;
  readonly hasOperator: boolean;
  readonly left: PathSketch | undefined;
}

/** What one reading step did: go on, the condition ended, or the cursor was reached. */
type Step = 'next' | 'ended' | Scan;

class ConditionReader {
  private readonly brackets: Bracket[] = [];
  private expectOperand = true;
  /** The operand position takes a whole condition (not the right side of a comparison). */
  private condition = true;
  private hasOperator = false;
  /** The left side of the comparison being read, when it is a path. */
  private left: PathSketch | undefined;
  /** The operand just read, when it is a path. */
  private operand: PathSketch | undefined;
  private objectKey = false;

  constructor(
    private readonly reader: TokenReader,
    private readonly target: TargetSketch | undefined,
    private readonly clauses: () => string[],
  ) {}

  read(): Scan | undefined {
    for (;;) {
      const step = this.reader.atEnd ? this.wantsAtCursor() : this.objectKey ? this.readKey() : this.expectOperand ? this.readOperand() : this.readAfterOperand();
      if (step === 'ended') return undefined;
      if (step !== 'next') return step;
    }
  }

  private wantsAtCursor(): Scan {
    if (this.objectKey) return NOTHING;
    if (this.expectOperand) {
      const wants: Want[] = [{ kind: 'pathRoots' }, names('set'), keywords('true', 'false')];
      if (this.condition) wants.push(keywords('not'));
      else if (this.left) wants.unshift({ kind: 'values', path: this.left, target: this.target });
      return want(...wants);
    }
    const operators = this.hasOperator ? ['and', 'or'] : ['and', 'or', 'in', 'not', 'from'];
    return this.brackets.length === 0 ? cont(keywords(...operators), keywords(...this.clauses())) : want(keywords(...operators));
  }

  /** `key:` inside an object literal. */
  private readKey(): Step {
    const { reader } = this;
    if (reader.isPunct('}')) return this.close();
    if (!reader.isName()) return NOTHING;
    reader.next();
    if (reader.atEnd || !reader.eatPunct(':')) return NOTHING;
    this.objectKey = false;
    return 'next';
  }

  private readOperand(): Step {
    const { reader } = this;
    const token = reader.peek()!;
    if (reader.isWord('not') && !reader.isWord('in', 1)) {
      reader.next();
      this.condition = true;
      return 'next';
    }
    if (token.kind === 'Ident' && Object.hasOwn(PATH_ROOTS, token.text)) return this.readPath();
    if (token.kind === 'Punct') {
      if (token.text === '(' || token.text === '[' || token.text === '{') return this.open(token.text);
      if ((token.text === ']' || token.text === ')') && this.brackets.length > 0) return this.close(); // empty list
      return NOTHING;
    }
    reader.next(); // a literal or a set name
    this.operandRead(undefined);
    return 'next';
  }

  private readPath(): Step {
    const { reader } = this;
    const root = reader.next()!.text;
    const fields: string[] = [];
    while (reader.eatPunct('.')) {
      if (reader.atEnd) return want({ kind: 'pathFields', path: { root, fields }, target: this.target });
      if (!reader.isName()) return NOTHING;
      fields.push(reader.next()!.text);
    }
    this.operandRead({ root, fields });
    return 'next';
  }

  /** After an operand: an operator, a connective, a separator, a closer, or the condition's end. */
  private readAfterOperand(): Step {
    const { reader } = this;
    const token = reader.peek()!;
    if ((token.kind === 'Punct' && COMPARISONS.has(token.text)) || reader.isWord('in') || (reader.isWord('not') && reader.isWord('in', 1))) {
      if (reader.next()!.text === 'not') reader.next();
      this.expectOperand = true;
      this.condition = false;
      this.hasOperator = true;
      this.left = this.operand;
      return 'next';
    }
    if (reader.eatWord('from')) {
      const source = scanTarget(reader);
      if (isScan(source)) return source;
      this.hasOperator = true;
      this.operand = undefined;
      return 'next';
    }
    if (reader.eatWord('and') || reader.eatWord('or')) {
      this.expectOperand = true;
      this.condition = true;
      this.hasOperator = false;
      this.left = undefined;
      return 'next';
    }
    const top = this.brackets[this.brackets.length - 1];
    if (!top) return 'ended';
    if (reader.eatPunct(',')) {
      this.expectOperand = true;
      this.objectKey = top.open === '{';
      return 'next';
    }
    return token.kind === 'Punct' && OPENERS_OF[token.text] === top.open ? this.close() : NOTHING;
  }

  private open(bracket: string): Step {
    this.reader.next();
    this.brackets.push({ open: bracket, hasOperator: this.hasOperator, left: this.left });
    if (bracket === '(') {
      this.condition = true;
      this.hasOperator = false;
      this.left = undefined;
    }
    this.objectKey = bracket === '{';
    return 'next';
  }

  /** Closes the innermost bracket, which then stands as one operand. */
  private close(): Step {
    this.reader.next();
    const bracket = this.brackets.pop();
    this.hasOperator = bracket?.hasOperator ?? false;
    this.left = bracket?.left;
    this.objectKey = false;
    this.operandRead(undefined);
    return 'next';
  }

  private operandRead(path: PathSketch | undefined): void {
    this.operand = path;
    this.expectOperand = false;
  }
}

// fast-check generators of random *valid* `.gate` source text, for the parser and formatter
// properties. Programs are built as token lists from the grammar (every declaration kind, every
// rule clause in any order, nested expressions, lists, objects, tests, odd quoted names and
// escapes) and then joined with random trivia: spaces, line breaks, blank lines and comments
// between any two tokens. Tests assert that what this generates parses without diagnostics.

import fc from 'fast-check';

type Tokens = readonly string[];
type Arb = fc.Arbitrary<Tokens>;

// --- building blocks -----------------------------------------------------------------------------

function seq(...parts: Arb[]): Arb {
  return fc.tuple(...parts).map((lists) => lists.flat());
}

function words(...tokens: string[]): Arb {
  return fc.constant(tokens);
}

function token(arb: fc.Arbitrary<string>): Arb {
  return arb.map((text) => [text]);
}

/** `arb` or nothing, `odds` times more often nothing. */
function maybe(arb: Arb, odds = 1): Arb {
  return fc.oneof({ weight: odds, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: arb });
}

/** `open item, item, ... [,] close`, with commas between items and maybe a trailing one. */
function bracketed(open: string, item: Arb, close: string, maxLength = 3): Arb {
  return fc
    .tuple(fc.array(item, { maxLength }), fc.boolean())
    .map(([items, trailing]) => [open, ...items.flatMap((tokens, i) => (i === 0 ? tokens : [',', ...tokens])), ...(trailing && items.length > 0 ? [','] : []), close]);
}

/** Items of a `{ }` block in random order, each maybe followed by `;` or `,`. */
function blockBody(items: fc.Arbitrary<Tokens[]>): Arb {
  const separator = fc.constantFrom<Tokens>([], [], [';'], [',']);
  return items
    .chain((list) => fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))
    .chain((list) => fc.tuple(...list.map((tokens) => seq(fc.constant(tokens), separator))).map((parts) => parts.flat()));
}

function block(head: Arb, items: fc.Arbitrary<Tokens[]>): Arb {
  return seq(head, words('{'), blockBody(items), words('}'));
}

/** Up to `max` items drawn from `arb`, as a list of token lists. */
function several(arb: Arb, max: number): fc.Arbitrary<Tokens[]> {
  return fc.array(arb, { maxLength: max }).map((list) => [...list]);
}

/** Each of `arbs` at most once. */
function someOf(arbs: readonly Arb[]): fc.Arbitrary<Tokens[]> {
  return fc.tuple(...arbs.map((arb) => fc.option(arb, { nil: undefined }))).map((list) => list.filter((tokens): tokens is Tokens => tokens !== undefined));
}

// --- literals and names --------------------------------------------------------------------------

const CLAUSE_WORDS = ['for', 'when', 'after', 'within', 'id', 'because', 'to', 'per', 'expect'];
const DECLARATION_WORDS = ['import', 'timezone', 'context', 'tool', 'label', 'set', 'agent', 'human', 'role', 'permit', 'forbid', 'monitor', 'require', 'limit', 'grant', 'test'];
const PATH_ROOTS = ['args', 'agent', 'human', 'context', 'time', 'tool', 'session'];
const RESERVED = new Set([...CLAUSE_WORDS, ...DECLARATION_WORDS, ...PATH_ROOTS, 'and', 'or', 'not', 'in', 'from', 'true', 'false', 'null', 'any', 'approval', 'by', 'until', 'list']);

const plainWord = fc.oneof(
  { weight: 12, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}(-[a-z0-9]{1,3})?$/) },
  { weight: 4, arbitrary: fc.constantFrom('send_money', 'payroll-validator', 'reporting', 'high', 'finance-approvers', 'x', 'A_1') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{24,40}$/) },
).filter((word) => !RESERVED.has(word));

/** Language words that are still plain names where a name is expected. */
const keywordName = fc.constantFrom('not', 'and', 'true', 'null', 'any', 'in', 'from', 'list', 'approval');
/** Declaration keywords are names too, except at the start of a line right after a keyword. */
const declarationName = fc.constantFrom('limit', 'tool', 'permit', 'label', 'agent', 'test');

const stringPiece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', ' ', 'x', '-', 'é', '😀', '#', '{', '}', '*', '?', '/', "'", 'for') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((char) => char !== '"' && char !== '\\' && char !== '\n') },
  { weight: 3, arbitrary: fc.constantFrom('\\"', '\\\\', '\\n', '\\t', '\\r', '\\0', '\\u{1F600}', '\\u{41}', '\\u{7f}', '\\u{2028}', '\\u{0}', '\\u{d800}', '\\u{dc00}', '\\u{feff}') },
);

/** A string literal as source text, with escapes of every kind. */
export const stringLiteral: fc.Arbitrary<string> = fc.array(stringPiece, { maxLength: 10 }).map((pieces) => `"${pieces.join('')}"`);

const quotedName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('"for"', '"when"', '"a b"', '"mcp/send money"', '""', '"x"', '"payroll-validator"', '"to"', '"tab\\there"') },
  { weight: 2, arbitrary: stringLiteral },
);

/** A name where any identifier is read as a name, clause words included (`args { to: string }`). */
const freeName = token(
  fc.oneof({ weight: 8, arbitrary: plainWord }, { weight: 1, arbitrary: keywordName }, { weight: 1, arbitrary: declarationName }, { weight: 1, arbitrary: fc.constantFrom(...CLAUSE_WORDS) }, { weight: 3, arbitrary: quotedName }),
);
/** A name right after `tool`, `label`, `for agent` or `id`: no bare clause words or declaration keywords there. */
const singleName = token(fc.oneof({ weight: 8, arbitrary: plainWord }, { weight: 1, arbitrary: keywordName }, { weight: 3, arbitrary: quotedName }));
const globWord = fc.oneof(fc.constantFrom('get_*', '*_issue', '*', 'a*b-c', 'read_*_file'), fc.stringMatching(/^[a-z*][a-z0-9_*]{0,5}\*$/));
const globName = token(fc.oneof({ weight: 3, arbitrary: globWord }, { weight: 1, arbitrary: fc.constantFrom('"get_*"', '"a?b"', '"mcp/*"') }));

const number = fc.oneof(fc.constantFrom('0', '42', '-3', '1.5', '10_000', '1e6', '1E-3', '-1.5e3', '007'), fc.integer({ min: -1000, max: 100_000 }).map(String));
const duration = fc.oneof(
  fc.constantFrom('500ms', '60s', '15m', '1h', '7d', '1_000ms', '1.5h', '0s'),
  fc.tuple(fc.nat(1000), fc.constantFrom('ms', 's', 'm', 'h', 'd')).map(([amount, unit]) => `${amount}${unit}`),
);

// --- targets, principals, expressions ------------------------------------------------------------

/** `[to]`: a clause word is a name only inside brackets after `tool`, `label` or `for agent`. */
const bracketedClauseWord = token(fc.constantFrom(...CLAUSE_WORDS)).map((name) => ['[', ...name, ']']);
const toolNames = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(globName, singleName) },
  { weight: 2, arbitrary: bracketed('[', fc.oneof(globName, freeName), ']') },
  { weight: 1, arbitrary: bracketedClauseWord },
);
const labelNames = fc.oneof({ weight: 6, arbitrary: singleName }, { weight: 2, arbitrary: bracketed('[', freeName, ']') }, { weight: 1, arbitrary: bracketedClauseWord });
const target: Arb = fc.oneof(seq(words('tool'), toolNames), seq(words('label'), labelNames), words('any', 'tool'));
const principal: Arb = seq(token(fc.constantFrom('agent', 'human', 'role', 'tier')), labelNames);

/** A bare name in value position refers to a set; language words there mean something else. */
const setRef = token(plainWord);
const path: Arb = fc
  .tuple(fc.constantFrom(...PATH_ROOTS), fc.array(freeName, { maxLength: 2 }))
  // `agent` alone at the start of a line would begin a declaration: give such roots a field.
  .chain(([root, fields]) => (fields.length === 0 && DECLARATION_WORDS.includes(root) ? freeName.map((field) => [field]) : fc.constant(fields)).map((list) => [root, ...list.flatMap((field) => ['.', ...field])]));
const atom: Arb = fc.oneof(
  { weight: 4, arbitrary: path },
  { weight: 2, arbitrary: token(stringLiteral) },
  { weight: 2, arbitrary: token(number) },
  { weight: 1, arbitrary: token(duration) },
  { weight: 1, arbitrary: token(fc.constantFrom('true', 'false', 'null')) },
  { weight: 1, arbitrary: setRef },
);
const comparison = fc.oneof(token(fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '~', '!~', 'in')), words('not', 'in'));

const exprByDepth = new Map<number, Arb>();

/** `orExpr` of the grammar, nesting at most `depth` brackets deep. */
export function expression(depth = 2): Arb {
  let arb = exprByDepth.get(depth);
  if (arb) return arb;
  const primary: Arb =
    depth === 0
      ? atom
      : fc.oneof(
          { weight: 6, arbitrary: atom },
          { weight: 1, arbitrary: bracketed('[', expression(depth - 1), ']') },
          { weight: 1, arbitrary: bracketed('{', seq(freeName, words(':'), expression(depth - 1)), '}') },
          { weight: 2, arbitrary: seq(words('('), expression(depth - 1), words(')')) },
        );
  const compare = fc.oneof({ weight: 3, arbitrary: primary }, { weight: 4, arbitrary: seq(primary, comparison, primary) }, { weight: 1, arbitrary: seq(primary, words('from'), target) });
  const not = seq(fc.array(words('not'), { maxLength: 2 }).map((list) => list.flat()), compare);
  const chain = (operand: Arb, op: string): Arb => seq(operand, fc.array(seq(words(op), operand), { maxLength: 2 }).map((list) => list.flat()));
  arb = chain(chain(not, 'and'), 'or');
  exprByDepth.set(depth, arb);
  return arb;
}

// --- declarations --------------------------------------------------------------------------------

const type: Arb = fc.letrec<{ type: Tokens }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    token(fc.oneof(fc.constantFrom('string', 'number', 'int', 'bool', 'object', 'any', 'list'), plainWord)),
    seq(words('list', '<'), tie('type'), words('>')),
    fc.array(token(fc.oneof(stringLiteral, number)), { minLength: 1, maxLength: 3 }).map((members) => members.flatMap((member, i) => (i === 0 ? member : ['|', ...member]))),
  ),
})).type;

const field = seq(freeName, maybe(words('?')), words(':'), type);
const fields = fc.array(field, { maxLength: 4 }).map((list) => [...list]);
const description = seq(words('description'), token(stringLiteral));
const nameList = fc.oneof(bracketed('[', freeName, ']'), freeName);

const tool = block(
  seq(words('tool'), freeName),
  fc
    .tuple(maybe(description), several(seq(words('args', '{'), blockBody(fields), words('}')), 2), several(seq(words('labels'), nameList), 2))
    .map(([text, args, labels]) => [...(text.length > 0 ? [text] : []), ...args, ...labels]),
);
const context = block(words('context'), fields);
const label = seq(words('label'), freeName, maybe(description), maybe(seq(words('='), fc.array(fc.oneof(globName, freeName), { minLength: 1, maxLength: 3 }).map((list) => list.flatMap((name, i) => (i === 0 ? name : [',', ...name]))))));
const set = seq(words('set'), freeName, words('='), bracketed('[', expression(1), ']'));
const agent = block(
  seq(words('agent'), freeName),
  fc.tuple(someOf([seq(words('owner'), token(stringLiteral)), seq(words('tier'), freeName), description]), several(seq(words('roles'), nameList), 2)).map(([once, roles]) => [...once, ...roles]),
);
const human = block(seq(words('human'), freeName), fc.tuple(someOf([description]), several(seq(words('roles'), nameList), 2)).map(([once, roles]) => [...once, ...roles]));

const when = seq(words('when'), expression(2));
const id = seq(words('id'), singleName);
const because = seq(words('because'), token(stringLiteral));
const forPrincipal = seq(words('for'), principal);
const after = seq(words('after'), target, maybe(seq(words('within'), token(duration))));

/** The clauses of a rule, limit or grant, each at most once, in random order. */
function clauses(list: readonly Arb[]): Arb {
  return someOf(list)
    .chain((chosen) => fc.shuffledSubarray(chosen, { minLength: chosen.length, maxLength: chosen.length }))
    .map((chosen) => chosen.flat());
}

const effect = fc.oneof(
  { weight: 3, arbitrary: seq(token(fc.constantFrom('permit', 'forbid', 'monitor')), maybe(words('for'), 4)) },
  { weight: 2, arbitrary: seq(words('require', 'approval'), maybe(seq(words('by'), freeName)), maybe(words('for'))) },
);
const rule = seq(effect, target, clauses([forPrincipal, when, after, id, because]), maybe(words(';'), 3));
const limit = seq(
  words('limit'),
  target,
  words('to'),
  token(number),
  words('per'),
  token(duration),
  fc.array(seq(words('per'), fc.oneof({ weight: 4, arbitrary: token(fc.constantFrom('agent', 'session', 'tool', 'human')) }, { weight: 1, arbitrary: freeName })), { maxLength: 2 }).map((list) => list.flat()),
  clauses([forPrincipal, when, id, because]),
  maybe(words(';'), 3),
);
const grant = seq(
  words('grant'),
  target,
  words('to'),
  principal,
  fc.oneof(seq(words('for'), token(duration), maybe(words('after', 'approval'))), seq(words('from'), token(stringLiteral), words('until'), token(stringLiteral))),
  clauses([when, id, because]),
  maybe(words(';'), 3),
);
const role = block(seq(words('role'), freeName), fc.tuple(someOf([description]), several(fc.oneof(rule, limit), 3)).map(([text, rules]) => [...text, ...rules]));

const object = bracketed('{', seq(freeName, words(':'), expression(1)), '}');
const expectation = seq(
  words('expect'),
  fc.oneof(words('allow'), words('deny'), seq(words('approval'), maybe(seq(words('by'), freeName)))),
  maybe(seq(words('rule'), freeName)),
);
const expectationOrNot = fc.oneof({ weight: 1, arbitrary: fc.constant<Tokens>([]) }, { weight: 2, arbitrary: expectation });
const call = seq(words('call'), freeName, maybe(object), maybe(seq(words('at'), token(stringLiteral))), maybe(seq(words('result'), token(stringLiteral))), expectationOrNot);
const step = fc.oneof(
  seq(token(fc.constantFrom('agent', 'on_behalf_of', 'session')), freeName),
  seq(words('at'), token(stringLiteral)),
  seq(words('approvals'), token(fc.constantFrom('approve', 'reject', '"approve"'))),
  seq(words('context'), object),
  seq(words('user'), token(stringLiteral)),
  call,
  call,
  // A bare call, then a separate `at` step: without the `;` the call would take that time.
  seq(words('call'), freeName, words(';', 'at'), token(stringLiteral)),
);
const test = block(seq(words('test'), token(stringLiteral)), several(step, 5));

/** Any one top-level declaration, as tokens. */
export const declaration: Arb = fc.oneof(
  seq(words('import'), token(stringLiteral)),
  seq(words('timezone'), token(stringLiteral)),
  context,
  tool,
  label,
  set,
  agent,
  human,
  role,
  rule,
  rule,
  limit,
  grant,
  test,
);

// --- trivia --------------------------------------------------------------------------------------

/** Comment text: anything but a line break. */
const commentText = fc.string({ unit: 'binary', maxLength: 12 }).map((text) => text.replace(/\n/g, ' '));

/** What goes between two tokens; `comments` is the weight of comment-bearing trivia. */
function trivia(comments: number): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 30, arbitrary: fc.constant(' ') },
    { weight: 5, arbitrary: fc.constant('\n') },
    { weight: 2, arbitrary: fc.constant('\n\n') },
    { weight: 1, arbitrary: fc.constantFrom('\t', '  ', '\r\n', '\n   \n\n') },
  ];
  if (comments > 0) {
    options.push(
      { weight: comments, arbitrary: commentText.map((text) => ` #${text}\n`) },
      { weight: comments, arbitrary: commentText.map((text) => `\n  #${text}\n`) },
      { weight: 1, arbitrary: commentText.map((text) => `\n\n#${text}\n\n`) },
    );
  }
  return fc.oneof(...options);
}

/** Joins tokens with random trivia (before the first, between all, after the last). */
function withTrivia(tokens: Tokens, comments: number): fc.Arbitrary<string> {
  const end = comments > 0 ? fc.oneof(trivia(comments), commentText.map((text) => `\n#${text}`)) : trivia(0);
  return fc
    .tuple(fc.array(trivia(comments), { minLength: tokens.length, maxLength: tokens.length }), end)
    .map(([between, last]) => tokens.map((text, i) => between[i] + text).join('') + last);
}

export interface ProgramOptions {
  /** Most declarations in one program. */
  readonly maxDeclarations?: number;
  /** Whether comments are put between tokens. */
  readonly comments?: boolean;
}

/** Random valid `.gate` source text. */
export function validProgram(options: ProgramOptions = {}): fc.Arbitrary<string> {
  const { maxDeclarations = 6, comments = true } = options;
  const program = fc.array(seq(declaration, maybe(words(';'), 4)), { maxLength: maxDeclarations }).map((list) => list.flat());
  const density = comments ? fc.constantFrom(0, 1, 3, 8) : fc.constant(0);
  return fc.tuple(program, density).chain(([tokens, weight]) => withTrivia(tokens, weight));
}

/** Text made mostly of the language's tokens in random order: mostly invalid, for robustness. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...DECLARATION_WORDS, ...CLAUSE_WORDS, 'and', 'or', 'not', 'in', 'from', 'any', 'approval', 'by', 'args', 'labels', 'call', 'expect', 'list'),
      fc.constantFrom('{', '}', '[', ']', '(', ')', ',', ';', ':', '?', '.', '=', '|', '<', '>', '==', '!=', '~', '!~', '"', '#', '\\', '-'),
      stringLiteral,
      number,
      duration,
      plainWord,
      globWord,
      fc.constantFrom(' ', '\n', '\t', '# comment\n', '\r\n'),
    ),
    { maxLength: 400 },
  )
  .chain((parts) => fc.array(fc.constantFrom('', ' ', '\n'), { minLength: parts.length, maxLength: parts.length }).map((gaps) => parts.map((part, i) => part + gaps[i]).join('')));

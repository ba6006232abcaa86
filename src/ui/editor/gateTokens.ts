// Syntax highlighting for `.gate` files: a Monarch tokenizer and the language configuration
// (comments, brackets, auto-closing). Semantic help comes from the language service instead.
import type * as monaco from 'monaco-editor/editor/editor.api';

export const GATE_LANGUAGE_ID = 'gate';

export const GATE_KEYWORDS = [
  'import', 'timezone', 'context', 'tool', 'args', 'labels', 'description', 'label', 'set',
  'agent', 'human', 'role', 'owner', 'roles', 'tier', 'permit', 'forbid', 'monitor', 'require',
  'approval', 'by', 'for', 'when', 'after', 'within', 'id', 'because', 'limit', 'to', 'per',
  'grant', 'from', 'until', 'test', 'call', 'expect', 'user', 'on_behalf_of', 'session', 'at',
  'approvals', 'approve', 'reject', 'result', 'rule', 'any', 'allow', 'deny', 'and', 'or', 'not',
  'in', 'true', 'false', 'null', 'list',
];

/** Roots of attribute paths such as `args.amount` or `agent.tier`. */
export const GATE_PATH_ROOTS = ['args', 'agent', 'human', 'context', 'time', 'tool', 'session'];

export const GATE_OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '~', '!~', '|'];

interface GateMonarch extends monaco.languages.IMonarchLanguage {
  keywords: string[];
  operators: string[];
}

export const gateMonarch: GateMonarch = {
  defaultToken: '',
  tokenPostfix: '.gate',
  keywords: GATE_KEYWORDS,
  operators: GATE_OPERATORS,
  brackets: [
    { open: '{', close: '}', token: 'delimiter.curly' },
    { open: '[', close: ']', token: 'delimiter.square' },
    { open: '(', close: ')', token: 'delimiter.parenthesis' },
  ],
  tokenizer: {
    root: [
      [/#.*$/, 'comment'],
      [/"(?:[^"\\]|\\.)*$/, 'string.invalid'], // a string that never closes on its line
      [/"/, 'string', '@string'],
      [/\d[\d_]*(?:\.\d+)?(?:ms|s|m|h|d)(?![\w])/, 'number.duration'],
      [/\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?/, 'number'],
      [new RegExp(`(${GATE_PATH_ROOTS.join('|')})((?:\\.[A-Za-z_][\\w-]*)+)`), ['variable.predefined', 'variable']],
      [/(?:[A-Za-z_][\w.-]*)?\*[\w*?.-]*|[A-Za-z_][\w.-]*\?[\w*?.-]+/, 'type.glob'],
      [/[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*/, { cases: { '@keywords': 'keyword', '@default': 'identifier' } }],
      [/[{}()[\]]/, '@brackets'],
      [/[=!<>~|]+/, { cases: { '@operators': 'operator', '@default': 'delimiter' } }],
      [/[;,:?]/, 'delimiter'],
      [/\s+/, 'white'],
    ],
    string: [
      [/[^\\"]+/, 'string'],
      [/\\(?:["\\ntr]|u\{[0-9A-Fa-f]{1,6}\})/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/"/, 'string', '@pop'],
    ],
  },
};

export const gateLanguageConfiguration: monaco.languages.LanguageConfiguration = {
  comments: { lineComment: '#' },
  brackets: [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
  ],
  surroundingPairs: [
    { open: '{', close: '}' },
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: '"', close: '"' },
  ],
  // Words for completion and double-click: names with `-` and globs, but not across `.` in paths.
  wordPattern: /-?\d[\d_]*(?:\.\d+)?[a-z]*|[A-Za-z_*?][\w*?-]*/,
};

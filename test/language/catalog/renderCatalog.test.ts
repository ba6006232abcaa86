import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CatalogTool, CatalogType } from '../../../src/language/catalog/catalogModel';
import { importCatalog } from '../../../src/language/catalog';
import { quoteString, renderCatalog, renderName, summarizeDescription } from '../../../src/language/catalog/renderCatalog';
import { lex } from '../../../src/language/lexer';
import { AGENTDOJO_TOOLS_PATH, GITHUB_TOOLS_PATH, readDataset } from './datasets';

/**
 * Reads the string literal starting at `text[start]` (a `"`) with the language's escapes; returns
 * its value and the offset after the closing quote, or undefined when it is not closed on its line.
 */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  const escapes: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', '0': '\0' };
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\n') return undefined;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = text[i + 1] ?? '';
    if (escapes[next] !== undefined) {
      value += escapes[next];
      i++;
    } else if (next === 'u') {
      const close = text.indexOf('}', i);
      value += String.fromCodePoint(parseInt(text.slice(i + 3, close), 16));
      i = close;
    } else return undefined;
  }
  return undefined;
}

/** The value a rendered name stands for: bare as is, or the decoded string literal. */
function unquote(rendered: string): string | undefined {
  if (!rendered.startsWith('"')) return rendered;
  const read = readQuoted(rendered, 0);
  return read && read.end === rendered.length ? read.value : undefined;
}

describe('renderCatalog', () => {
  test('writes a tool with description, inline args and labels', () => {
    const text = renderCatalog([
      {
        name: 'get_me',
        description: 'Get details of the authenticated GitHub user. Use this when a request is about the user.',
        args: [
          { name: 'owner', optional: false, type: { kind: 'string' } },
          { name: 'page', optional: true, type: { kind: 'int' } },
          { name: 'state', optional: true, type: { kind: 'enum', values: ['open', 'closed'] } },
        ],
        labels: ['read_only', 'open_world'],
      },
    ]);
    expect(text).toBe(
      [
        'tool get_me {',
        '  description "Get details of the authenticated GitHub user"',
        '  args { owner: string, page?: int, state?: "open" | "closed" }',
        '  labels [read_only, open_world]',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('puts args one per line when there are more than three', () => {
    const args = ['a', 'b', 'c', 'd'].map((name) => ({ name, optional: false, type: { kind: 'bool' } as CatalogType }));
    expect(renderCatalog([{ name: 't', args, labels: [] }])).toBe(
      ['tool t {', '  args {', '    a: bool', '    b: bool', '    c: bool', '    d: bool', '  }', '}', ''].join('\n'),
    );
  });

  test('puts args one per line when the one-line form would pass 100 characters', () => {
    const longEnum: CatalogType = { kind: 'enum', values: Array.from({ length: 12 }, (_, i) => `value_${i}`) };
    const text = renderCatalog([{ name: 't', args: [{ name: 'x', optional: false, type: longEnum }], labels: [] }]);
    expect(text.split('\n')[1]).toBe('  args {');
  });

  test('writes a tool with nothing but a name on one line, and a header as comments', () => {
    expect(renderCatalog([{ name: 'get_iban', args: [], labels: [] }], 'from tools.json\n\n2 tools')).toBe(
      '# from tools.json\n#\n# 2 tools\n\ntool get_iban {}\n',
    );
  });

  test('writes lists, numbers and the other named types', () => {
    const text = renderCatalog([
      {
        name: 't',
        args: [
          { name: 'ids', optional: false, type: { kind: 'list', element: { kind: 'list', element: { kind: 'int' } } } },
          { name: 'level', optional: false, type: { kind: 'enum', values: [1, -2.5, 'x'] } },
          { name: 'payload', optional: true, type: { kind: 'any' } },
        ],
        labels: [],
      },
    ]);
    expect(text).toContain('args { ids: list<list<int>>, level: 1 | -2.5 | "x", payload?: any }');
  });

  test('quotes names that are not plain identifiers', () => {
    expect(renderName('send_money')).toBe('send_money');
    expect(renderName('payroll-validator')).toBe('payroll-validator');
    expect(renderName('__proto__')).toBe('__proto__');
    expect(renderName('mcp.server.tool')).toBe('"mcp.server.tool"');
    expect(renderName('ends-')).toBe('"ends-"');
    expect(renderName('a--b')).toBe('"a--b"');
    expect(renderName('9lives')).toBe('"9lives"');
    expect(renderName('get_*')).toBe('"get_*"');
    expect(renderName('mcp/weird name')).toBe('"mcp/weird name"');
    expect(renderName('')).toBe('""');
  });

  test('escapes quotes, backslashes, line breaks and invisible characters', () => {
    expect(quoteString('say "hi"\\ \n\t\r')).toBe('"say \\"hi\\"\\\\ \\n\\t\\r"');
    expect(quoteString('\u0000\u001b\u007f\u2028\u202e\ufeff')).toBe('"\\u{0}\\u{1B}\\u{7F}\\u{2028}\\u{202E}\\u{FEFF}"');
    expect(quoteString('\ud800')).toBe('"\\u{D800}"');
    expect(quoteString('émoji 😀')).toBe('"émoji 😀"');
  });

  test('shortens descriptions to one sentence of at most 120 characters', () => {
    expect(summarizeDescription('  First line. Second sentence.\nSecond line')).toBe('First line');
    expect(summarizeDescription('\n\nUse e.g. ci.yaml here. Then more')).toBe('Use e.g. ci.yaml here');
    expect(summarizeDescription('Is it done? Yes')).toBe('Is it done?');
    expect(summarizeDescription('Wait...')).toBe('Wait...');
    const long = summarizeDescription('word '.repeat(60));
    expect(Array.from(long).length).toBeLessThanOrEqual(120);
    expect(long.endsWith('word...')).toBe(true);
    expect(Array.from(summarizeDescription('x'.repeat(300))).length).toBe(120);
    expect(summarizeDescription('')).toBe('');
  });

  test('renders the GitHub and AgentDojo catalogs deterministically', async () => {
    for (const [path, golden] of [
      [GITHUB_TOOLS_PATH, './golden/github-mcp-server.gate'],
      [AGENTDOJO_TOOLS_PATH, './golden/agentdojo.gate'],
    ] as const) {
      const text = readDataset(path);
      const first = renderCatalog(importCatalog(text).value);
      const second = renderCatalog(importCatalog(text).value);
      expect(second).toBe(first);
      await expect(first).toMatchFileSnapshot(golden);
    }
  });

  test('renders the real catalogs as text the lexer reads without a diagnostic', () => {
    for (const path of [GITHUB_TOOLS_PATH, AGENTDOJO_TOOLS_PATH]) {
      const rendered = renderCatalog(importCatalog(readDataset(path)).value, `from ${path}`);
      expect(lex(rendered).diagnostics).toEqual([]);
    }
  });
});

describe('renderCatalog on arbitrary tools', () => {
  const name = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ maxLength: 12 }), fc.constantFrom('a.b', 'x-', '__proto__', 'tool'));
  const type: fc.Arbitrary<CatalogType> = fc.letrec<{ type: CatalogType }>((tie) => ({
    type: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom<CatalogType>({ kind: 'string' }, { kind: 'number' }, { kind: 'int' }, { kind: 'bool' }, { kind: 'object' }, { kind: 'any' }),
      fc.record({ kind: fc.constant('list' as const), element: tie('type') }),
      fc.record({
        kind: fc.constant('enum' as const),
        values: fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.double({ noNaN: true }), fc.integer()), { minLength: 1, maxLength: 4 }),
      }),
    ),
  })).type;
  const tool: fc.Arbitrary<CatalogTool> = fc.record(
    {
      name,
      description: fc.string({ unit: 'binary', maxLength: 200 }),
      args: fc.array(fc.record({ name, optional: fc.boolean(), type }), { maxLength: 5 }),
      labels: fc.array(name, { maxLength: 3 }),
    },
    { requiredKeys: ['name', 'args', 'labels'] },
  );

  test('every rendered name reads back as the name it stands for', () => {
    fc.assert(
      fc.property(name, (value) => {
        const rendered = renderName(value);
        expect(unquote(rendered)).toBe(value);
        if (!rendered.startsWith('"')) expect(rendered).toMatch(/^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*$/);
        expect(rendered).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
    );
  });

  test('output has balanced quotes on every line and lexes without diagnostics', () => {
    fc.assert(
      fc.property(fc.array(tool, { maxLength: 4 }), fc.option(fc.string({ unit: 'binary' }), { nil: undefined }), (tools, header) => {
        const text = renderCatalog(tools, header);
        const strings: string[] = [];
        for (const line of text.split('\n')) {
          if (line.startsWith('#')) continue;
          for (let i = 0; i < line.length; i++) {
            if (line[i] !== '"') continue;
            const read = readQuoted(line, i);
            expect(read, `unbalanced quote in ${JSON.stringify(line)}`).toBeDefined();
            strings.push(read!.value);
            i = read!.end - 1;
          }
        }
        const lexed = lex(text);
        expect(lexed.diagnostics).toEqual([]);
        expect(lexed.tokens.filter((t) => t.kind === 'String').map((t) => t.text)).toEqual(strings);
        // Every quoted name is among the decoded strings, so names round-trip through the text.
        for (const t of tools) {
          for (const n of [t.name, ...t.args.map((a) => a.name), ...t.labels]) {
            if (renderName(n).startsWith('"')) expect(strings).toContain(n);
          }
        }
      }),
    );
  });
});

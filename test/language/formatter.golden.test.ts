// Golden formatting: every `test/golden/format/<name>.gate` beside `<name>.expected` is a test
// (adding a file adds a test): the expected file is the input in canonical layout. Each case
// also checks that formatting the expected output changes nothing, that the formatted file
// means the same as the input and that every comment survives. `UPDATE_GOLDEN=1` rewrites the
// expectations; read every changed file before accepting it.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stripSpans } from '../../src/language/astEquality';
import { format, formatText } from '../../src/language/formatter';
import { parse } from '../../src/language/parser';

const FOLDER = fileURLToPath(new URL('../golden/format', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const names = readdirSync(FOLDER)
  .filter((entry) => entry.endsWith('.gate'))
  .map((entry) => entry.slice(0, -'.gate'.length))
  .sort();

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

function commentTexts(text: string): string[] {
  return parse(text).value.comments.map((comment) => comment.text).sort();
}

describe('format goldens', () => {
  it('has inputs', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  it('has an input beside every expected file', () => {
    const orphans = readdirSync(FOLDER).filter((entry) => entry.endsWith('.expected') && !names.includes(entry.slice(0, -'.expected'.length)));
    expect(orphans).toEqual([]);
  });

  for (const name of names) {
    const input = join(FOLDER, `${name}.gate`);
    const expectedPath = join(FOLDER, `${name}.expected`);

    it(`${name} formats as expected`, () => {
      const source = read(input);
      const result = formatText(source, `${name}.gate`);
      expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const actual = result.value ?? '';
      if (UPDATE) {
        if (!existsSync(expectedPath) || read(expectedPath) !== actual) writeFileSync(expectedPath, actual);
        return;
      }
      expect(existsSync(expectedPath), `missing ${name}.expected; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(actual).toBe(read(expectedPath));
    });

    it(`${name} is a fixed point, means the same as its input and keeps every comment`, () => {
      const source = read(input);
      const formatted = formatText(source).value;
      expect(formatted, 'the input has parse errors').toBeDefined();
      if (formatted === undefined) return;
      expect(formatText(formatted).value).toBe(formatted);
      expect(stripSpans(parse(formatted).value)).toEqual(stripSpans(parse(source).value));
      expect(commentTexts(formatted)).toEqual(commentTexts(source));
    });
  }
});

describe('formatText', () => {
  it('leaves text with parse errors alone and returns its diagnostics', () => {
    const result = formatText('tool x { args { a: } }\n# keep me\npermit tool', 'broken.gate');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('GH1005');
    expect(result.diagnostics.every((d) => d.file === 'broken.gate')).toBe(true);
  });

  it('refuses a block entry given twice, which the tree could not keep', () => {
    expect(formatText('tool x { description "a" description "b" }').value).toBeUndefined();
    expect(formatText('agent a { tier low; tier high }').value).toBeUndefined();
  });

  it('formats an empty file and a file of blank lines to nothing', () => {
    expect(formatText('').value).toBe('');
    expect(formatText('\n\n  \n').value).toBe('');
  });

  it('writes Windows line endings as plain line breaks', () => {
    expect(formatText('# note\r\npermit tool a\r\n\r\n\r\nforbid tool b # why\r\n').value).toBe('# note\npermit tool a\n\nforbid tool b # why\n');
  });
});

describe('format', () => {
  it('prints a tree built without source text, quoting names that cannot be bare', () => {
    const { value } = parse('permit tool x');
    const rule = value.declarations[0]!;
    const renamed = { ...rule, target: { kind: 'ToolTarget', span: rule.span, tools: [{ kind: 'Name', span: rule.span, value: 'odd name', quoted: false, glob: false }] } };
    const file = { ...value, text: '', comments: [], declarations: [renamed] } as typeof value;
    expect(format(file)).toBe('permit tool "odd name"\n');
  });
});

// Importer and renderer against the real parser: a rendered catalog parses cleanly and means
// the same tools it was rendered from.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ToolDecl, TypeExpr } from '../../../src/language/ast';
import type { CatalogTool, CatalogType } from '../../../src/language/catalog/catalogModel';
import { importCatalog } from '../../../src/language/catalog';
import { renderCatalog, summarizeDescription } from '../../../src/language/catalog/renderCatalog';
import { parse } from '../../../src/language/parser';
import { AGENTDOJO_TOOLS_PATH, GITHUB_TOOLS_PATH, readDataset } from './datasets';

/** The catalog type a parsed type expression states. */
function typeOf(type: TypeExpr): CatalogType | 'error' {
  switch (type.kind) {
    case 'NamedType':
      return { kind: type.name.value } as CatalogType;
    case 'ListType': {
      const element = typeOf(type.element);
      return element === 'error' ? 'error' : { kind: 'list', element };
    }
    case 'LiteralUnionType':
      return { kind: 'enum', values: type.members.map((member) => member.value) };
    case 'ErrorType':
      return 'error';
  }
}

/** What a catalog tool looks like after rendering: the summary description, writable numbers. */
function asRendered(tool: CatalogTool): CatalogTool {
  const normalize = (type: CatalogType): CatalogType => {
    if (type.kind === 'list') return { kind: 'list', element: normalize(type.element) };
    if (type.kind !== 'enum') return type;
    const values = type.values.filter((v) => typeof v === 'string' || Number.isFinite(v)).map((v) => (Object.is(v, -0) ? 0 : v));
    return values.length === 0 ? { kind: 'any' } : { kind: 'enum', values };
  };
  const description = summarizeDescription(tool.description ?? '');
  return {
    name: tool.name,
    ...(description !== '' ? { description } : {}),
    args: tool.args.map((arg) => ({ name: arg.name, optional: arg.optional, type: normalize(arg.type) })),
    labels: tool.labels,
  };
}

/** The catalog tools a parsed file declares. */
function toolsOf(text: string): { tools: CatalogTool[]; codes: string[] } {
  const { value, diagnostics } = parse(text, 'catalog.gate');
  const tools = value.declarations
    .filter((d): d is ToolDecl => d.kind === 'Tool')
    .map((d) => ({
      name: d.name.value,
      ...(d.description ? { description: d.description.value } : {}),
      args: d.args.map((field) => ({ name: field.name.value, optional: field.optional, type: typeOf(field.type) as CatalogType })),
      labels: d.labels.map((label) => label.value),
    }));
  return { tools, codes: diagnostics.map((d) => `${d.code} ${d.message}`) };
}

describe('rendered catalogs and the parser', () => {
  test.each([
    ['GitHub MCP server', GITHUB_TOOLS_PATH, 117],
    ['AgentDojo', AGENTDOJO_TOOLS_PATH, 22],
  ])('the rendered %s catalog parses with no diagnostics and declares the imported tools', (_, path, count) => {
    const imported = importCatalog(readDataset(path)).value;
    const { tools, codes } = toolsOf(renderCatalog(imported, `generated from ${path}`));
    expect(codes).toEqual([]);
    expect(tools).toHaveLength(count);
    expect(tools).toEqual(imported.map(asRendered));
  });

  test('arbitrary tools render to text that parses back to the same tools', () => {
    const name = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }), fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.constantFrom('limit', 'tool', 'args', 'labels', 'description', 'any', 'list', '__proto__', 'a.b', 'get_*'));
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
        description: fc.string({ unit: 'binary', maxLength: 160 }),
        args: fc.uniqueArray(fc.record({ name, optional: fc.boolean(), type }), { maxLength: 5, selector: (arg) => arg.name }),
        labels: fc.array(name, { maxLength: 3 }),
      },
      { requiredKeys: ['name', 'args', 'labels'] },
    );
    fc.assert(
      fc.property(fc.array(tool, { maxLength: 3 }), (tools) => {
        const { tools: parsed, codes } = toolsOf(renderCatalog(tools, 'header'));
        expect(codes).toEqual([]);
        expect(parsed).toEqual(tools.map(asRendered));
      }),
      { numRuns: 300 },
    );
  });
});

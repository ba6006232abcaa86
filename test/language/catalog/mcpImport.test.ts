import { describe, expect, test } from 'vitest';
import type { CatalogTool } from '../../../src/language/catalog/catalogModel';
import { importMcpTools } from '../../../src/language/catalog/mcpImport';
import { GITHUB_TOOLS_PATH, readDataset } from './datasets';

interface RawTool {
  name: string;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  inputSchema: { properties?: Record<string, unknown>; required?: string[] };
}

const githubText = readDataset(GITHUB_TOOLS_PATH);
const rawTools = (JSON.parse(githubText) as { result: { tools: RawTool[] } }).result.tools;
const github = importMcpTools(githubText, 'github.json');

function tool(tools: readonly CatalogTool[], name: string): CatalogTool {
  const found = tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

function withLabel(label: string): number {
  return github.value.filter((t) => t.labels.includes(label)).length;
}

describe('the GitHub MCP server catalog', () => {
  test('imports all 117 tools with no errors', () => {
    expect(rawTools).toHaveLength(117);
    expect(github.value).toHaveLength(117);
    expect(github.value.map((t) => t.name)).toEqual(rawTools.map((t) => t.name));
    expect(github.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  test('labels 58 tools read_only, as the dataset README states and the raw annotations count', () => {
    const rawReadOnly = rawTools.filter((t) => t.annotations?.readOnlyHint === true).length;
    expect(rawReadOnly).toBe(58);
    expect(withLabel('read_only')).toBe(rawReadOnly);
    expect(withLabel('write')).toBe(117 - rawReadOnly);
  });

  test('labels destructive every tool that is not read-only and does not say destructiveHint false', () => {
    const rawDestructive = rawTools.filter(
      (t) => t.annotations?.readOnlyHint !== true && t.annotations?.destructiveHint !== false,
    ).length;
    expect(withLabel('destructive')).toBe(rawDestructive);
    expect(rawDestructive).toBe(35);
    // The README's "10 destructive" counts the explicit hints only; the spec default adds 25 more.
    const explicitlyDestructive = rawTools.filter((t) => t.annotations?.destructiveHint === true);
    expect(explicitlyDestructive).toHaveLength(10);
    for (const raw of explicitlyDestructive) expect(tool(github.value, raw.name).labels).toContain('destructive');
  });

  test('labels open_world and idempotent by the spec defaults', () => {
    expect(withLabel('open_world')).toBe(rawTools.filter((t) => t.annotations?.openWorldHint !== false).length);
    expect(withLabel('open_world')).toBe(117);
    expect(withLabel('idempotent')).toBe(rawTools.filter((t) => t.annotations?.idempotentHint === true).length);
    expect(tool(github.value, 'get_me').labels).toEqual(['read_only', 'open_world']);
    expect(tool(github.value, 'delete_file').labels).toEqual(['write', 'destructive', 'open_world']);
    expect(tool(github.value, 'create_issue').labels).toEqual(['write', 'open_world']);
  });

  test('keeps every argument in schema order, optional exactly when not required (or nullable)', () => {
    for (const raw of rawTools) {
      const imported = tool(github.value, raw.name);
      const properties = Object.keys(raw.inputSchema.properties ?? {});
      expect(imported.args.map((arg) => arg.name)).toEqual(properties);
      for (const arg of imported.args) {
        const required = (raw.inputSchema.required ?? []).includes(arg.name);
        const schema = JSON.stringify(raw.inputSchema.properties?.[arg.name]);
        const nullable = /"type":"null"/.test(schema);
        expect(arg.optional, `${raw.name}.${arg.name}`).toBe(!required || nullable);
      }
    }
  });

  test('types the arguments of list_issues as its schema says', () => {
    const args = new Map(tool(github.value, 'list_issues').args.map((arg) => [arg.name, arg]));
    expect(args.get('owner')).toEqual({ name: 'owner', optional: false, type: { kind: 'string' } });
    expect(args.get('repo')).toEqual({ name: 'repo', optional: false, type: { kind: 'string' } });
    expect(args.get('perPage')).toEqual({ name: 'perPage', optional: true, type: { kind: 'number' } });
    expect(args.get('state')).toEqual({ name: 'state', optional: true, type: { kind: 'enum', values: ['OPEN', 'CLOSED'] } });
    expect(args.get('labels')).toEqual({ name: 'labels', optional: true, type: { kind: 'list', element: { kind: 'string' } } });
    expect(args.get('field_filters')?.type).toEqual({ kind: 'list', element: { kind: 'object' } });
    const fields = args.get('fields')?.type;
    expect(fields?.kind === 'list' && fields.element.kind).toBe('enum');
  });

  test('types the arguments of issue_write, including a nullable anyOf', () => {
    const args = new Map(tool(github.value, 'issue_write').args.map((arg) => [arg.name, arg]));
    expect(args.get('method')?.optional).toBe(false);
    expect(args.get('method')?.type.kind).toBe('enum');
    expect(args.get('owner')).toEqual({ name: 'owner', optional: false, type: { kind: 'string' } });
    // `"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}]`
    expect(args.get('type')).toEqual({ name: 'type', optional: true, type: { kind: 'string' } });
    expect(args.get('assignees')?.type).toEqual({ kind: 'list', element: { kind: 'string' } });
    expect(args.get('issue_fields')?.type).toEqual({ kind: 'list', element: { kind: 'object' } });
  });

  test('maps JSON Schema integer to int', () => {
    const integerArgs = rawTools.flatMap((raw) =>
      Object.entries(raw.inputSchema.properties ?? {})
        .filter(([, schema]) => (schema as { type?: unknown }).type === 'integer')
        .map(([name]) => [raw.name, name] as const),
    );
    expect(integerArgs.length).toBeGreaterThan(0);
    for (const [toolName, argName] of integerArgs) {
      expect(tool(github.value, toolName).args.find((arg) => arg.name === argName)?.type).toEqual({ kind: 'int' });
    }
  });

  test('warns once for each argument whose schema has no single type, naming tool and argument', () => {
    const warnings = github.diagnostics.filter((d) => d.code === 'GH4003');
    expect(warnings.map((d) => d.message)).toEqual([
      expect.stringMatching(/tool `update_issue_assignees`, argument `assignees`: .*`oneOf`.*`list<any>`/),
      expect.stringMatching(/tool `update_issue_labels`, argument `labels`: .*`oneOf`.*`list<any>`/),
    ]);
    for (const warning of warnings) {
      expect(warning.severity).toBe('warning');
      expect(warning.file).toBe('github.json');
      expect(githubText[warning.span.start]).toBe('{'); // the argument's schema object
    }
  });
});

describe('MCP import', () => {
  const schemaTool = (properties: Record<string, unknown>, required: string[] = []): string =>
    JSON.stringify({ tools: [{ name: 't', inputSchema: { type: 'object', properties, required } }] });
  const argOf = (properties: Record<string, unknown>, required: string[] = []) => {
    const result = importMcpTools(schemaTool(properties, required));
    return { arg: result.value[0]!.args[0]!, diagnostics: result.diagnostics };
  };

  test('accepts a JSON-RPC response, a bare result, an array of tools and a single tool', () => {
    const definition = { name: 'echo', inputSchema: { type: 'object' } };
    for (const document of [
      { jsonrpc: '2.0', id: 1, result: { tools: [definition] } },
      { tools: [definition] },
      [definition],
      definition,
    ]) {
      const result = importMcpTools(JSON.stringify(document));
      expect(result.diagnostics).toEqual([]);
      expect(result.value.map((t) => t.name)).toEqual(['echo']);
    }
  });

  test('reads a nullable type list as an optional argument of the other type', () => {
    const { arg, diagnostics } = argOf({ note: { type: ['string', 'null'] } }, ['note']);
    expect(arg).toEqual({ name: 'note', optional: true, type: { kind: 'string' } });
    expect(diagnostics).toEqual([]);
  });

  test('reads enums of strings and numbers, and const, as literal unions', () => {
    expect(argOf({ level: { type: 'integer', enum: [1, 2, 3] } }).arg.type).toEqual({ kind: 'enum', values: [1, 2, 3] });
    expect(argOf({ mode: { enum: ['a', 'b', null] } }, ['mode']).arg).toEqual({
      name: 'mode',
      optional: true,
      type: { kind: 'enum', values: ['a', 'b'] },
    });
    expect(argOf({ only: { const: 'x' } }).arg.type).toEqual({ kind: 'enum', values: ['x'] });
    expect(argOf({ flag: { type: 'boolean', enum: [true, false] } }).arg.type).toEqual({ kind: 'bool' });
  });

  test('reads lists of lists and anyOf branches that agree', () => {
    expect(argOf({ grid: { type: 'array', items: { type: 'array', items: { type: 'integer' } } } }).arg.type).toEqual({
      kind: 'list',
      element: { kind: 'list', element: { kind: 'int' } },
    });
    expect(argOf({ n: { anyOf: [{ type: 'integer' }, { type: 'number' }] } }).arg.type).toEqual({ kind: 'number' });
    expect(argOf({ s: { oneOf: [{ enum: ['a'] }, { enum: ['b'] }] } }).arg.type).toEqual({ kind: 'enum', values: ['a', 'b'] });
  });

  test('types unmappable schemas as any with a GH4003 warning naming tool and argument', () => {
    for (const schema of [
      { anyOf: [{ type: 'string' }, { type: 'number' }] },
      { description: 'no type at all' },
      { $ref: '#/definitions/thing' },
      { type: 'null' },
      { type: 'wat' },
      true,
    ]) {
      const { arg, diagnostics } = argOf({ weird: schema });
      expect(arg.type).toEqual({ kind: 'any' });
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ code: 'GH4003', severity: 'warning' });
      expect(diagnostics[0]!.message).toContain('tool `t`, argument `weird`');
    }
  });

  test('labels tools by the MCP annotation defaults', () => {
    const labelsOf = (annotations: unknown): readonly string[] =>
      importMcpTools(JSON.stringify([{ name: 't', inputSchema: { type: 'object' }, annotations }])).value[0]!.labels;
    expect(labelsOf(undefined)).toEqual(['write', 'destructive', 'open_world']);
    expect(labelsOf({})).toEqual(['write', 'destructive', 'open_world']);
    expect(labelsOf({ readOnlyHint: true, destructiveHint: true })).toEqual(['read_only', 'open_world']);
    expect(labelsOf({ destructiveHint: false, idempotentHint: true, openWorldHint: false })).toEqual(['write', 'idempotent']);
    // Hints that are not JSON booleans are ignored: the cautious default applies.
    expect(labelsOf({ readOnlyHint: 'true', destructiveHint: 'false', openWorldHint: 0 })).toEqual(['write', 'destructive', 'open_world']);
  });

  test('keeps the first of two tools with the same name and warns', () => {
    const result = importMcpTools(JSON.stringify([{ name: 'a', description: 'first' }, { name: 'a', description: 'second' }]));
    expect(result.value.map((t) => t.description)).toEqual(['first']);
    expect(result.diagnostics.filter((d) => d.code === 'GH4004')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('duplicate tool `a`') }),
    ]);
  });

  test('reports a JSON-RPC error response as not a catalog, with the server message', () => {
    const result = importMcpTools('{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}');
    expect(result.value).toEqual([]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'GH4002', message: expect.stringContaining('Method not found') })]);
  });

  test('imports a tool without inputSchema without arguments, with a warning', () => {
    const result = importMcpTools('[{"name":"bare"}]');
    expect(result.value).toEqual([{ name: 'bare', args: [], labels: ['write', 'destructive', 'open_world'] }]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GH4003']);
  });
});

import { describe, expect, test } from 'vitest';
import { importAgentDojoTools } from '../../../src/language/catalog/agentdojoImport';
import { mapPythonType } from '../../../src/language/catalog/pythonType';
import { AGENTDOJO_TOOLS_PATH, readDataset } from './datasets';

type RawSuites = Record<string, { name: string; args: { name: string; type: string; optional: boolean }[] }[]>;

const text = readDataset(AGENTDOJO_TOOLS_PATH);
const raw = JSON.parse(text) as RawSuites;
const all = importAgentDojoTools(text, undefined, 'tools.json');

describe('the AgentDojo tools.json', () => {
  test('imports every tool of both suites without diagnostics', () => {
    const rawNames = Object.values(raw).flatMap((tools) => tools.map((t) => t.name));
    expect(Object.keys(raw)).toEqual(['banking', 'slack']);
    expect(all.diagnostics).toEqual([]);
    expect(all.value.map((t) => t.name)).toEqual(rawNames);
    expect(all.value).toHaveLength(22);
    expect(all.value.every((t) => t.labels.length === 0)).toBe(true);
  });

  test('types send_money as recipient string, amount number, subject string, date string', () => {
    expect(all.value.find((t) => t.name === 'send_money')).toEqual({
      name: 'send_money',
      labels: [],
      args: [
        { name: 'recipient', optional: false, type: { kind: 'string' } },
        { name: 'amount', optional: false, type: { kind: 'number' } },
        { name: 'subject', optional: false, type: { kind: 'string' } },
        { name: 'date', optional: false, type: { kind: 'string' } },
      ],
    });
  });

  test('types update_scheduled_transaction with a required int id and optional `X | None` fields', () => {
    expect(all.value.find((t) => t.name === 'update_scheduled_transaction')?.args).toEqual([
      { name: 'id', optional: false, type: { kind: 'int' } },
      { name: 'recipient', optional: true, type: { kind: 'string' } },
      { name: 'amount', optional: true, type: { kind: 'number' } },
      { name: 'subject', optional: true, type: { kind: 'string' } },
      { name: 'date', optional: true, type: { kind: 'string' } },
      { name: 'recurring', optional: true, type: { kind: 'bool' } },
    ]);
  });

  test('keeps the optional flag of an argument with a default (`n: int = 100`)', () => {
    expect(all.value.find((t) => t.name === 'get_most_recent_transactions')?.args).toEqual([
      { name: 'n', optional: true, type: { kind: 'int' } },
    ]);
  });

  test('filters to one suite', () => {
    const banking = importAgentDojoTools(text, 'banking');
    expect(banking.diagnostics).toEqual([]);
    expect(banking.value.map((t) => t.name)).toEqual(raw['banking']!.map((t) => t.name));
  });

  test('reports an unknown suite, listing the suites there are', () => {
    const result = importAgentDojoTools(text, 'workspace');
    expect(result.value).toEqual([]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'GH4002', message: 'the file has no suite `workspace`', help: 'its suites are `banking`, `slack`' }),
    ]);
  });

  test('keeps the first definition of a tool name repeated across suites', () => {
    const result = importAgentDojoTools(
      JSON.stringify({ a: [{ name: 'read_file', args: [{ name: 'path', type: 'str', optional: false }] }], b: [{ name: 'read_file', args: [] }] }),
    );
    expect(result.value).toEqual([{ name: 'read_file', labels: [], args: [{ name: 'path', optional: false, type: { kind: 'string' } }] }]);
  });

  test('skips a tool without a name with GH4004 and keeps the others', () => {
    const result = importAgentDojoTools(JSON.stringify({ s: [{ args: [] }, { name: 'ok', args: [] }] }));
    expect(result.value.map((t) => t.name)).toEqual(['ok']);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['GH4004']);
  });
});

describe('Python annotations', () => {
  test.each([
    ['str', { kind: 'string' }, false],
    ['float', { kind: 'number' }, false],
    ['int', { kind: 'int' }, false],
    ['bool', { kind: 'bool' }, false],
    ['list[str]', { kind: 'list', element: { kind: 'string' } }, false],
    ['list', { kind: 'list', element: { kind: 'any' } }, false],
    ['dict', { kind: 'object' }, false],
    ['dict[str, int]', { kind: 'object' }, false],
    ['str | None', { kind: 'string' }, true],
    ['None | int', { kind: 'int' }, true],
    ['Optional[float]', { kind: 'number' }, true],
    ['typing.Optional[list[int]]', { kind: 'list', element: { kind: 'int' } }, true],
    ['Union[int, float]', { kind: 'number' }, false],
    ["Literal['a', \"b\"]", { kind: 'enum', values: ['a', 'b'] }, false],
    ['Any', { kind: 'any' }, false],
  ])('maps `%s`', (annotation, type, nullable) => {
    expect(mapPythonType(annotation)).toEqual({ type, nullable });
  });

  test.each(['datetime', 'str | int', 'list[', 'Callable[[int], str]', '', '???'])('maps `%s` to any with a reason', (annotation) => {
    const mapped = mapPythonType(annotation);
    expect(mapped.type.kind === 'any' || mapped.type.kind === 'list').toBe(true);
    expect(mapped.problem).toBeTypeOf('string');
  });

  test('warns GH4003 for an unknown Python type, naming tool and argument', () => {
    const result = importAgentDojoTools(JSON.stringify({ s: [{ name: 'when', args: [{ name: 'at', type: 'datetime', optional: false }] }] }));
    expect(result.value[0]!.args).toEqual([{ name: 'at', optional: false, type: { kind: 'any' } }]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'GH4003', severity: 'warning', message: expect.stringContaining('tool `when`, argument `at`') }),
    ]);
  });
});

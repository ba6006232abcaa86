// JSON Schema (as MCP servers write `inputSchema` properties) → catalog argument types. Only what
// the policy language can state is kept: the base type, list elements, literal values, and
// whether null is allowed. Constraints (minimum, pattern, ...) are dropped; they are the tool's
// own validation, not policy.

import { ANY, MAX_TYPE_DEPTH, enumType, unifyTypes, type CatalogType } from './catalogModel';
import { describeJsonKind, member, type JsonNode } from './jsonTree';

export interface SchemaMapping {
  readonly type: CatalogType;
  /** The schema also admits `null` (`type: ["string", "null"]`, a null `anyOf` branch). */
  readonly nullable: boolean;
  /** Why (part of) the schema became `any`, for a GH4003 warning; undefined when fully mapped. */
  readonly problem?: string;
}

const NAMED_TYPES: ReadonlyMap<string, CatalogType> = new Map<string, CatalogType>([
  ['string', { kind: 'string' }],
  ['number', { kind: 'number' }],
  ['integer', { kind: 'int' }],
  ['boolean', { kind: 'bool' }],
  ['object', { kind: 'object' }],
]);

/** Maps one property schema to a catalog type. Total: anything unmappable is `any` plus a problem. */
export function mapSchema(schema: JsonNode, depth = 0): SchemaMapping {
  if (schema.kind !== 'object') {
    const what = schema.kind === 'boolean' ? `the boolean schema \`${String(schema.value)}\`` : describeJsonKind(schema);
    return unsupported(`${what} is not a schema the catalog can type`);
  }
  if (depth >= MAX_TYPE_DEPTH) return unsupported(`the schema nests deeper than ${MAX_TYPE_DEPTH} levels`);

  const literals = mapLiterals(schema);
  if (literals) return literals;

  const type = member(schema, 'type');
  if (type?.kind === 'string') return mapNamedType(type.value, schema, depth, false);
  if (type?.kind === 'array') return mapTypeList(type.items, schema, depth);
  if (type !== undefined) return unsupported(`\`type\` is ${describeJsonKind(type)}`);

  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const alternatives = member(schema, keyword);
    if (alternatives?.kind === 'array') return mapAlternatives(keyword, alternatives.items, depth);
  }
  const reason = ['allOf', '$ref', 'not', 'if'].find((keyword) => member(schema, keyword) !== undefined);
  return unsupported(reason ? `\`${reason}\` is not supported` : 'the schema has no `type`');
}

/** `enum` / `const` of strings and numbers (and null) → literal union. */
function mapLiterals(schema: JsonNode): SchemaMapping | undefined {
  const enumNode = member(schema, 'enum');
  const constNode = member(schema, 'const');
  const items = enumNode?.kind === 'array' ? enumNode.items : constNode !== undefined ? [constNode] : undefined;
  if (!items) return undefined;
  const values: (string | number)[] = [];
  let nullable = false;
  for (const item of items) {
    if (item.kind === 'null') nullable = true;
    else if (item.kind === 'string' || (item.kind === 'number' && Number.isFinite(item.value))) values.push(item.value);
    else return undefined; // booleans, objects: fall back to `type`
  }
  if (values.length === 0) return undefined;
  return { type: enumType(values), nullable };
}

function mapNamedType(name: string, schema: JsonNode, depth: number, nullable: boolean): SchemaMapping {
  if (name === 'array') return mapArray(schema, depth, nullable);
  const type = NAMED_TYPES.get(name);
  if (type) return { type, nullable };
  if (name === 'null') return unsupported('the only allowed value is `null`');
  return unsupported(`unknown type \`${name}\``);
}

function mapArray(schema: JsonNode, depth: number, nullable: boolean): SchemaMapping {
  const items = member(schema, 'items');
  if (items === undefined) return { type: { kind: 'list', element: ANY }, nullable };
  if (items.kind === 'array') {
    return { type: { kind: 'list', element: ANY }, nullable, problem: 'tuple-style `items` (one schema per position) is not supported' };
  }
  const element = mapSchema(items, depth + 1);
  return {
    type: { kind: 'list', element: element.type },
    nullable,
    ...(element.problem !== undefined ? { problem: `list elements: ${element.problem}` } : {}),
  };
}

/** `type: ["string", "null"]` → nullable string; `["integer", "number"]` → number. */
function mapTypeList(names: readonly JsonNode[], schema: JsonNode, depth: number): SchemaMapping {
  const strings = names.flatMap((name) => (name.kind === 'string' ? [name.value] : []));
  if (strings.length !== names.length) return unsupported('`type` lists something other than type names');
  const nullable = strings.includes('null');
  const rest = [...new Set(strings.filter((name) => name !== 'null'))];
  if (rest.length === 1) return mapNamedType(rest[0]!, schema, depth, nullable);
  if (rest.length === 0) return unsupported('the only allowed value is `null`');
  const mapped = rest.map((name) => mapNamedType(name, schema, depth, nullable));
  const unified = mapped.every((m) => m.problem === undefined) ? unifyTypes(mapped.map((m) => m.type)) : undefined;
  if (unified) return { type: unified, nullable };
  return unsupported(`\`type\` allows several types (${rest.map((name) => `\`${name}\``).join(', ')})`);
}

/** `anyOf` / `oneOf`: fine when every non-null branch has the same catalog type. */
function mapAlternatives(keyword: string, alternatives: readonly JsonNode[], depth: number): SchemaMapping {
  let nullable = false;
  const types: CatalogType[] = [];
  for (const alternative of alternatives) {
    if (isNullSchema(alternative)) {
      nullable = true;
      continue;
    }
    const mapped = mapSchema(alternative, depth + 1);
    if (mapped.problem !== undefined) return unsupported(`a \`${keyword}\` branch: ${mapped.problem}`);
    nullable ||= mapped.nullable;
    types.push(mapped.type);
  }
  const unified = unifyTypes(types);
  if (unified) return { type: unified, nullable };
  return unsupported(
    types.length === 0 ? `\`${keyword}\` has no usable branch` : `\`${keyword}\` branches have different types`,
  );
}

function isNullSchema(schema: JsonNode): boolean {
  const type = member(schema, 'type');
  return type?.kind === 'string' && type.value === 'null';
}

function unsupported(problem: string): SchemaMapping {
  return { type: ANY, nullable: false, problem };
}

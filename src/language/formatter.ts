// The canonical layout of a `.gate` file. `format` prints a syntax tree; `formatText` formats
// source text, and refuses (value `undefined`) when the text has parse errors, so nothing a
// user typed is ever lost. Formatting keeps every comment, is idempotent, and gives a file the
// parser reads as the same tree (`stripSpans` of both are equal).
//
// Layout: two-space indentation; blocks of tools, roles and tests one entry per line; agents,
// humans, `context` and `args` inline when they fit in 100 columns; rules on one line when they
// fit, else one clause per line (see formatChains.ts). At most one blank line is kept where the
// source had blank lines between top-level declarations, role entries or test steps, and one is
// always put between top-level declarations of different kinds and around any declaration
// that takes several lines.

import type { Declaration, FieldDecl, Name, SourceFile, StringLit } from './ast';
import { hasErrors, type Diagnostic } from './diagnostics';
import { printChain, printStep, WIDTH, type FormatContext } from './formatChains';
import { attachComments, printItems, trailingText, type BlankLines, type PrintItem } from './formatComments';
import { printExpr, printField, printName, printString } from './formatExpressions';
import { layoutOf, spansOf, verbatimSpans } from './formatLayout';
import { parse } from './parser';

export interface FormatResult {
  /** The formatted text, or `undefined` when the text has parse errors. */
  readonly value: string | undefined;
  readonly diagnostics: Diagnostic[];
}

/** Formats source text; leaves text with parse errors alone (`value: undefined`). */
export function formatText(text: string, path = '<input>'): FormatResult {
  const { value: file, diagnostics } = parse(text, path);
  return { value: hasErrors(diagnostics) ? undefined : format(file), diagnostics };
}

/**
 * Prints a syntax tree in the canonical layout, with the comments of its file. Meant for trees
 * without parse errors; parts the parser could not read are copied as written.
 */
export function format(file: SourceFile): string {
  const layout = layoutOf(file);
  const comments = attachComments(layout, file.comments, file.text, verbatimSpans(file));
  const spans = spansOf(layout);
  const context: FormatContext = {
    comments,
    text: file.text,
    verbatim: (span) => file.text.slice(span.start, span.end),
    spanOf: (key) => spans.get(key) ?? { start: 0, end: 0 },
  };
  const items = file.declarations.map((declaration) => ({
    ...item(context, declaration, (indent) => printDeclaration(context, declaration, indent)),
    group: GROUPS[declaration.kind],
  }));
  const lines = printItems(items, '', { comments, text: file.text, blankLines: 'declarations', dangling: comments.get(file).dangling });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Kinds of declaration that sit together without a blank line between them. */
const GROUPS: Readonly<Record<Declaration['kind'], string>> = {
  Import: 'header',
  Timezone: 'header',
  Context: 'context',
  Tool: 'catalog',
  Label: 'catalog',
  Set: 'set',
  Agent: 'identity',
  Human: 'identity',
  Role: 'role',
  Rule: 'rule',
  Limit: 'rule',
  Grant: 'rule',
  Test: 'test',
  Error: 'error',
};

/** The printed item for the AST object `key`, at the span the layout gave it. */
function item(context: FormatContext, key: object, render: (indent: string) => string[]): PrintItem {
  return { key, span: context.spanOf(key), render };
}

function printDeclaration(context: FormatContext, d: Declaration, indent: string): string[] {
  const { verbatim } = context;
  const entry = <T extends object>(node: T | undefined, text: (node: T) => string): PrintItem[] =>
    node === undefined || (Array.isArray(node) && node.length === 0) ? [] : [item(context, node, (at) => [at + text(node)])];
  const describe = (text: StringLit | undefined): PrintItem[] => entry(text, (value) => `description ${printString(value.value)}`);
  const names = (word: string, list: readonly Name[]): PrintItem[] => entry(list, () => `${word} [${list.map(printName).join(', ')}]`);
  switch (d.kind) {
    case 'Import':
      return [`${indent}import ${printString(d.path.value)}`];
    case 'Timezone':
      return [`${indent}timezone ${printString(d.zone.value)}`];
    case 'Context':
      return printBlock(context, 'context', d, fieldItems(context, d.fields), indent, { inline: ', ' });
    case 'Tool': {
      const args = d.args.length === 0 ? [] : [item(context, d.args, (at) => printBlock(context, 'args', d.args, fieldItems(context, d.args), at, { inline: ', ' }))];
      return printBlock(context, `tool ${printName(d.name)}`, d, [...describe(d.description), ...args, ...names('labels', d.labels)], indent, {});
    }
    case 'Label': {
      const text = d.description ? ` description ${printString(d.description.value)}` : '';
      const tools = d.tools.length > 0 ? ` = ${d.tools.map(printName).join(', ')}` : '';
      return [`${indent}label ${printName(d.name)}${text}${tools}`];
    }
    case 'Set':
      return [`${indent}set ${printName(d.name)} = ${printExpr(d.value, verbatim)}`];
    case 'Agent': {
      const entries = [...describe(d.description), ...entry(d.owner, (owner) => `owner ${printString(owner.value)}`), ...names('roles', d.roles), ...entry(d.tier, (tier) => `tier ${printName(tier)}`)];
      return printBlock(context, `agent ${printName(d.name)}`, d, entries, indent, { inline: '; ' });
    }
    case 'Human':
      return printBlock(context, `human ${printName(d.name)}`, d, [...describe(d.description), ...names('roles', d.roles)], indent, { inline: '; ' });
    case 'Role': {
      const rules = d.rules.map((rule) => item(context, rule, (at) => (rule.kind === 'Error' ? [at + verbatim(rule.span)] : printChain(context, rule, at))));
      return printBlock(context, `role ${printName(d.name)}`, d, [...describe(d.description), ...rules], indent, { blankLines: 'source' });
    }
    case 'Rule':
    case 'Limit':
    case 'Grant':
      return printChain(context, d, indent);
    case 'Test': {
      const steps = d.steps.map((step, i) => item(context, step, (at) => printStep(step, d.steps[i + 1], at, verbatim)));
      return printBlock(context, `test ${printString(d.name.value)}`, d, steps, indent, { blankLines: 'source' });
    }
    case 'Error':
      return [indent + verbatim(d.span)];
  }
}

function fieldItems(context: FormatContext, fields: readonly FieldDecl[]): PrintItem[] {
  return fields.map((field) => item(context, field, (indent) => [indent + printField(field, context.verbatim)]));
}

interface BlockOptions {
  /** Separator of the one-line form (`{ a; b }`); without it the block is always multi-line. */
  readonly inline?: string;
  readonly blankLines?: BlankLines;
}

/**
 * `head { entries }`: `{}` when empty, on one line when it may be inline, fits and has no
 * comments, otherwise one entry per line.
 */
function printBlock(context: FormatContext, head: string, key: object, items: readonly PrintItem[], indent: string, options: BlockOptions): string[] {
  const { comments } = context;
  const slots = comments.get(key);
  const commented = slots.header !== undefined || slots.dangling.length > 0 || items.some((item) => comments.has(item.key));
  if (items.length === 0 && !commented) return [`${indent}${head} {}`];
  if (options.inline !== undefined && !commented) {
    const parts = items.map((item) => item.render(''));
    if (parts.every((part) => part.length === 1)) {
      const text = `${indent}${head} { ${parts.map((part) => part[0]).join(options.inline)} }`;
      if (text.length <= WIDTH) return [text];
    }
  }
  const inner = `${indent}  `;
  return [
    `${indent}${head} {${trailingText(slots.header)}`,
    ...printItems(items, inner, { comments, text: context.text, blankLines: options.blankLines ?? 'none', dangling: slots.dangling }),
    `${indent}}`,
  ];
}

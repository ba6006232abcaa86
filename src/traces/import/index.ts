// Trace import: every format the design brief names, detected from content, read from text,
// bytes or a stream. docs/formats.md says what is read from each format.

import { agentdojoImporter } from './formats/agentdojo';
import { anthropicManagedImporter } from './formats/anthropicManaged';
import { anthropicMessagesImporter } from './formats/anthropicMessages';
import { claudeCodeImporter } from './formats/claudeCode';
import { jsonlImporter } from './formats/jsonl';
import { langsmithImporter } from './formats/langsmith';
import { mcpImporter } from './formats/mcp';
import { openaiAgentsImporter } from './formats/openaiAgents';
import { openaiChatImporter } from './formats/openaiChat';
import { openaiResponsesImporter } from './formats/openaiResponses';
import { openinferenceImporter } from './formats/openinference';
import { otlpImporter } from './formats/otlp';
import { importBytesWith, importStreamWith, importTextWith, rankFormats, type Detected } from './driver';
import type { ImportOptions, ImportResult, TraceImporter } from './types';
import type { JsonNode } from '../../language/catalog/jsonTree';

export { formatImportDiagnostic, IMPORT_DIAGNOSTICS, type ImportDiagnostic } from './diagnostics';
export { eventToRecord, writeJsonl } from './formats/jsonl';
export { agentdojoAgent, AGENTDOJO_BASE_TIME, isAgentdojoRun } from './formats/agentdojo';
export { TraceImport, type Detected } from './driver';
export * from './types';

/** Every importer, in the order detection prefers them on equal confidence. */
export const IMPORTERS: readonly TraceImporter[] = [
  jsonlImporter,
  agentdojoImporter,
  openaiChatImporter,
  openaiResponsesImporter,
  openaiAgentsImporter,
  anthropicMessagesImporter,
  anthropicManagedImporter,
  claudeCodeImporter,
  mcpImporter,
  langsmithImporter,
  otlpImporter,
  openinferenceImporter,
];

/** Imports a whole trace held as text. */
export function importText(text: string, options: ImportOptions): ImportResult {
  return importTextWith(text, options, IMPORTERS);
}

/** Imports a whole trace held as bytes (decoded as strict UTF-8). */
export function importBytes(bytes: Uint8Array, options: ImportOptions): ImportResult {
  return importBytesWith(bytes, options, IMPORTERS);
}

/** Imports a trace from a web ReadableStream or a Node stream, incrementally. */
export function importStream(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, options: ImportOptions): Promise<ImportResult> {
  return importStreamWith(source, options, IMPORTERS);
}

/** Every format's claim on a parsed sample, best first. */
export function detectFormats(sample: JsonNode, shape: 'lines' | 'document'): Detected[] {
  return rankFormats(sample, shape, IMPORTERS);
}

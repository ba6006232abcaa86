// Connects the real language service to Monaco: diagnostics, completion, hover, definitions,
// symbols, formatting and quick fixes for every `.gate` model.
import { createLanguageService } from '../../language/service/languageService';
import type { MonacoApi } from './loadMonaco';
import { registerGateLanguage } from './monacoAdapter';

/** Starts the language service and registers its features for `.gate` models; dispose stops it. */
export function wireLanguageService(api: MonacoApi): { dispose(): void } {
  return registerGateLanguage(api, createLanguageService());
}

// The registry of CLI subcommands; `main` dispatches on it and `--help` lists it.

import type { Command } from '../io';
import { catalogImportCommand } from './catalogImport';

export const COMMANDS: readonly Command[] = [catalogImportCommand];

// The registry of CLI subcommands; `main` dispatches on it and `--help` lists it.

import type { Command } from '../io';
import { catalogImportCommand } from './catalogImport';
import { checkCommand } from './check';
import { fmtCommand } from './fmt';
import { importCommand } from './import';
import { replayCommand } from './replay';
import { testCommand } from './test';

export const COMMANDS: readonly Command[] = [checkCommand, fmtCommand, testCommand, catalogImportCommand, importCommand, replayCommand];

// Every benchmark group, in the order `npm run bench` runs them. Add a group here (one file each).

import type { BenchGroup } from '../benchGroup';
import { engineGroup } from './engine';
import { importGroup } from './import';
import { langGroup } from './lang';

export const GROUPS: readonly BenchGroup[] = [langGroup, engineGroup, importGroup];

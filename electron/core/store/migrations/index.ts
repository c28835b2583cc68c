// Runs in: main (core). The ordered list of migrations; the last one's version is the schema version.
import { migration0001 } from './0001-project-meta';
import { migration0002 } from './0002-experiments-runs';
import { migration0003 } from './0003-model-registry';
import { migration0004 } from './0004-monitors';
import { migration0005 } from './0005-pipeline-runs';
import { migration0006 } from './0006-run-cache';
import { migration0007 } from './0007-latest-metrics';
import { migration0008 } from './0008-param-numbers';
import { migration0009 } from './0009-soft-delete';
import { migration0010 } from './0010-tracking-fields';
import { migration0011 } from './0011-metric-points';
import { migration0012 } from './0012-covering-filter-indexes';
import { migration0013 } from './0013-registry-versions';
import { migration0014 } from './0014-monitor-batches';
import { migration0015 } from './0015-predictions';
import { migration0016 } from './0016-monitor-serving';
import { migration0017 } from './0017-verified-objects';
import { migration0018 } from './0018-folder-stamps';
import { migration0019 } from './0019-prediction-scan';
import { migration0020 } from './0020-file-hash-ctime';
import { migration0021 } from './0021-predict-trust';
import { migration0022 } from './0022-sync-records';
import { migration0023 } from './0023-stage-jobs';
import { migration0024 } from './0024-stage-job-follow';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
  migration0022,
  migration0023,
  migration0024,
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export type { Migration };

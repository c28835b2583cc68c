// Runs in: main (core). Where things live inside a project folder.
import path from 'node:path';

export const BENCHTOP_DIR = '.benchtop';
export const CONFIG_FILE = path.join(BENCHTOP_DIR, 'config.yaml');
export const DATABASE_FILE = path.join(BENCHTOP_DIR, 'benchtop.db');
export const CACHE_DIR = path.join(BENCHTOP_DIR, 'cache');
/** The run cache's objects (pipeline/run-cache.ts): stage outputs by content hash, restorable. */
export const RUN_CACHE_OBJECTS_DIR = path.join(CACHE_DIR, 'objects');
export const SCHEMA_FILE = path.join(BENCHTOP_DIR, 'benchtop.schema.json');
export const LOGS_DIR = path.join(BENCHTOP_DIR, 'logs');
/** What the helpers logged while no Benchtop server ran, one file per run, until it is taken in (tracking/inbox.ts). */
export const INBOX_DIR = path.join(BENCHTOP_DIR, 'inbox');
export const TMP_DIR = path.join(BENCHTOP_DIR, 'tmp');
/** Artifact uploads (MLflow's proxy) streamed here, then copied into the cache by runs.logUpload. */
export const UPLOADS_DIR = path.join(TMP_DIR, 'uploads');
/** Where the guided tour was left (the step and whether its panel is open); machine-local. */
export const TOUR_FILE = path.join(BENCHTOP_DIR, 'tour.json');
export const PIPELINE_FILE = 'benchtop.yaml';
/** What each stage last ran with, committed beside benchtop.yaml (see pipeline/lock.ts). */
export const LOCK_FILE = 'benchtop.lock';
/** The suffix of a data pointer file (`data/train.csv.bt`, see data/pointer.ts). */
export const POINTER_SUFFIX = '.bt';
export const DATA_DIR = 'data';
export const REPORTS_DIR = 'reports';

export const BENCHTOP_TEMP_IGNORE = '/.benchtop/.*.tmp';
export const WRITER_LOCK_IGNORE = '/.benchtop/writer.lock*';

/** Lines Benchtop needs in the project's .gitignore: machine-local state stays out of git. */
export const GITIGNORE_ENTRIES = [
  '/.benchtop/benchtop.db',
  '/.benchtop/benchtop.db-*',
  '/.benchtop/cache/',
  '/.benchtop/logs/',
  // Runs logged while no server ran, until taken in (and kept after, in done/): machine-local.
  '/.benchtop/inbox/',
  '/.benchtop/tmp/',
  // The running server's address and token: a secret, and meaningless on another machine.
  '/.benchtop/server.json',
  // Copies made from the cache (served model versions) and files rebuilt from the database (the
  // windows of a prediction-log monitor): both can be made again, and neither belongs in a commit.
  '/.benchtop/serving/',
  '/.benchtop/monitor-batches/',
  // Where this user left the guided tour.
  '/.benchtop/tour.json',
  // The project lock (and its takeover guard): which process is writing right now.
  WRITER_LOCK_IGNORE,
  // Temp files of Benchtop's own atomic writes here (the lock, server.json): there for an instant,
  // and a git walk of the working tree (data commit) must not trip over one as it vanishes.
  BENCHTOP_TEMP_IGNORE,
];

export function projectFile(dir: string, rel: string): string {
  return path.join(dir, rel);
}

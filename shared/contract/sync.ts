// Runs in: main and renderer (shared). The contract for taking a project anywhere: `benchtop push`
// and `pull` (records through git, objects and data through the data remote), where the project
// stands against its remotes, and rebuilding the database from the records.
import { z } from 'zod';
import { domainMethods, method, none } from './common';

const remoteName = z.string().min(1).max(100);

export const syncStatus = z.object({
  /** The git remote records travel through, or null when the repository has none (see `problem`). */
  gitRemote: z.string().nullable(),
  /** The data remote objects and tracked data travel through, or null (then only the records do). */
  dataRemote: z.string().nullable(),
  /** Records commits here that the remote lacks, as of the last fetch. */
  ahead: z.number().int(),
  /** Records commits on the remote that this clone lacks, as of the last fetch. */
  behind: z.number().int(),
  /** Records changed since they were last written to git (written before every push). */
  unwritten: z.number().int(),
  /** Whether this clone has ever seen the remote's records (pushed or pulled). */
  everPushed: z.boolean(),
  /** Why the remote could not be reached or named, when it could not. */
  problem: z.string().nullable(),
});

export const syncProgress = z.object({
  op: z.enum(['push', 'pull']),
  /** records: git's own progress lines; objects: artifacts the records name; data: tracked data. */
  phase: z.enum(['records', 'objects', 'data']),
  message: z.string(),
  done: z.number().int(),
  total: z.number().int(),
});

const objectTransfer = z.object({
  objects: z.number().int(),
  transferred: z.number().int(),
  bytes: z.number(),
  /** What neither this clone nor the remote has (named: model/version or run: path). */
  missing: z.array(z.string()),
});

const dataTransfer = z.object({
  remote: z.string(),
  objects: z.number().int(),
  transferred: z.number().int(),
  present: z.number().int(),
  bytes: z.number(),
});

export const syncPushResult = z.object({
  gitRemote: z.string(),
  dataRemote: z.string().nullable(),
  /** Records in the pushed commit. */
  records: z.number().int(),
  pushed: z.boolean(),
  objects: objectTransfer.nullable(),
  data: dataTransfer.nullable(),
});

export const syncConflict = z.object({ path: z.string(), message: z.string() });

export const syncPullResult = z.object({
  gitRemote: z.string(),
  dataRemote: z.string().nullable(),
  merge: z.enum(['up-to-date', 'fast-forward', 'merged']),
  /** Runs, models and monitors rebuilt in the database. */
  runs: z.number().int(),
  models: z.number().int(),
  monitors: z.number().int(),
  /** Both sides changed the same record: what was kept. */
  conflicts: z.array(syncConflict),
  /** Versions shown under another number than before: the same number was registered on two machines. */
  renumbered: z.array(
    z.object({
      model: z.string(),
      uid: z.string(),
      registeredAs: z.number().int(),
      before: z.number().int().nullable(),
      now: z.number().int(),
    }),
  ),
  /** Other rules applied (an alias whose target was deleted elsewhere). */
  notes: z.array(z.string()),
  objects: objectTransfer.nullable(),
  data: objectTransfer.nullable(),
  /** Stage outputs benchtop.lock names, restored here (never over a file that exists) or found nowhere. */
  outputs: z.object({ restored: z.array(z.string()), unavailable: z.array(z.string()) }).nullable(),
});

export const syncReindexResult = z.object({
  /** The records commit the database now holds, or null when the project has no records. */
  commit: z.string().nullable(),
  runs: z.number().int(),
  models: z.number().int(),
  monitors: z.number().int(),
});

export type SyncStatus = z.infer<typeof syncStatus>;
export type SyncProgress = z.infer<typeof syncProgress>;
export type SyncPushResult = z.infer<typeof syncPushResult>;
export type SyncPullResult = z.infer<typeof syncPullResult>;
export type SyncReindexResult = z.infer<typeof syncReindexResult>;

const remotes = z
  .object({
    /** The git remote (default: origin, or the only one). */
    gitRemote: remoteName.optional(),
    /** The data remote (default: the project's default). */
    dataRemote: remoteName.optional(),
  })
  .strict();

export const syncMethods = domainMethods<`sync.${string}`>()({
  'sync.status': method({
    access: 'read',
    summary:
      'Where the project stands against its git remote: records commits ahead and behind (as of the last fetch, or fetching first), and records not yet written.',
    input: z.object({ gitRemote: remoteName.optional(), fetch: z.boolean().default(false) }).strict(),
    output: syncStatus,
  }),
  'sync.push': method({
    access: 'write',
    summary:
      'Send the project’s runs, registry and monitors (as records on refs/benchtop/records, through your git), and the artifacts and tracked data they name (to the data remote).',
    input: remotes,
    output: syncPushResult,
  }),
  'sync.pull': method({
    access: 'write',
    summary:
      'Fetch the remote’s records, merge them with this clone’s (nothing lost; conflicts listed), rebuild the database from them, then fetch the artifacts and data.',
    input: remotes.extend({ force: z.boolean().default(false) }).strict(),
    output: syncPullResult,
  }),
  'sync.reindex': method({
    access: 'write',
    summary: 'Rebuild the database’s runs, registry and monitors from the project’s records.',
    input: none,
    output: syncReindexResult,
  }),
});

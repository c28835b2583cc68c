// Runs in: main and renderer (shared). The contract for tracked data: files, versions, remotes,
// cache: each method's summary, lock access (see common.ts) and input and output schemas, and the
// shapes those use.
import { z } from 'zod';
import { domainMethods, method, none, projectRelativePath } from './common';

export const dataFile = z.object({
  path: z.string(),
  size: z.number().int(),
  modifiedAt: z.string(),
  rows: z.number().int().nullable(),
  columns: z.array(z.string()),
  gitStatus: z.enum(['committed', 'modified', 'untracked', 'ignored']),
});

export type DataFile = z.infer<typeof dataFile>;

export const dataList = z.object({ folder: z.string(), files: z.array(dataFile) });

export const columnSummary = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('numeric'),
    name: z.string(),
    count: z.number().int(),
    missing: z.number().int(),
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    /** Equal-width histogram between min and max. */
    histogram: z.array(z.number().int()),
  }),
  z.object({
    kind: z.literal('categorical'),
    name: z.string(),
    count: z.number().int(),
    missing: z.number().int(),
    /** Most frequent values first, at most 20. */
    top: z.array(z.object({ value: z.string(), count: z.number().int() })),
    distinct: z.number().int(),
  }),
]);

export type ColumnSummary = z.infer<typeof columnSummary>;

export const dataPreview = z.object({
  path: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  totalRows: z.number().int(),
  summaries: z.array(columnSummary),
});

export type DataPreview = z.infer<typeof dataPreview>;

export const tableColumnType = z.enum(['integer', 'number', 'boolean', 'string', 'datetime', 'empty']);

/** A table's schema summary as a pointer file keeps it. */
export const tableSchema = z
  .object({
    format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']),
    rows: z.number().int().min(0),
    columns: z.array(z.object({ name: z.string(), type: tableColumnType }).strict()),
  })
  .strict();

export type TableSchema = z.infer<typeof tableSchema>;

/** The content of a `.bt` pointer file. */
export const dataPointer = z
  .object({
    version: z.literal(1),
    kind: z.enum(['file', 'folder']),
    /** The file's sha256; for a folder, the sha256 of its manifest (itself an object in the cache). */
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hash (64 hex digits)'),
    size: z.number().int().min(0),
    files: z.number().int().min(0),
    schema: tableSchema.optional(),
  })
  .strict();

export type DataPointer = z.infer<typeof dataPointer>;

/** How checked-out files reach the workspace (see materialize.ts). */
export const DATA_LINK_MODES = ['copy', 'reflink', 'hardlink', 'symlink'] as const;

export const dataLinkMode = z.enum(DATA_LINK_MODES);

export type DataLinkMode = z.infer<typeof dataLinkMode>;

export const dataStatusRow = z.object({
  path: z.string(),
  pointer: z.string(),
  kind: z.enum(['file', 'folder']).nullable(),
  size: z.number().int().nullable(),
  files: z.number().int().nullable(),
  rows: z.number().int().nullable(),
  /** The pointer's sha256 (a folder's: its manifest's); null when the pointer could not be read. */
  hash: z.string().nullable(),
  /** null when the pointer could not be read (see problem). */
  workspace: z.enum(['unchanged', 'modified', 'deleted']).nullable(),
  inCache: z.boolean(),
  git: z.enum(['new', 'changed', 'committed', 'no-repository']),
  problem: z.string().nullable(),
});

export type DataStatusRow = z.infer<typeof dataStatusRow>;

export const dataVersion = z.object({
  commit: z.string(),
  date: z.string(),
  author: z.string(),
  message: z.string(),
  pointer: dataPointer.nullable(),
  problem: z.string().nullable(),
});

export type DataVersion = z.infer<typeof dataVersion>;

const columnStats = z.object({
  count: z.number().int(),
  nulls: z.number().int(),
  distinct: z.number().int(),
  /** False when `distinct` is an estimate (past 10,000 distinct values a sketch counts them). */
  distinctExact: z.boolean().optional(),
  mean: z.number().nullable(),
  /** Sample standard deviation (n − 1) of the finite values. */
  std: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});

const dataDiffSide = z.object({
  rev: z.string(),
  commit: z.string().nullable(),
  hash: z.string().nullable(),
  /** Bytes of the file (a folder: of all its files); null when the path is absent at that rev. */
  size: z.number().int().nullable().optional(),
  kind: z.enum(['file', 'folder']).nullable().optional(),
});

/** What changed between two versions of tracked data: files of a folder, and for tables, down to rows. */
export const dataDiff = z.object({
  path: z.string(),
  from: dataDiffSide,
  to: dataDiffSide,
  identical: z.boolean(),
  /** Why there is no deeper diff, when there is none (Parquet in this build, a file that became a folder…). */
  note: z.string().nullable().optional(),
  files: z
    .object({
      added: z.array(z.object({ path: z.string(), size: z.number().int() })),
      removed: z.array(z.object({ path: z.string(), size: z.number().int() })),
      modified: z.array(z.object({ path: z.string(), sizeBefore: z.number().int(), sizeAfter: z.number().int() })),
      renamed: z.array(z.object({ from: z.string(), to: z.string() })),
      unchanged: z.number().int(),
    })
    .nullable(),
  table: z
    .object({
      format: z.enum(['csv', 'tsv', 'jsonl', 'parquet']),
      rowsBefore: z.number().int(),
      rowsAfter: z.number().int(),
      columnsAdded: z.array(z.object({ name: z.string(), type: tableColumnType })),
      columnsRemoved: z.array(z.object({ name: z.string(), type: tableColumnType })),
      columnsRetyped: z.array(z.object({ name: z.string(), before: tableColumnType, after: tableColumnType })),
      /** 'key:<column>' when rows were matched by a key column, 'content' otherwise (then a changed row shows as removed + added). */
      matchedBy: z.string(),
      rowsAdded: z.number().int(),
      rowsRemoved: z.number().int(),
      rowsChanged: z.number().int(),
      rowsUnchanged: z.number().int(),
      stats: z.array(z.object({ column: z.string(), before: columnStats.nullable(), after: columnStats.nullable() })),
      /** The columns of the sample rows below (the new version's, then removed columns). */
      header: z.array(z.string()),
      sampleAdded: z.array(z.array(z.string())),
      sampleRemoved: z.array(z.array(z.string())),
      sampleChanged: z.array(
        z.object({
          key: z.string(),
          before: z.array(z.string()),
          after: z.array(z.string()),
          columns: z.array(z.string()),
        }),
      ),
    })
    .nullable(),
});

export type DataDiff = z.infer<typeof dataDiff>;

export const dataRemote = z.object({
  name: z.string(),
  /** A folder, or an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph). */
  kind: z.enum(['folder', 's3']),
  /** As written in .benchtop/config.yaml: relative to the project, or absolute; s3://bucket/prefix for S3. */
  url: z.string(),
  /** The folder it resolves to on this machine; the URL for S3. */
  path: z.string(),
  isDefault: z.boolean(),
  /** Whether the folder is there now (a drive may be unplugged); always true for S3, which is only reached when used. */
  exists: z.boolean(),
  /** S3 only: the endpoint (MinIO, R2, Ceph), the AWS profile and the region named for it. */
  endpoint: z.string().nullable(),
  profile: z.string().nullable(),
  region: z.string().nullable(),
});

export type DataRemote = z.infer<typeof dataRemote>;

/** Counts of one push or pull: distinct objects needed, copied now, already on the other side. */
export const dataTransfer = z.object({
  remote: z.string(),
  objects: z.number().int(),
  transferred: z.number().int(),
  present: z.number().int(),
  bytes: z.number().int(),
});

export type DataTransfer = z.infer<typeof dataTransfer>;

export const dataGc = z.object({
  dryRun: z.boolean(),
  objects: z.number().int(),
  kept: z.number().int(),
  removed: z.number().int(),
  bytes: z.number().int(),
  recent: z.number().int(),
  references: z.object({
    commits: z.number().int(),
    workspace: z.number().int(),
    runs: z.number().int(),
    registry: z.number().int(),
  }),
  unreadableManifests: z.number().int(),
  /** The remote cleaned, when it was one rather than the cache. */
  remote: z.string().nullable().optional(),
  /** What was removed (or, in a dry run, would be), for a remote. */
  removedObjects: z.array(z.object({ hash: z.string(), size: z.number().int() })).optional(),
});

export type DataGc = z.infer<typeof dataGc>;

/** For each version of a tracked path: the commits holding it, the runs that read it, the models made by those runs. */
export const dataUsage = z.object({
  path: z.string(),
  versions: z.array(
    z.object({
      hash: z.string(),
      commits: z.array(z.object({ commit: z.string(), date: z.string(), message: z.string() })),
      current: z.boolean(),
      runs: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          status: z.string(),
          startedAt: z.string().nullable(),
          gitCommit: z.string().nullable(),
          context: z.string(),
          deleted: z.boolean(),
        }),
      ),
      models: z.array(z.object({ name: z.string(), version: z.number().int(), runId: z.string() })),
    }),
  ),
});

export type DataUsage = z.infer<typeof dataUsage>;

export const dataMethods = domainMethods<`data.${string}`>()({
  'data.list': method({
    access: 'read',
    summary: 'Data files of the project.',
    input: none,
    output: dataList,
  }),
  'data.preview': method({
    access: 'read',
    summary: 'First rows and per-column summaries of one CSV file.',
    input: z.object({ path: projectRelativePath, limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    output: dataPreview,
  }),
  'data.tracked': method({
    access: 'read',
    summary: 'Tracked data: each pointer with its workspace state (unchanged, modified, deleted), cache and git state.',
    /** paths: only these tracked paths (each must be tracked); every tracked path when absent. */
    input: z.object({ paths: z.array(projectRelativePath).max(1000).optional() }).strict(),
    output: z.object({ items: z.array(dataStatusRow) }),
  }),
  'data.add': method({
    access: 'write',
    summary:
      'Track files or folders (or record a new version of tracked ones): content into the cache, a .bt pointer staged in git.',
    input: z
      .object({
        paths: z.array(projectRelativePath).min(1).max(1000),
        /** Fold tracked files inside a named folder into it (their pointers go; their versions stay in data.log). */
        absorb: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      results: z.array(
        z.object({
          path: z.string(),
          pointer: z.string(),
          status: z.enum(['added', 'updated', 'unchanged']),
          data: dataPointer,
          /** Files whose cache object held other bytes than its name says, replaced by this add. */
          repaired: z.array(z.string()),
          /** Why a table's summary could not be read; the file is tracked all the same, without a schema. */
          schemaProblem: z.string().optional(),
        }),
      ),
    }),
  }),
  'data.untrack': method({
    access: 'write',
    summary:
      'Stop tracking data: its pointer and .gitignore line go (staged for data.commit); the data, the cache and its versions stay.',
    input: z.object({ paths: z.array(projectRelativePath).min(1).max(1000) }).strict(),
    output: z.object({ untracked: z.array(z.string()) }),
  }),
  'data.commit': method({
    access: 'write',
    summary: 'Commit the changed pointers to git as a new data version.',
    input: z.object({ message: z.string().trim().min(1, 'a commit needs a message').max(10_000) }).strict(),
    output: z.object({ commit: z.string().nullable(), pointers: z.array(z.string()) }),
  }),
  'data.log': method({
    access: 'read',
    summary: 'Versions of one tracked path, newest first.',
    input: z.object({ path: projectRelativePath }).strict(),
    output: z.object({ versions: z.array(dataVersion) }),
  }),
  'data.checkout': method({
    access: 'write',
    summary:
      'Restore the data of a version (all tracked data, or the paths named); unsaved changes are refused unless forced.',
    input: z
      .object({
        rev: z.string().min(1).max(200),
        paths: z.array(projectRelativePath).max(1000).default([]),
        force: z.boolean().default(false),
        /** How files reach the workspace; the project's `data.link` setting (else copy) when absent. */
        link: dataLinkMode.optional(),
        /** Rehash every object, even those unchanged since their bytes last matched (`--verify`). */
        verify: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      commit: z.string(),
      restored: z.array(z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int() })),
      unchanged: z.array(z.string()),
      /** How many files were placed each way (a reflink or a link can fall back to a copy). */
      placed: z.record(dataLinkMode, z.number().int()),
      /** Objects checked by hashing their bytes, and by their verification record. */
      hashed: z.number().int(),
      trusted: z.number().int(),
    }),
  }),
  'data.unlink': method({
    access: 'write',
    summary:
      'Turn the hardlinks and symlinks into the cache of tracked paths back into plain, writable copies (each verified against its hash).',
    input: z.object({ paths: z.array(projectRelativePath).min(1).max(1000) }).strict(),
    output: z.object({ results: z.array(z.object({ path: z.string(), copied: z.number().int() })) }),
  }),
  'data.diff': method({
    access: 'read',
    summary:
      'What changed in one tracked path between two revs (a commit, its first digits, a branch, a tag, or `workspace`): files of a folder, rows and column statistics of a table.',
    input: z
      .object({
        from: z.string().min(1).max(200),
        to: z.string().min(1).max(200),
        path: projectRelativePath,
        /** Match rows by this column (unique in both versions); by whole-row content when absent. */
        key: z.string().min(1).max(1000).optional(),
      })
      .strict(),
    output: dataDiff,
  }),
  'data.diffAll': method({
    access: 'read',
    summary: 'What changed between two revs in every tracked path that differs (data.diff for each of them).',
    input: z
      .object({
        from: z.string().min(1).max(200),
        to: z.string().min(1).max(200),
        key: z.string().min(1).max(1000).optional(),
      })
      .strict(),
    output: z.object({ diffs: z.array(dataDiff) }),
  }),
  'data.verify': method({
    // It rewrites only the machine-local verification records, as data.tracked updates its stat cache.
    access: 'read',
    summary:
      'Rehash every object in the cache: the corrupt ones, and working-tree pointers whose size does not match their data.',
    input: none,
    output: z.object({
      checked: z.number().int(),
      corrupt: z.array(z.object({ hash: z.string(), actual: z.string() })),
      badPointers: z.array(z.object({ pointer: z.string(), problem: z.string() })),
    }),
  }),
  'data.remotes': method({
    access: 'read',
    summary: 'Data remotes of the project (folders on a disk, NAS or USB drive) and which one is the default.',
    input: none,
    output: z.object({ remotes: z.array(dataRemote) }),
  }),
  'data.remoteAdd': method({
    access: 'write',
    summary:
      'Add a data remote: a folder outside the project, created when missing (relative paths are relative to the project), or an S3-compatible bucket, s3://bucket/prefix.',
    input: z
      .object({
        name: z.string().min(1).max(100),
        path: z.string().min(1).max(4096),
        default: z.boolean().default(false),
        endpoint: z.string().min(1).max(2048).optional(),
        profile: z.string().min(1).max(200).optional(),
        region: z.string().min(1).max(100).optional(),
      })
      .strict(),
    output: z.object({ remotes: z.array(dataRemote) }),
  }),
  'data.remoteRemove': method({
    access: 'write',
    summary: 'Forget a data remote (its folder and objects stay).',
    input: z.object({ name: z.string().min(1).max(100) }).strict(),
    output: z.object({ remotes: z.array(dataRemote) }),
  }),
  'data.remoteDefault': method({
    access: 'write',
    summary: 'Make a data remote the default (used when no remote is named).',
    input: z.object({ name: z.string().min(1).max(100) }).strict(),
    output: z.object({ remotes: z.array(dataRemote) }),
  }),
  'data.push': method({
    access: 'write',
    summary:
      'Send the cache objects of tracked data (all, or the paths named) that the remote lacks; each is verified before it is kept.',
    input: z
      .object({
        remote: z.string().min(1).max(100).optional(),
        paths: z.array(projectRelativePath).max(1000).default([]),
      })
      .strict(),
    output: dataTransfer,
  }),
  'data.pull': method({
    access: 'write',
    summary:
      "Fetch the objects of tracked data the cache lacks from a remote (verified), then check out the working tree's pointers; unsaved changes are refused unless forced.",
    input: z
      .object({
        remote: z.string().min(1).max(100).optional(),
        paths: z.array(projectRelativePath).max(1000).default([]),
        checkout: z.boolean().default(true),
        force: z.boolean().default(false),
      })
      .strict(),
    output: dataTransfer.extend({
      checkout: z
        .object({
          restored: z.array(z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int() })),
          unchanged: z.array(z.string()),
        })
        .nullable(),
      /** Tracked paths whose cache object held other bytes than its name says, fetched again. */
      repaired: z.array(z.string()),
    }),
  }),
  'data.gc': method({
    access: 'write',
    summary:
      "Remove cache objects (or, with remote, a remote's objects) that no commit, working-tree pointer, run or registered model refers to (or, with dryRun, count them).",
    input: z
      .object({
        dryRun: z.boolean().default(false),
        graceMinutes: z.number().min(0).max(525_600).default(10),
        remote: z.string().min(1).max(100).optional(),
      })
      .strict(),
    output: dataGc,
  }),
  'data.usage': method({
    access: 'read',
    summary:
      'For each version of a tracked path: its commits, the runs that read it and the model versions those runs made.',
    input: z.object({ path: projectRelativePath }).strict(),
    output: dataUsage,
  }),
});

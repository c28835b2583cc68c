// Runs in: main and renderer (shared). The contract for tracked data: files, versions, remotes, cache: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method, none } from './common';
import * as s from './schemas';

export const dataMethods = domainMethods<`data.${string}`>()({
  'data.list': method({
    access: 'read',
    summary: 'Data files of the project.',
    input: none,
    output: s.dataList,
  }),
  'data.preview': method({
    access: 'read',
    summary: 'First rows and per-column summaries of one CSV file.',
    input: z.object({ path: s.projectRelativePath, limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    output: s.dataPreview,
  }),
  'data.tracked': method({
    access: 'read',
    summary: 'Tracked data: each pointer with its workspace state (unchanged, modified, deleted), cache and git state.',
    input: none,
    output: z.object({ items: z.array(s.dataStatusRow) }),
  }),
  'data.add': method({
    access: 'write',
    summary:
      'Track files or folders (or record a new version of tracked ones): content into the cache, a .bt pointer staged in git.',
    input: z.object({ paths: z.array(s.projectRelativePath).min(1).max(1000) }).strict(),
    output: z.object({
      results: z.array(
        z.object({
          path: z.string(),
          pointer: z.string(),
          status: z.enum(['added', 'updated', 'unchanged']),
          data: s.dataPointer,
        }),
      ),
    }),
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
    input: z.object({ path: s.projectRelativePath }).strict(),
    output: z.object({ versions: z.array(s.dataVersion) }),
  }),
  'data.checkout': method({
    access: 'write',
    summary:
      'Restore the data of a version (all tracked data, or the paths named); unsaved changes are refused unless forced.',
    input: z
      .object({
        rev: z.string().min(1).max(200),
        paths: z.array(s.projectRelativePath).max(1000).default([]),
        force: z.boolean().default(false),
        /** How files reach the workspace; the project's `data.link` setting (else copy) when absent. */
        link: s.dataLinkMode.optional(),
        /** Rehash every object, even those unchanged since their bytes last matched (`--verify`). */
        verify: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      commit: z.string(),
      restored: z.array(z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int() })),
      unchanged: z.array(z.string()),
      /** How many files were placed each way (a reflink or a link can fall back to a copy). */
      placed: z.record(s.dataLinkMode, z.number().int()),
      /** Objects checked by hashing their bytes, and by their verification record. */
      hashed: z.number().int(),
      trusted: z.number().int(),
    }),
  }),
  'data.unlink': method({
    access: 'write',
    summary:
      'Turn the hardlinks and symlinks into the cache of tracked paths back into plain, writable copies (each verified against its hash).',
    input: z.object({ paths: z.array(s.projectRelativePath).min(1).max(1000) }).strict(),
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
        path: s.projectRelativePath,
        /** Match rows by this column (unique in both versions); by whole-row content when absent. */
        key: z.string().min(1).max(1000).optional(),
      })
      .strict(),
    output: s.dataDiff,
  }),
  'data.remotes': method({
    access: 'read',
    summary: 'Data remotes of the project (folders on a disk, NAS or USB drive) and which one is the default.',
    input: none,
    output: z.object({ remotes: z.array(s.dataRemote) }),
  }),
  'data.remoteAdd': method({
    access: 'write',
    summary:
      'Add a data remote: a folder outside the project, created when missing; relative paths are relative to the project.',
    input: z
      .object({
        name: z.string().min(1).max(100),
        path: z.string().min(1).max(4096),
        default: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ remotes: z.array(s.dataRemote) }),
  }),
  'data.remoteRemove': method({
    access: 'write',
    summary: 'Forget a data remote (its folder and objects stay).',
    input: z.object({ name: z.string().min(1).max(100) }).strict(),
    output: z.object({ remotes: z.array(s.dataRemote) }),
  }),
  'data.push': method({
    access: 'write',
    summary:
      'Send the cache objects of tracked data (all, or the paths named) that the remote lacks; each is verified before it is kept.',
    input: z
      .object({
        remote: z.string().min(1).max(100).optional(),
        paths: z.array(s.projectRelativePath).max(1000).default([]),
      })
      .strict(),
    output: s.dataTransfer,
  }),
  'data.pull': method({
    access: 'write',
    summary:
      "Fetch the objects of tracked data the cache lacks from a remote (verified), then check out the working tree's pointers; unsaved changes are refused unless forced.",
    input: z
      .object({
        remote: z.string().min(1).max(100).optional(),
        paths: z.array(s.projectRelativePath).max(1000).default([]),
        checkout: z.boolean().default(true),
        force: z.boolean().default(false),
      })
      .strict(),
    output: s.dataTransfer.extend({
      checkout: z
        .object({
          restored: z.array(z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int() })),
          unchanged: z.array(z.string()),
        })
        .nullable(),
    }),
  }),
  'data.gc': method({
    access: 'write',
    summary:
      'Remove cache objects that no commit, working-tree pointer, run or registered model refers to (or, with dryRun, count them).',
    input: z
      .object({ dryRun: z.boolean().default(false), graceMinutes: z.number().min(0).max(525_600).default(10) })
      .strict(),
    output: s.dataGc,
  }),
  'data.usage': method({
    access: 'read',
    summary:
      'For each version of a tracked path: its commits, the runs that read it and the model versions those runs made.',
    input: z.object({ path: s.projectRelativePath }).strict(),
    output: s.dataUsage,
  }),
});

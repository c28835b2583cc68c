// Runs in: main and renderer (shared). The contract for the model registry: each method's summary, lock
// access (see common.ts) and input and output schemas.
import { z } from 'zod';
import { domainMethods, method, none, runId } from './common';
import * as s from './schemas';

export const modelsMethods = domainMethods<`models.${string}`>()({
  'models.list': method({
    access: 'read',
    summary: 'Registered models with their versions and aliases.',
    input: none,
    output: s.modelsList,
  }),
  'models.get': method({
    access: 'read',
    summary: 'One registered model: its versions (newest first), aliases and the alias audit log.',
    input: z.object({ name: s.modelName }).strict(),
    output: s.modelDetail,
  }),
  'models.version': method({
    access: 'read',
    summary:
      'One model version with its lineage: run, params and metrics snapshot, data versions, commit, signature and card.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.modelVersionDetail,
  }),
  'models.register': method({
    access: 'write',
    summary: "Register a new version of a model from a run's artifact (file or folder) or from a path in the project.",
    input: z
      .object({
        name: s.modelName,
        runId: runId.optional(),
        /** The artifact's path in the run (a logged artifact, a pipeline output, or a folder of them). */
        artifact: z.string().min(1).max(1024).optional(),
        /** A file or folder in the project, when not registering from a run. */
        path: s.projectRelativePath.optional(),
        format: z
          .string()
          .regex(/^[A-Za-z0-9_.+-]{1,50}$/)
          .optional(),
        description: z.string().max(20_000).default(''),
        tags: z.record(z.string().min(1).max(250), z.string().max(8000)).default({}),
        signature: z.array(s.signatureColumn).max(10_000).optional(),
        /** Columns of the training data that are not inputs (the target), left out of a signature read from it. */
        exclude: z.array(z.string().min(1).max(250)).max(1000).default([]),
        predict: z.string().min(1).max(4000).optional(),
      })
      .strict(),
    output: s.modelVersionDetail,
  }),
  'models.setAlias': method({
    access: 'write',
    summary:
      'Point an alias (champion, challenger, …) at a version, moving it if it is set; the change and its reason go to the audit log.',
    input: z
      .object({
        name: s.modelName,
        alias: s.aliasName,
        version: s.modelVersionNumber,
        reason: z.string().max(2000).default(''),
      })
      .strict(),
    output: s.modelDetail,
  }),
  'models.removeAlias': method({
    access: 'write',
    summary: 'Remove an alias; the removal and its reason go to the audit log.',
    input: z.object({ name: s.modelName, alias: s.aliasName, reason: z.string().max(2000).default('') }).strict(),
    output: s.modelDetail,
  }),
  'models.update': method({
    access: 'write',
    summary:
      "Edit a version's description, the card's intended use and limitations (markdown), its tags or its predict command.",
    input: z
      .object({
        name: s.modelName,
        version: s.modelVersionNumber,
        description: z.string().max(20_000).optional(),
        intendedUse: z.string().max(100_000).optional(),
        limitations: z.string().max(100_000).optional(),
        tags: z.record(z.string().min(1).max(250), z.string().max(8000)).optional(),
        predict: z.string().min(1).max(4000).nullable().optional(),
      })
      .strict(),
    output: s.modelVersionDetail,
  }),
  'models.archive': method({
    access: 'write',
    summary:
      'Archive a version (hidden from the default list, kept with its lineage); refused while an alias points to it.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.modelVersionDetail,
  }),
  'models.restore': method({
    access: 'write',
    summary: 'Bring an archived version back.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.modelVersionDetail,
  }),
  'models.delete': method({
    access: 'write',
    summary: 'Delete a version (its artifact stays in the cache until `data gc`); refused while an alias points to it.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: z.object({ name: z.string(), version: z.number().int() }),
  }),
  'models.resolve': method({
    access: 'read',
    summary: 'The version a reference names: NAME@ALIAS, NAME/N, NAME (the latest), or the same after models:/.',
    input: z.object({ ref: z.string().min(1).max(300) }).strict(),
    output: z.object({ name: z.string(), version: z.number().int() }),
  }),
  'models.card': method({
    // Reports and exports are new files of their own under reports/ or outside the project.
    access: 'read',
    summary:
      "Write a version's model card (lineage, metrics, signature, intended use and limitations) into reports/ as self-contained HTML, PDF (printed by Chromium) or JSON; never over an existing file.",
    input: z
      .object({
        name: s.modelName,
        version: s.modelVersionNumber,
        format: z.enum(['html', 'pdf', 'json']).default('html'),
        /** A file name inside reports/ ending in the format's extension; a fresh name from the model and date when left out. */
        file: z.string().min(1).max(200).optional(),
      })
      .strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'models.lineage': method({
    access: 'read',
    summary:
      'A version as a graph: its run, params and metrics, the data versions it read and their commits, the commit it ran at, and the monitors that watch it.',
    input: z.object({ name: s.modelName, version: s.modelVersionNumber }).strict(),
    output: s.lineageGraph,
  }),
  'models.compare': method({
    access: 'read',
    summary:
      'Versions of a model side by side (params and metrics, differences flagged, or only those) and one metric across them.',
    input: z
      .object({
        name: s.modelName,
        versions: z.array(s.modelVersionNumber).min(2).max(20),
        metric: z.string().min(1).max(250).optional(),
        onlyDifferences: z.boolean().default(false),
      })
      .strict(),
    output: s.modelComparison,
  }),
  'models.export': method({
    access: 'read',
    summary:
      'Write a version as one .zip bundle (artifact, card, lineage, signature, bundle.json with every sha256); never over an existing file unless forced.',
    input: z
      .object({
        ref: z.string().min(1).max(300),
        /** The .zip to write; a relative path is taken from the project folder. */
        file: z.string().min(1).max(4096),
        force: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ path: z.string(), size: z.number().int() }),
  }),
  'models.import': method({
    access: 'write',
    summary:
      'Import a bundle as a new version (source bundle), after checking every entry against its sha256; a tampered bundle is refused and nothing is imported.',
    input: z
      .object({
        /** The .zip to read; a relative path is taken from the project folder. */
        file: z.string().min(1).max(4096),
        /** Register under this name instead of the bundle's. */
        name: s.modelName.optional(),
      })
      .strict(),
    output: s.modelVersionDetail,
  }),
});

// Runs in: main and renderer (shared). The contract for the model registry: each method's summary,
// lock access (see common.ts) and input and output schemas, and the shapes those use.
import { z } from 'zod';
import { BenchtopError } from './errors';
import { domainMethods, method, metricValue, none, projectRelativePath, runId } from './common';
import { paperSize } from './reports';

export const modelRow = z.object({
  name: z.string(),
  description: z.string(),
  versionCount: z.number().int(),
  latestVersion: z.number().int().nullable(),
  aliases: z.array(z.object({ alias: z.string(), version: z.number().int() })),
  updatedAt: z.string(),
});

export type ModelRow = z.infer<typeof modelRow>;

export const modelsList = z.object({ models: z.array(modelRow) });

/** A registered model's name: what `NAME@ALIAS` and `models:/NAME/3` start with. */
export const modelName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    'a model name is 1–100 letters, digits, "_", "-" or ".", starting with a letter or digit',
  );

/** An alias: any `[A-Za-z0-9_-]` name except the reserved `latest` and `v<digits>` (checked by the core, with the reason). */
export const aliasName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an alias is 1–64 letters, digits, "_" or "-"');

// What a name, an alias and a reference may be, checked with the reason; pure, so a shell can
// check its arguments before opening a project, with the same messages as the core.

export interface ModelRef {
  name: string;
  /** An alias, `latest`, or a version number. */
  alias: string | null;
  version: number | null;
}

export function checkModelName(name: string, field = 'name'): string {
  const r = modelName.safeParse(name);
  if (!r.success)
    throw new BenchtopError(
      'INVALID_INPUT',
      `"${name.slice(0, 120)}" cannot be a model name: ${r.error.issues[0]!.message}.`,
      { field, hint: 'Use a name such as churn-classifier.' },
    );
  return name;
}

/** Aliases a user may set. `latest` and `v<digits>` would be ambiguous with the references that name versions. */
export function checkAlias(alias: string, field = 'alias'): string {
  const r = aliasName.safeParse(alias);
  if (!r.success)
    throw new BenchtopError(
      'INVALID_INPUT',
      `"${alias.slice(0, 80)}" cannot be an alias: ${r.error.issues[0]!.message}.`,
      { field, hint: 'Use a name such as champion, challenger or production.' },
    );
  if (/^latest$/i.test(alias) || /^v\d+$/i.test(alias)) {
    throw new BenchtopError(
      'INVALID_INPUT',
      `"${alias}" is reserved: \`latest\` and v followed by digits already name versions.`,
      { field, hint: 'Pick another alias, such as champion or production.' },
    );
  }
  return alias;
}

/** Parses `NAME`, `NAME@ALIAS`, `NAME/N`, `NAME/latest`, each optionally after `models:/`. */
export function parseModelRef(ref: string, field = 'ref'): ModelRef {
  const body = ref.trim().replace(/^models:\/+/, '');
  const bad = (): never => {
    throw new BenchtopError('INVALID_INPUT', `"${ref.slice(0, 200)}" is not a model reference.`, {
      field,
      hint: 'Write NAME@ALIAS (churn@champion), NAME/N (churn/3), or either after models:/.',
    });
  };
  let m = /^([^@/]+)@([^@/]+)$/.exec(body);
  if (m) {
    const name = checkModelName(m[1]!, field);
    const alias = m[2]!;
    if (/^latest$/i.test(alias)) return { name, alias: 'latest', version: null };
    const v = /^v(\d+)$/i.exec(alias);
    if (v) return { name, alias: null, version: Number(v[1]) };
    return { name, alias: checkAlias(alias, field), version: null };
  }
  m = /^([^@/]+)\/([^@/]+)$/.exec(body);
  if (m) {
    const name = checkModelName(m[1]!, field);
    if (/^latest$/i.test(m[2]!)) return { name, alias: 'latest', version: null };
    const n = /^v?(\d{1,9})$/i.exec(m[2]!);
    if (!n || Number(n[1]) < 1) return bad();
    return { name, alias: null, version: Number(n[1]) };
  }
  if (/^[^@/]+$/.test(body)) return { name: checkModelName(body, field), alias: 'latest', version: null };
  return bad();
}

export const modelVersionNumber = z.number().int().min(1);

/** One input column a model expects. Types are the pointer schema's (integer, number, boolean, string, datetime, …). */
export const signatureColumn = z.object({ name: z.string().min(1).max(250), type: z.string().min(1).max(50) }).strict();

export const modelSignature = z
  .object({
    inputs: z.array(signatureColumn).max(10_000),
    /** Where it came from: `given`, or the dataset whose pointer schema it was read from (`data/train.csv@<hash>`). */
    source: z.string().max(2000),
  })
  .strict();

export type ModelSignature = z.infer<typeof modelSignature>;

export const modelDataVersion = z.object({ dataset: z.string(), version: z.string(), context: z.string() });

export const modelVersionSummary = z.object({
  name: z.string(),
  version: z.number().int(),
  aliases: z.array(z.string()),
  format: z.string(),
  size: z.number().int(),
  files: z.number().int(),
  source: z.enum(['run', 'path', 'bundle']),
  runId: z.string().nullable(),
  /** The run's name when it still exists. */
  runName: z.string().nullable(),
  description: z.string(),
  /** The run's metrics when the version was registered (latest value of each). */
  metrics: z.record(z.string(), metricValue),
  archived: z.boolean(),
  createdAt: z.string(),
});

export type ModelVersionSummary = z.infer<typeof modelVersionSummary>;

export const modelVersionDetail = modelVersionSummary.extend({
  artifact: z.object({
    /** The artifact's name in its run, or the path it was registered from. */
    path: z.string(),
    kind: z.enum(['file', 'folder']),
    /** The object in the cache (a folder's manifest for a folder). */
    hash: z.string(),
  }),
  params: z.record(z.string(), z.string()),
  data: z.array(modelDataVersion),
  gitCommit: z.string().nullable(),
  signature: modelSignature.nullable(),
  intendedUse: z.string(),
  limitations: z.string(),
  tags: z.record(z.string(), z.string()),
  /** How the version answers requests: a command reading JSON lines on stdin (see the README). */
  predict: z.string().nullable(),
  archivedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

export type ModelVersionDetail = z.infer<typeof modelVersionDetail>;

export const aliasLogEntry = z.object({
  alias: z.string(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int().nullable(),
  reason: z.string(),
  at: z.string(),
});

export type AliasLogEntry = z.infer<typeof aliasLogEntry>;

export const modelDetail = z.object({
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  aliases: z.array(z.object({ alias: z.string(), version: z.number().int() })),
  /** Newest first. */
  versions: z.array(modelVersionSummary),
  /** Newest first. */
  aliasLog: z.array(aliasLogEntry),
});

export type ModelDetail = z.infer<typeof modelDetail>;

/**
 * A model version's lineage as a graph: the version → its run → the run's params and metrics → the
 * data versions it read → the commit, and forward to the monitors that watch the model.
 */
export const lineageNode = z.object({
  id: z.string(),
  kind: z.enum(['model', 'run', 'params', 'metrics', 'data', 'commit', 'monitor', 'deployment']),
  label: z.string(),
  /** A second line: a hash, a date, a status, a value. */
  detail: z.string(),
  /** What opening the node goes to: a run id, a dataset path, a model ref, a commit id, a monitor name. */
  ref: z.string().nullable(),
});

export const lineageGraph = z.object({
  nodes: z.array(lineageNode),
  edges: z.array(z.object({ from: z.string(), to: z.string(), label: z.string() })),
});

export type LineageGraph = z.infer<typeof lineageGraph>;

export type LineageNode = z.infer<typeof lineageNode>;

/** Versions of one model side by side: params and metrics (rows flagged where the versions differ), and one metric across them. */
export const modelComparison = z.object({
  name: z.string(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      aliases: z.array(z.string()),
      source: z.enum(['run', 'path', 'bundle']),
      runId: z.string().nullable(),
      runName: z.string().nullable(),
      format: z.string(),
      createdAt: z.string(),
    }),
  ),
  /** One value per version, in the versions' order; null where a version has no such param. */
  params: z.array(z.object({ key: z.string(), values: z.array(z.string().nullable()), differs: z.boolean() })),
  metrics: z.array(z.object({ key: z.string(), values: z.array(metricValue.nullable()), differs: z.boolean() })),
  /** Set when only the differing rows were asked for: how many rows were left out. */
  hiddenSame: z.number().int(),
  /** The metric charted across versions (the asked one, else the first), ascending by version number. */
  series: z
    .object({
      metric: z.string(),
      points: z.array(z.object({ version: z.number().int(), value: metricValue.nullable() })),
    })
    .nullable(),
});

export type ModelComparison = z.infer<typeof modelComparison>;

/** A model card as data: what card.html shows, for the UI and `--format json`. */
export const modelCard = z.object({
  generatedAt: z.string(),
  version: modelVersionDetail,
  lineage: lineageGraph,
});

export type ModelCard = z.infer<typeof modelCard>;

/**
 * One record a version accepts, for "Try it": the first row of data the model is known to have
 * seen (its training data, else the reference of a monitor that watches it), typed per its
 * signature; type defaults when no such data is known, and `source` null says so.
 */
export const modelSampleInput = z.object({
  record: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** The file the row came from, as the user would name it (`data/loans.csv@<hash>`), or null for type defaults. */
  source: z.string().nullable(),
  /** Where it came from in words, for the form: "the first row of …", or why there are only defaults. */
  note: z.string(),
});

export type ModelSampleInput = z.infer<typeof modelSampleInput>;

// ---- Drift reports (issue 7). One shape for the report module, the CLI's JSON, monitors and the UI.

export const modelsMethods = domainMethods<`models.${string}`>()({
  'models.list': method({
    access: 'read',
    summary: 'Registered models with their versions and aliases.',
    input: none,
    output: modelsList,
  }),
  'models.get': method({
    access: 'read',
    summary: 'One registered model: its versions (newest first), aliases and the alias audit log.',
    input: z.object({ name: modelName }).strict(),
    output: modelDetail,
  }),
  'models.version': method({
    access: 'read',
    summary:
      'One model version with its lineage: run, params and metrics snapshot, data versions, commit, signature and card.',
    input: z.object({ name: modelName, version: modelVersionNumber }).strict(),
    output: modelVersionDetail,
  }),
  'models.register': method({
    access: 'write',
    summary: "Register a new version of a model from a run's artifact (file or folder) or from a path in the project.",
    input: z
      .object({
        name: modelName,
        runId: runId.optional(),
        /** The artifact's path in the run (a logged artifact, a pipeline output, or a folder of them). */
        artifact: z.string().min(1).max(1024).optional(),
        /** A file or folder in the project, when not registering from a run. */
        path: projectRelativePath.optional(),
        format: z
          .string()
          .regex(/^[A-Za-z0-9_.+-]{1,50}$/)
          .optional(),
        description: z.string().max(20_000).default(''),
        tags: z.record(z.string().min(1).max(250), z.string().max(8000)).default({}),
        signature: z.array(signatureColumn).max(10_000).optional(),
        /** Columns of the training data that are not inputs (the target), left out of a signature read from it. */
        exclude: z.array(z.string().min(1).max(250)).max(1000).default([]),
        predict: z.string().min(1).max(4000).optional(),
        /**
         * With runId and a pipeline output: take the bytes the run wrote from the run cache (checked
         * against the hash the run recorded), not from the working tree, where a later run may have
         * overwritten them.
         */
        fromCache: z.boolean().optional(),
      })
      .strict(),
    output: modelVersionDetail,
  }),
  'models.setAlias': method({
    access: 'write',
    summary:
      'Point an alias (champion, challenger, …) at a version, moving it if it is set; the change and its reason go to the audit log.',
    input: z
      .object({
        name: modelName,
        alias: aliasName,
        version: modelVersionNumber,
        reason: z.string().max(2000).default(''),
      })
      .strict(),
    output: modelDetail,
  }),
  'models.removeAlias': method({
    access: 'write',
    summary: 'Remove an alias; the removal and its reason go to the audit log.',
    input: z.object({ name: modelName, alias: aliasName, reason: z.string().max(2000).default('') }).strict(),
    output: modelDetail,
  }),
  'models.update': method({
    access: 'write',
    summary:
      "Edit a version's description, the card's intended use and limitations (markdown), its tags or its predict command.",
    input: z
      .object({
        name: modelName,
        version: modelVersionNumber,
        description: z.string().max(20_000).optional(),
        intendedUse: z.string().max(100_000).optional(),
        limitations: z.string().max(100_000).optional(),
        tags: z.record(z.string().min(1).max(250), z.string().max(8000)).optional(),
        predict: z.string().min(1).max(4000).nullable().optional(),
      })
      .strict(),
    output: modelVersionDetail,
  }),
  'models.archive': method({
    access: 'write',
    summary:
      'Archive a version (hidden from the default list, kept with its lineage); refused while an alias points to it.',
    input: z.object({ name: modelName, version: modelVersionNumber }).strict(),
    output: modelVersionDetail,
  }),
  'models.restore': method({
    access: 'write',
    summary: 'Bring an archived version back.',
    input: z.object({ name: modelName, version: modelVersionNumber }).strict(),
    output: modelVersionDetail,
  }),
  'models.delete': method({
    access: 'write',
    summary: 'Delete a version (its artifact stays in the cache until `data gc`); refused while an alias points to it.',
    input: z.object({ name: modelName, version: modelVersionNumber }).strict(),
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
        name: modelName,
        version: modelVersionNumber,
        format: z.enum(['html', 'pdf', 'json']).default('html'),
        /** A file name inside reports/ ending in the format's extension; a fresh name from the model and date when left out. */
        file: z.string().min(1).max(200).optional(),
        /**
         * Write here instead of into reports/ (absolute, or relative to the project folder), like
         * `models.export`'s file; never over an existing file. `benchtop models card --out`.
         */
        out: z.string().min(1).max(4096).optional(),
        /** The paper of a PDF card; the locale's when left out. */
        paper: paperSize.optional(),
      })
      .strict(),
    /** `path` is relative to the project inside reports/ (absolute with `out`); `file` is always absolute. */
    output: z.object({ path: z.string(), size: z.number().int(), file: z.string() }),
  }),
  'models.lineage': method({
    access: 'read',
    summary:
      'A version as a graph: its run, params and metrics, the data versions it read and their commits, the commit it ran at, and the monitors that watch it.',
    input: z.object({ name: modelName, version: modelVersionNumber }).strict(),
    output: lineageGraph,
  }),
  'models.sampleInput': method({
    access: 'read',
    summary:
      "One record a version accepts: the first row of its training data (or of a monitor's reference), typed per its signature.",
    input: z.object({ name: modelName, version: modelVersionNumber }).strict(),
    output: modelSampleInput,
  }),
  'models.compare': method({
    access: 'read',
    summary:
      'Versions of a model side by side (params and metrics, differences flagged, or only those) and one metric across them.',
    input: z
      .object({
        name: modelName,
        versions: z.array(modelVersionNumber).min(2).max(20),
        metric: z.string().min(1).max(250).optional(),
        onlyDifferences: z.boolean().default(false),
      })
      .strict(),
    output: modelComparison,
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
        /** Also say which version was written and how many entries the bundle has (`benchtop models export`). */
        details: z.boolean().default(false),
      })
      .strict(),
    /** The absolute path written and its size; with `details`, the version it holds and its entry count. */
    output: z.object({
      path: z.string(),
      size: z.number().int(),
      name: z.string().optional(),
      version: z.number().int().optional(),
      entries: z.number().int().optional(),
    }),
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
        name: modelName.optional(),
      })
      .strict(),
    output: modelVersionDetail,
  }),
});

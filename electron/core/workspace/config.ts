// Runs in: main (core). .benchtop/config.yaml: the project's committed settings.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseDocument, stringify } from 'yaml';
import { writeFileAtomic } from '../util/atomic-write';
import { readYamlFile } from '../util/yaml-file';
import { CONFIG_FILE, projectFile } from '../util/layout';

export const projectConfigSchema = z
  .object({
    version: z.literal(1, { message: 'version must be 1 (the only config format this Benchtop knows)' }),
    name: z.string().min(1, 'name must not be empty'),
    demo: z.boolean().default(false),
    /**
     * Data remotes: a folder (local disk, NAS mount, USB drive), `url` relative to the project or
     * absolute; or an S3-compatible bucket, `url` s3://bucket/prefix with where and how to reach it
     * (never credentials: those come from the standard AWS chain on each machine).
     */
    remotes: z
      .record(
        z.string(),
        z.object({
          url: z.string().min(1, 'url must not be empty'),
          default: z.boolean().optional(),
          endpoint: z.string().min(1).optional(),
          profile: z.string().min(1).optional(),
          region: z.string().min(1).optional(),
        }),
      )
      .default({}),
    /** How checked-out data reaches the workspace; optional so configs without it stay as written. */
    data: z
      .object({
        link: z
          .enum(['copy', 'reflink', 'hardlink', 'symlink'], {
            message: 'data.link must be copy, reflink, hardlink or symlink',
          })
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type ProjectConfig = z.output<typeof projectConfigSchema>;

export function readConfig(dir: string): ProjectConfig {
  return readYamlFile(
    projectFile(dir, CONFIG_FILE),
    CONFIG_FILE,
    projectConfigSchema,
    'Correct .benchtop/config.yaml, or restore it from git (`git checkout -- .benchtop/config.yaml`).',
  );
}

export function writeConfig(dir: string, config: ProjectConfig): void {
  const header = '# Benchtop project settings. Committed with the project; edit with care.\n';
  writeFileAtomic(projectFile(dir, CONFIG_FILE), header + stringify(config));
}

/**
 * Edits the config file in place through yaml's document model, so comments and keys Benchtop does
 * not know survive the edit (as far as the yaml library keeps them), then writes it atomically.
 */
export function editConfig(dir: string, edit: (doc: ReturnType<typeof parseDocument>) => void): ProjectConfig {
  readConfig(dir); // refuses a broken file before anything is changed
  const file = projectFile(dir, CONFIG_FILE);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  edit(doc);
  const text = doc.toString();
  const parsed = projectConfigSchema.parse(parseDocument(text).toJS());
  writeFileAtomic(file, text);
  return parsed;
}

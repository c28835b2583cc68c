// Runs in: main (core). An open project: its folder, its config and its database.
import type { Statement } from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { BenchtopError } from '../../../shared/contract/errors';
import type { ProjectSummary } from '../../../shared/contract/schemas';
import { openDatabase, SCHEMA_VERSION, type Database } from '../store/database';
import { markInterruptedRuns } from './interrupted';
import { headInfo } from '../git/git';
import { readConfig, type ProjectConfig } from './config';
import { CONFIG_FILE, DATABASE_FILE } from '../util/layout';
import { sweepOrphanTemps } from './temp-files';

export function isProject(dir: string): boolean {
  return existsSync(path.join(dir, CONFIG_FILE));
}

export function resolveFolder(input: string, cwd = process.cwd()): string {
  return path.resolve(cwd, input);
}

export class Workspace {
  private constructor(
    readonly dir: string,
    readonly config: ProjectConfig,
    readonly db: Database,
  ) {}

  /** Opens a project folder. Throws NOT_FOUND / NOT_A_PROJECT / BAD_FILE / NEWER_DATABASE. */
  static open(dir: string): Workspace {
    const abs = path.resolve(dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      throw new BenchtopError('NOT_FOUND', `The folder ${abs} does not exist.`, {
        field: 'path',
        hint: 'Check the path, or create a project there with `benchtop init`.',
      });
    }
    if (!isProject(abs)) {
      throw new BenchtopError('NOT_A_PROJECT', `${abs} is not a Benchtop project (it has no ${CONFIG_FILE}).`, {
        field: 'path',
        hint: 'Create one there with `benchtop init --dir <folder>` or "New project…".',
      });
    }
    const config = readConfig(abs);
    const db = openDatabase(path.join(abs, DATABASE_FILE));
    markInterruptedRuns(db);
    sweepOrphanTemps(abs);
    return new Workspace(abs, config, db);
  }

  get name(): string {
    return this.config.name;
  }

  /** How many experiments, runs, registered models and monitors the project holds. */
  counts(): { experiments: number; runs: number; models: number; monitors: number } {
    const count = (table: string): number =>
      (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      experiments: count('experiments'),
      runs: count('runs'),
      models: count('registered_models'),
      monitors: count('monitors'),
    };
  }

  /** Prepared once: the app asks for the summary on every project.current call. */
  private schemaVersionQuery: Statement | null = null;

  async summary(): Promise<ProjectSummary> {
    this.schemaVersionQuery ??= this.db.prepare('PRAGMA user_version').pluck();
    return {
      path: this.dir,
      name: this.config.name,
      isDemo: this.config.demo,
      schemaVersion: this.schemaVersionQuery.get() as number,
      git: await headInfo(this.dir),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export { SCHEMA_VERSION };

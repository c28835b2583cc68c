// Runs in: main (core). The contract's `models.*` handlers, kept beside the registry so core.ts only
// spreads them in. Every change announces `models.changed` so open views refresh.
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../../shared/contract/dispatch';
import type { BenchtopEvent } from '../../../shared/contract/events';
import { removeAlias, setAlias } from './aliases';
import { archiveVersion, deleteVersion, restoreVersion, updateVersion } from './lifecycle';
import { listModels } from './list';
import { resolveModelRef } from './refs';
import { registerVersion } from './register';
import { sampleInput } from './sample-input';
import { getModel, getVersion } from './versions';
import { exportBundle, importBundle } from './bundle';
import { cardHtml, modelCard } from './card';
import { compareVersions } from './compare-versions';
import { modelLineage } from './lineage';
import { defaultPaper } from '../reports/paper';
import { type PrintPdf, printWithChromium } from '../reports/pdf';
import { writeProjectReport, writeReportFile } from '../reports/writer';
import { toWire } from '../../../shared/contract/wire';

type ModelHandlers = Pick<Handlers, Extract<keyof Handlers, `models.${string}`>>;

export interface RegistryContext {
  project(): { dir: string; db: Database; name: string };
  emit(e: BenchtopEvent): void;
  /** Flush buffered metrics before a run's metrics are copied into a version. */
  flushMetrics(): void;
  /** The shell's PDF printer (Electron's in the desktop app); headless Chromium when absent. */
  printPdf?: PrintPdf;
}

export function modelHandlers(ctx: RegistryContext): ModelHandlers {
  const db = (): Database => ctx.project().db;
  const changed = (name: string): void => ctx.emit({ name: 'models.changed', payload: { name } });
  return {
    'models.list': () => listModels(db()),
    'models.get': ({ name }) => getModel(db(), name),
    'models.version': ({ name, version }) => getVersion(db(), name, version),
    'models.register': async ({ runId, ...input }) => {
      const ws = ctx.project();
      ctx.flushMetrics();
      const version = await registerVersion(ws.dir, ws.db, { ...input, ...(runId ? { runId } : {}) });
      changed(input.name);
      return getVersion(ws.db, input.name, version);
    },
    'models.setAlias': ({ name, alias, version, reason }) => {
      setAlias(db(), name, alias, version, reason);
      changed(name);
      return getModel(db(), name);
    },
    'models.removeAlias': ({ name, alias, reason }) => {
      removeAlias(db(), name, alias, reason);
      changed(name);
      return getModel(db(), name);
    },
    'models.update': ({ name, version, ...edit }) => {
      updateVersion(db(), name, version, edit);
      changed(name);
      return getVersion(db(), name, version);
    },
    'models.archive': ({ name, version }) => {
      archiveVersion(db(), name, version);
      changed(name);
      return getVersion(db(), name, version);
    },
    'models.restore': ({ name, version }) => {
      restoreVersion(db(), name, version);
      changed(name);
      return getVersion(db(), name, version);
    },
    'models.delete': ({ name, version }) => {
      deleteVersion(db(), name, version);
      changed(name);
      return { name, version };
    },
    'models.sampleInput': ({ name, version }) => {
      const ws = ctx.project();
      return sampleInput(ws.dir, ws.db, name, version);
    },
    'models.resolve': ({ ref }) => resolveModelRef(db(), ref),
    'models.card': async ({ name, version, format, file, out, paper }) => {
      const ws = ctx.project();
      const card = await modelCard(ws.dir, ws.db, name, version);
      const data =
        format === 'json'
          ? `${JSON.stringify(JSON.parse(toWire(card)), null, 2)}\n`
          : format === 'pdf'
            ? await (ctx.printPdf ?? printWithChromium)(cardHtml(card, ws.name), paper ?? defaultPaper())
            : cardHtml(card, ws.name);
      if (out !== undefined) {
        const w = writeReportFile(path.resolve(ws.dir, out), data);
        return { path: w.file, size: w.size, file: w.file };
      }
      const written = writeProjectReport(ws.dir, data, {
        slug: `model-card-${name}-v${version}`,
        name: file,
        ext: format,
      });
      return { path: written.path, size: written.size, file: written.file };
    },
    'models.lineage': ({ name, version }) => {
      const ws = ctx.project();
      return modelLineage(ws.dir, ws.db, name, version);
    },
    'models.compare': ({ name, versions, metric, onlyDifferences }) =>
      compareVersions(db(), name, versions, { metric, onlyDifferences }),
    'models.export': async ({ ref, file, force, details }) => {
      const ws = ctx.project();
      const written = await exportBundle(ws.dir, ws.db, ref, file, { force, project: ws.name });
      return details ? written : { path: written.path, size: written.size };
    },
    'models.import': async ({ file, name }) => {
      const ws = ctx.project();
      const imported = await importBundle(ws.dir, ws.db, file, { name });
      changed(imported.name);
      return getVersion(ws.db, imported.name, imported.version);
    },
  };
}

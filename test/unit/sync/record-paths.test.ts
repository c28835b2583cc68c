// Record paths are built in TypeScript (record-paths.ts) and in SQL (migration 0022's triggers) and
// parsed back when records are imported or merged: every path built parses to what built it, and
// anything else (a stray file, a newer Benchtop's record, a hostile name) parses to null.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aliasMovePath,
  experimentPath,
  modelPath,
  monitorPartPath,
  monitorPath,
  parseRecordPath,
  type RecordPath,
  runPath,
  versionPath,
} from '../../../electron/core/sync/record-paths';

/** Any text (whole code points, no lone surrogates), as experiments and monitors may be named. */
const anyName = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
const modelName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/);
const runId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/);
const uid = fc.stringMatching(/^[0-9a-f]{16}$/);

/** The path of what `r` names, built as the app builds it. */
function build(r: RecordPath): string {
  switch (r.kind) {
    case 'run':
      return runPath(r.id);
    case 'experiment':
      return experimentPath(r.name);
    case 'model':
      return modelPath(r.model);
    case 'version':
      return versionPath(r.model, r.uid);
    case 'alias':
      return aliasMovePath(r.model, r.uid);
    case 'monitor':
      return monitorPath(r.monitor);
    case 'batch':
      return monitorPartPath('batches', r.monitor, r.uid);
    case 'alert':
      return monitorPartPath('alerts', r.monitor, r.uid);
    case 'check':
      return monitorPartPath('checks', r.monitor, r.uid);
  }
}

const KINDS = ['run', 'experiment', 'model', 'version', 'alias', 'monitor', 'batch', 'alert', 'check'];

describe('record paths', () => {
  it('parse back to the run, experiment, model or monitor they were built from', () => {
    fc.assert(
      fc.property(runId, (id) => {
        expect(parseRecordPath(runPath(id))).toEqual({ kind: 'run', id });
      }),
    );
    fc.assert(
      fc.property(anyName, (name) => {
        expect(parseRecordPath(experimentPath(name))).toEqual({ kind: 'experiment', name });
      }),
    );
    fc.assert(
      fc.property(modelName, uid, (model, u) => {
        expect(parseRecordPath(modelPath(model))).toEqual({ kind: 'model', model });
        expect(parseRecordPath(versionPath(model, u))).toEqual({ kind: 'version', model, uid: u });
        expect(parseRecordPath(aliasMovePath(model, u))).toEqual({ kind: 'alias', model, uid: u });
      }),
    );
    fc.assert(
      fc.property(anyName, uid, (monitor, u) => {
        expect(parseRecordPath(monitorPath(monitor))).toEqual({ kind: 'monitor', monitor });
        expect(parseRecordPath(monitorPartPath('batches', monitor, u))).toEqual({ kind: 'batch', monitor, uid: u });
        expect(parseRecordPath(monitorPartPath('alerts', monitor, u))).toEqual({ kind: 'alert', monitor, uid: u });
        expect(parseRecordPath(monitorPartPath('checks', monitor, u))).toEqual({ kind: 'check', monitor, uid: u });
      }),
    );
  });

  it('never throw on arbitrary text, and name only known kinds', () => {
    const segment = fc.oneof(
      fc.constantFrom('runs', 'experiments', 'models', 'monitors', 'versions', 'aliases', 'batches', 'alerts'),
      fc.constantFrom('checks', 'model.json', 'monitor.json', '41', 'a', '0123456789abcdef.json', '..', ''),
      fc.constantFrom('FF', 'C328', '80', 'FF.json', 'C328.json', '41.json', '0123456789ABCDEF.json'),
      fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'),
      fc.string(),
    );
    const check = (p: string) => {
      const r = parseRecordPath(p);
      if (r === null) return;
      expect(KINDS).toContain(r.kind);
      expect(build(r)).toBe(p);
    };
    fc.assert(fc.property(fc.string({ unit: 'binary' }), check), { numRuns: 500 });
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (s) => check(s.join('/'))),
      { numRuns: 2000 },
    );
  });

  it('name one record each: a parsed path builds back to itself', () => {
    const hex = fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) => Buffer.from(b).toString('hex').toUpperCase());
    fc.assert(
      fc.property(
        hex,
        fc.constantFrom('experiments/#.json', 'monitors/#/monitor.json', 'monitors/#/checks/0123456789abcdef.json'),
        (h, shape) => {
          const p = shape.replace('#', h);
          const r = parseRecordPath(p);
          if (r !== null) expect(build(r)).toBe(p);
        },
      ),
    );
    // Bytes that are not UTF-8 would decode to U+FFFD, a name whose path is another one.
    expect(parseRecordPath('experiments/FF.json')).toBeNull();
    expect(parseRecordPath('monitors/C328/monitor.json')).toBeNull();
  });

  it('refuse names inherited from Object.prototype as a monitor part', () => {
    for (const part of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(parseRecordPath(`monitors/41/${part}/0123456789abcdef.json`)).toBeNull();
  });

  it('refuse parent folders, absolute paths, other extensions and uppercase uids', () => {
    for (const p of [
      'runs/../x.json',
      'runs/..json',
      'runs/.hidden.json',
      '/runs/r1.json',
      'runs/r1.json/',
      'runs/r1.txt',
      'runs/r1',
      'runs/sub/r1.json',
      'experiments/.json',
      'experiments/4.json',
      'experiments/4a.json',
      'experiments/41.txt',
      '/experiments/41.json',
      'models/../model.json',
      'models/../versions/0123456789abcdef.json',
      'models/.x/model.json',
      '/models/m/model.json',
      'models/m/model.yaml',
      'models/m/versions/0123456789ABCDEF.json',
      'models/m/versions/0123456789abcde.json',
      'models/m/versions/0123456789abcdef.txt',
      'models/m/aliases/0123456789abcdeF.json',
      'models/m/tags/0123456789abcdef.json',
      'monitors/../monitor.json',
      'monitors/4a/monitor.json',
      'monitors/41/monitor.yaml',
      'monitors/41/batches/0123456789ABCDEF.json',
      'monitors/41/batches/0123456789abcdef.csv',
      'monitors/41/reports/0123456789abcdef.json',
      '/monitors/41/monitor.json',
      '',
      '/',
      'runs',
    ])
      expect(parseRecordPath(p), p).toBeNull();
  });
});

// One migration per file, each with its own test: a migration added without one fails here.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../electron/core/store/migrations';
import { ROOT } from '../../../support/helpers';

it('every migration file is listed in order and has a test of the same name', () => {
  const files = readdirSync(path.join(ROOT, 'electron/core/store/migrations')).filter((f) => /^\d{4}-/.test(f));
  const tests = new Set(readdirSync(path.join(ROOT, 'test/unit/store/migrations')));
  expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(MIGRATIONS.map((m) => m.version));
  expect(files.filter((f) => !tests.has(f.replace(/\.ts$/, '.test.ts')))).toEqual([]);
});

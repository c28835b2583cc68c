// loadYaml keeps the last parse of each file: the same text gives equal values that each caller owns.
import { describe, expect, it } from 'vitest';
import { FileProblemError, loadYaml } from '../../../electron/core/util/yaml-file';

describe('loadYaml', () => {
  it('reads the same text twice into equal values, each its own copy', () => {
    const text = 'stages:\n  a:\n    deps: [x, y]\n';
    const first = loadYaml(text, 'copies.yaml');
    (first.data as { stages: { a: { deps: string[] } } }).stages.a.deps.push('changed by a caller');
    const second = loadYaml(text, 'copies.yaml');
    expect(second.data).toEqual({ stages: { a: { deps: ['x', 'y'] } } });
    expect(second.locate(['stages', 'a', 'deps'])).toEqual({ line: 3, column: 11 });
  });

  it('reads new text anew, and an error every time', () => {
    expect(loadYaml('a: 1\n', 'edited.yaml').data).toEqual({ a: 1 });
    expect(loadYaml('a: 2\n', 'edited.yaml').data).toEqual({ a: 2 });
    expect(loadYaml('a: 1\na: 2\n', 'dup.yaml', { uniqueKeys: false }).data).toEqual({ a: 2 });
    for (let i = 0; i < 2; i++) expect(() => loadYaml('a: 1\na: 2\n', 'dup.yaml')).toThrow(FileProblemError);
  });
});

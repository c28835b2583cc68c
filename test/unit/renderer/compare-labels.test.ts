// Runs in: tests (Node). Compare labels each run by its name; runs that share a name (two runs of
// the same command, say) get the end of their id too, so no two legend entries or bars read alike.
import { describe, expect, it } from 'vitest';
import { runLabels } from '../../../renderer/src/sections/compare/labels';

describe('Compare run labels', () => {
  it('are the names when they differ', () => {
    expect(
      runLabels([
        { id: 'a1', name: 'brisk-otter-3' },
        { id: 'b2', name: 'calm-heron-7' },
      ]),
    ).toEqual(['brisk-otter-3', 'calm-heron-7']);
  });

  it('add the end of the id to names that repeat', () => {
    expect(
      runLabels([
        { id: 'run-20261207-130246-bf13d3', name: 'train.py' },
        { id: 'run-20261207-130301-0a9c11', name: 'train.py' },
        { id: 'run-20261207-130322-77aa00', name: 'baseline' },
      ]),
    ).toEqual(['train.py · bf13d3', 'train.py · 0a9c11', 'baseline']);
  });
});

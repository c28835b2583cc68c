import { describe, expect, it } from 'vitest';
import { depHashLabel } from '../../../renderer/src/sections/experiments/dep-hash';

describe('depHashLabel', () => {
  const sha = 'ab'.repeat(32);
  it('names the model version a models:/ dependency resolved to', () => {
    expect(depHashLabel(`model:churn/3:${sha}`)).toBe('churn/3 · abababababab');
  });
  it('shows a folder hash with its file count, and a file hash shortened', () => {
    expect(depHashLabel(`dir:${sha}:1200`)).toBe('abababababab · 1,200 files');
    expect(depHashLabel(sha)).toBe('abababababab');
  });
});

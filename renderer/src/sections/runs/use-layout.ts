// Runs in: renderer. The runs table's layout for the open project, saved to localStorage on change.
import { useCallback, useEffect, useState } from 'react';
import { layoutStorageKey, parseLayout, serializeLayout, type RunsLayout } from './layout';

function read(key: string): RunsLayout {
  try {
    return parseLayout(localStorage.getItem(key));
  } catch {
    return parseLayout(null);
  }
}

export function useRunsLayout(projectPath: string): [RunsLayout, (change: (l: RunsLayout) => RunsLayout) => void] {
  const key = layoutStorageKey(projectPath);
  const [layout, setLayout] = useState<RunsLayout>(() => read(key));
  useEffect(() => setLayout(read(key)), [key]);
  useEffect(() => {
    try {
      localStorage.setItem(key, serializeLayout(layout));
    } catch {
      // A full or disabled storage only loses the layout for next time.
    }
  }, [key, layout]);
  const update = useCallback((change: (l: RunsLayout) => RunsLayout) => setLayout(change), []);
  return [layout, update];
}

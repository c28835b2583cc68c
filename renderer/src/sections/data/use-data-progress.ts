// Runs in: renderer. The latest data.progress event of an add, checkout, push or pull in flight, so the Data
// view can show how far the hashing or restoring has got.
import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../../shared/contract';
import { api } from '../../api/client';

export type DataProgress = EventPayload<'data.progress'>;

/**
 * Listens for as long as the view is mounted (so the first events of an operation are not lost
 * while a subscription connects), but reports progress only while `active`.
 */
export function useDataProgress(active: boolean): DataProgress | null {
  const [progress, setProgress] = useState<DataProgress | null>(null);
  useEffect(
    () =>
      api.subscribe((event) => {
        // A verify or a doctor has no operation of this view to show against.
        if (event.name === 'data.progress' && event.payload.op !== 'verify' && event.payload.op !== 'doctor')
          setProgress(event.payload);
      }),
    [],
  );
  useEffect(() => {
    if (active) setProgress(null);
  }, [active]);
  return active ? progress : null;
}

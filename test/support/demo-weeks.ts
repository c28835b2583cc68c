// Runs in: tests (Node). Production weeks arriving in a demo project, as `benchtop demo` does it:
// the champion served on a free local port answers each week in data/production, and the batches
// land in data/batches. The project needs a champion first (`benchtop run`).
import { deliverWeek, productionWeeks, type DeliveredWeek } from '../../electron/core/demo/deliver';
import { startEndpoint } from '../../electron/core/serving/endpoint';
import { Workspace } from '../../electron/core/workspace/workspace';

export async function deliverDemoWeeks(dir: string, count = 8): Promise<DeliveredWeek[]> {
  const ws = Workspace.open(dir);
  try {
    const endpoint = await startEndpoint({ projectDir: ws.dir, db: ws.db, ref: 'loan-default@champion' });
    try {
      const out: DeliveredWeek[] = [];
      for (const week of productionWeeks(dir).slice(0, count))
        out.push(await deliverWeek(dir, week, endpoint.status().url));
      return out;
    } finally {
      await endpoint.close('the weeks are delivered');
    }
  } finally {
    ws.close();
  }
}

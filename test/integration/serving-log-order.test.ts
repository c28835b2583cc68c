// The prediction log's keys follow arrival order: request ids (and the record ids made from them)
// are time-ordered, so the log's indexes grow at their end instead of at random places, and
// writing a request costs the same whether the log holds a thousand requests or millions.
import { describe, expect, it } from 'vitest';
import { startEndpoint } from '../../electron/core/serving/endpoint';
import { nodePredictor, registerPredictor, request, servingProject } from '../support/serving';

describe('the prediction log of an endpoint', () => {
  it('gets request and record ids that sort in the order the requests arrived', async () => {
    const ws = await servingProject();
    await registerPredictor(ws, 'echo', nodePredictor('return { y: input.x };'), {
      signature: [{ name: 'x', type: 'number' }],
    });
    const endpoint = await startEndpoint({ projectDir: ws.dir, db: ws.db, ref: 'echo/1' });
    try {
      const url = endpoint.status().url;
      const answered: string[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await request(`${url}/predict`, { body: { x: i } });
        expect(r.status).toBe(200);
        answered.push(r.body.ids[0]);
      }
      expect([...answered].sort()).toEqual(answered);
    } finally {
      await endpoint.close('test over');
    }
    const rows = ws.db.prepare('SELECT request_id FROM prediction_requests ORDER BY id').all() as {
      request_id: string;
    }[];
    const ids = rows.map((r) => r.request_id);
    expect(ids).toHaveLength(30);
    expect([...ids].sort()).toEqual(ids);
    ws.close();
  });
});

import { describe, expect, it } from 'vitest';
import { createClient, type Transport } from '../../../shared/contract/client';
import { BenchtopError } from '../../../shared/contract/errors';

describe('createClient', () => {
  it('returns values and rethrows structured errors as BenchtopError', async () => {
    const transport: Transport = {
      call: async (method) =>
        method === 'app.info'
          ? { ok: true, value: { name: 'Benchtop' } }
          : {
              ok: false,
              error: { code: 'NOT_A_PROJECT', message: 'x is not a project', field: 'path', hint: 'init it' },
            },
      subscribe: () => () => undefined,
    };
    const client = createClient(transport);
    await expect(client.call('app.info', {})).resolves.toEqual({ name: 'Benchtop' });
    const err = await client.call('project.open', { path: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchtopError);
    expect(err).toMatchObject({ code: 'NOT_A_PROJECT', field: 'path', hint: 'init it' });
  });
});

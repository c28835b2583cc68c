import fc from 'fast-check';
import { describe, expect, it, vi, type Mock } from 'vitest';
import { dispatch, type Handlers } from '../../../shared/contract/dispatch';
import { BenchtopError } from '../../../shared/contract/errors';
import { methods } from '../../../shared/contract/methods';
import { METHOD_NAMES } from '../../../shared/contract/names';
import { projectRelativePath } from '../../../shared/contract/schemas';

/** Handlers that record whether they ran. */
type Spies = Record<(typeof METHOD_NAMES)[number], Mock>;

function spyHandlers(): Spies {
  const h = {} as Spies;
  for (const name of METHOD_NAMES) h[name] = vi.fn(() => ({}));
  return h;
}

const run = (h: Spies, name: unknown, input: unknown, options?: Parameters<typeof dispatch>[3]) =>
  dispatch(h as unknown as Handlers, name, input, options);

describe('the contract', () => {
  it('names every method once, and every name has a schema', () => {
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
    expect(Object.keys(methods).sort()).toEqual([...METHOD_NAMES].sort());
  });
});

describe('dispatch', () => {
  it('refuses an unknown method with a structured error and runs nothing', async () => {
    const h = spyHandlers();
    const r = await run(h, 'projects.delete', {});
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNKNOWN_METHOD', field: 'method' }) });
    for (const fn of Object.values(h)) expect(fn).not.toHaveBeenCalled();
  });

  it('refuses a non-string method name', async () => {
    const r = await run(spyHandlers(), { toString: () => 'app.info' }, {});
    expect(r.ok).toBe(false);
  });

  it('refuses invalid input naming the offending field, and the handler never runs', async () => {
    const h = spyHandlers();
    const r = await run(h, 'project.open', { path: 42 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.field).toBe('path');
      expect(r.error.message).toContain('project.open');
    }
    expect(h['project.open']).not.toHaveBeenCalled();
  });

  it('refuses unknown keys (strict inputs) naming the key', async () => {
    const h = spyHandlers();
    const r = await run(h, 'app.info', { sneaky: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'sneaky' } });
    expect(h['app.info']).not.toHaveBeenCalled();
  });

  it('applies defaults before the handler runs', async () => {
    const h = spyHandlers();
    h['data.preview'].mockReturnValue({ path: 'a.csv', columns: [], rows: [], totalRows: 0, summaries: [] });
    const r = await run(h, 'data.preview', { path: 'data/a.csv' }, { checkOutput: true });
    expect(r.ok).toBe(true);
    expect(h['data.preview']).toHaveBeenCalledWith({ path: 'data/a.csv', limit: 50 });
  });

  it('passes BenchtopError through as its shape, and hides other errors behind INTERNAL', async () => {
    const h = spyHandlers();
    h['project.current'].mockImplementation(() => {
      throw new BenchtopError('NO_PROJECT', 'No project is open.', { hint: 'Open one.' });
    });
    expect(await run(h, 'project.current', {})).toEqual({
      ok: false,
      error: { code: 'NO_PROJECT', message: 'No project is open.', hint: 'Open one.' },
    });
    const seen = vi.fn();
    h['project.recent'].mockRejectedValue(new TypeError('boom'));
    const r = await run(h, 'project.recent', {}, { onInternalError: seen });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(seen).toHaveBeenCalledOnce();
  });

  it('with checkOutput, refuses a handler output that breaks the contract', async () => {
    const h = spyHandlers();
    h['app.info'].mockReturnValue({ name: 'Benchtop' });
    const r = await run(h, 'app.info', {}, { checkOutput: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('never throws, whatever the input (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHOD_NAMES, 'nope', ''), fc.jsonValue(), async (name, input) => {
        const r = await run(spyHandlers(), name, input);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('project-relative paths', () => {
  it('refuses every path with a .. segment, absolute paths and NUL (property)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/).filter((s) => s !== '..');
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 4 }),
        fc.array(segment, { maxLength: 4 }),
        fc.constantFrom('/', '\\'),
        (before, after, sep) => {
          const p = [...before, '..', ...after].join(sep);
          expect(projectRelativePath.safeParse(p).success).toBe(false);
        },
      ),
    );
    for (const bad of ['/etc/passwd', 'C:\\Windows', '\\\\server\\share', 'a\0b', ''])
      expect(projectRelativePath.safeParse(bad).success).toBe(false);
  });

  it('accepts ordinary relative paths (property)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,8}$/).filter((s) => s !== '..' && s !== '.');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (parts) => {
        expect(projectRelativePath.safeParse(parts.join('/')).success).toBe(true);
      }),
    );
  });
});

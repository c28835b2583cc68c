import { describe, expect, it } from 'vitest';
import { combineHandlers } from '../../../electron/core/app/combine-handlers';
import type { Handlers } from '../../../shared/contract/dispatch';
import { METHOD_NAMES } from '../../../shared/contract/names';

const stub = () => ({});
const all = (): Handlers => Object.fromEntries(METHOD_NAMES.map((n) => [n, stub])) as unknown as Handlers;

describe('combineHandlers', () => {
  it('joins the domain maps into one map of every method', () => {
    const { 'app.info': info, ...rest } = all();
    const combined = combineHandlers({ 'app.info': info }, rest);
    expect(Object.keys(combined).sort()).toEqual([...METHOD_NAMES].sort());
    expect(combined['app.info']).toBe(info);
  });

  it('refuses two maps that handle the same method, naming it', () => {
    expect(() => combineHandlers(all(), { 'runs.get': all()['runs.get'] })).toThrow(/runs\.get/);
  });

  it('refuses a method no map handles, naming it', () => {
    const { 'tour.save': _, ...rest } = all();
    expect(() => combineHandlers(rest)).toThrow(/tour\.save/);
  });
});

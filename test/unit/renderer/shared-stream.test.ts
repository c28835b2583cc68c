// Browser mode's events: every view's subscription shares one event source (a browser keeps at most
// six connections to a host, so a stream per view starved the calls), each listener hears every
// event, one that throws does not silence the others, and the source closes with the last listener.
import { describe, expect, it } from 'vitest';
import { sharedStream } from '../../../renderer/src/api/shared-stream';

describe('sharedStream', () => {
  it('opens one source for all listeners and closes it when the last one leaves', async () => {
    const sources: { emit: (e: number) => void; closed: boolean }[] = [];
    const subscribe = sharedStream<number>((emit) => {
      const s = { emit, closed: false };
      sources.push(s);
      return () => void (s.closed = true);
    });
    const a: number[] = [];
    const b: number[] = [];
    const offA = subscribe((e) => a.push(e));
    const offB = subscribe((e) => {
      b.push(e);
      throw new Error('a broken view');
    });
    const offC = subscribe(() => {});
    expect(sources).toHaveLength(1);

    const thrown: unknown[] = [];
    const onError = (err: unknown): void => void thrown.push(err);
    process.on('uncaughtException', onError);
    try {
      sources[0]!.emit(1);
      sources[0]!.emit(2);
      await new Promise((r) => setTimeout(r, 0));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 2]);
    expect(thrown.map((e) => (e as Error).message)).toEqual(['a broken view', 'a broken view']);

    offA();
    offB();
    offB(); // twice is harmless
    expect(sources[0]!.closed).toBe(false);
    offC();
    expect(sources[0]!.closed).toBe(true);
    const offD = subscribe(() => {});
    expect(sources).toHaveLength(2);
    offD();
    expect(sources[1]!.closed).toBe(true);
  });
});

// Runs in: renderer and tests. A typed caller over any transport (IPC or HTTP).
import { BenchtopError, type CallResult } from './errors';
import type { BenchtopEvent } from './events';
import type { MethodInput, MethodOutput } from './methods';
import type { MethodName } from './names';

export interface Transport {
  call(method: MethodName, input: unknown): Promise<CallResult<unknown>>;
  /** Subscribes to core events; returns the unsubscribe function. */
  subscribe(listener: (event: BenchtopEvent) => void): () => void;
}

export interface Client {
  call<K extends MethodName>(method: K, input: MethodInput<K>): Promise<MethodOutput<K>>;
  subscribe(listener: (event: BenchtopEvent) => void): () => void;
}

export function createClient(transport: Transport): Client {
  return {
    async call(method, input) {
      const result = await transport.call(method, input);
      if (!result.ok) throw BenchtopError.fromShape(result.error);
      return result.value as never;
    },
    subscribe: (listener) => transport.subscribe(listener),
  };
}

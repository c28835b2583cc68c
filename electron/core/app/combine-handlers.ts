// Runs in: main (core) and CLI (Node). Builds the contract's handler map from the domains' maps.
// Two domains answering one method would make the winner depend on spread order, so that fails
// loudly when the Core is built, as does a method no domain answers.
import type { Handlers } from '../../../shared/contract/dispatch';
import { METHOD_NAMES } from '../../../shared/contract/names';

export function combineHandlers(...maps: Partial<Handlers>[]): Handlers {
  const out: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [name, handler] of Object.entries(map)) {
      if (Object.hasOwn(out, name)) throw new Error(`Two handler maps both handle the method ${name}.`);
      out[name] = handler;
    }
  }
  const missing = METHOD_NAMES.filter((name) => !Object.hasOwn(out, name));
  if (missing.length > 0) throw new Error(`No handler map handles ${missing.join(', ')}.`);
  return out as Handlers;
}

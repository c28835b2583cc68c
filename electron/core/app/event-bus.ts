// Runs in: main (core). Fan-out of typed core events to whichever shells are listening.
import type { BenchtopEvent } from '../../../shared/contract/events';

export type EventListener = (event: BenchtopEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: BenchtopEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // One broken listener (a closed window, a dropped stream) must not starve the others.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}

// Runs in: renderer. Subscribes a component to the core's events for as long as it is mounted. The
// handler is read through a ref, so a new closure each render (with new props in it) is used at once
// without subscribing again.
import { useEffect, useRef } from 'react';
import type { BenchtopEvent } from '../../../shared/contract';
import { api } from '../api/client';

export function useEvent(onEvent: (event: BenchtopEvent) => void): void {
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => api.subscribe((event) => latest.current(event)), []);
}

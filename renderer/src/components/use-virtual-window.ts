// Runs in: renderer. Follows a scroll container's scroll offsets and size, at most once per frame,
// so a virtual list can render just the window the user sees.
import { useLayoutEffect, useState, type RefObject } from 'react';

export interface ViewportState {
  scrollTop: number;
  scrollLeft: number;
  width: number;
  height: number;
}

export function useVirtualWindow(ref: RefObject<HTMLElement | null>): ViewportState {
  const [state, setState] = useState<ViewportState>({ scrollTop: 0, scrollLeft: 0, width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setState((prev) => {
        const next = {
          scrollTop: el.scrollTop,
          scrollLeft: el.scrollLeft,
          width: el.clientWidth,
          height: el.clientHeight,
        };
        return prev.scrollTop === next.scrollTop &&
          prev.scrollLeft === next.scrollLeft &&
          prev.width === next.width &&
          prev.height === next.height
          ? prev
          : next;
      });
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', schedule, { passive: true });
    const observer = new ResizeObserver(schedule);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', schedule);
      observer.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [ref]);
  return state;
}

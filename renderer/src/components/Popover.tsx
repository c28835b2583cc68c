// Runs in: renderer. A floating panel under the control that opened it (fixed, so scroll containers
// do not clip it); Escape or a click outside closes it and focus returns to the opener.
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import './virtual-grid.css';

export function Popover({
  anchor,
  onClose,
  label,
  role = 'dialog',
  className,
  children,
}: {
  anchor: HTMLElement | null;
  onClose: () => void;
  label: string;
  role?: 'dialog' | 'menu';
  className?: string;
  children: ReactNode;
}) {
  const panel = useRef<HTMLDivElement | null>(null);
  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useLayoutEffect(() => {
    if (!anchor || !panel.current) return;
    const a = anchor.getBoundingClientRect();
    const p = panel.current.getBoundingClientRect();
    const left = Math.max(8, Math.min(a.left, window.innerWidth - p.width - 8));
    const below = a.bottom + 4;
    const top = below + p.height > window.innerHeight - 8 ? Math.max(8, a.top - p.height - 4) : below;
    setPos({ top, left });
  }, [anchor]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close.current();
        anchor?.focus();
      }
    };
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (panel.current?.contains(t) || anchor?.contains(t)) return;
      close.current();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('mousedown', onDown, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('mousedown', onDown, true);
    };
  }, [anchor]);

  useEffect(() => {
    const first = panel.current?.querySelector<HTMLElement>('input, button, [tabindex="0"]');
    first?.focus();
  }, []);

  // In document.body, so no sticky header or scroll container around the opener clips or restyles it.
  return createPortal(
    <div
      ref={panel}
      role={role}
      aria-label={label}
      className={`popover${className ? ` ${className}` : ''}`}
      style={pos ? { top: pos.top, left: pos.left } : { top: -9999, left: -9999 }}
    >
      {children}
    </div>,
    document.body,
  );
}

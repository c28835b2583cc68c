// Runs in: renderer. Section navigation: click, arrow keys within the list, Alt+1…7 from anywhere.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { SECTIONS, useApp } from '../store/app-store';

export function Sidebar() {
  const section = useApp((s) => s.section);
  const setSection = useApp((s) => s.setSection);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      const target = SECTIONS[n - 1];
      if (target) {
        e.preventDefault();
        setSection(target.id);
        refs.current[n - 1]?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setSection]);

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = SECTIONS.length - 1;
    const next =
      e.key === 'ArrowDown'
        ? index === last
          ? 0
          : index + 1
        : e.key === 'ArrowUp'
          ? index === 0
            ? last
            : index - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    setSection(SECTIONS[next]!.id);
    refs.current[next]?.focus();
  };

  return (
    <nav className="sidebar" aria-label="Sections">
      <ul>
        {SECTIONS.map((s, i) => (
          <li key={s.id}>
            <button
              type="button"
              ref={(el) => {
                refs.current[i] = el;
              }}
              className={s.id === section ? 'nav-item active' : 'nav-item'}
              aria-current={s.id === section ? 'page' : undefined}
              tabIndex={s.id === section ? 0 : -1}
              onClick={() => setSection(s.id)}
              onKeyDown={(e) => onKeyDown(e, i)}
              title={`${s.label} (Alt+${i + 1})`}
            >
              <span className="nav-icon" aria-hidden="true">
                {s.icon}
              </span>
              {s.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

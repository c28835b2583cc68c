// Runs in: renderer. A stage log: ANSI colours (parsed by anser, rendered as spans, never as
// HTML), search with highlighted matches, and follow (stick to the bottom as lines arrive).
import Anser from 'anser';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '../../store/live-runs';

const PROTOCOL = '::benchtop:: ';

function Line({ line, query }: { line: LogLine; query: string }) {
  const parts = useMemo(
    () => Anser.ansiToJson(line.line, { json: true, remove_empty: true, use_classes: true }),
    [line.line],
  );
  return (
    <div className={`log-line log-${line.stream}${line.line.startsWith(PROTOCOL) ? ' log-protocol' : ''}`}>
      {parts.map((p, i) => {
        const classes = [
          p.fg ? `ansi-${p.fg}` : '',
          p.bg ? `ansi-bg-${p.bg}` : '',
          ...(p.decorations ?? []).map((d) => `ansi-${d}`),
        ]
          .filter(Boolean)
          .join(' ');
        if (!query)
          return (
            <span key={i} className={classes || undefined}>
              {p.content}
            </span>
          );
        const pieces = p.content.split(new RegExp(`(${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'gi'));
        return (
          <span key={i} className={classes || undefined}>
            {pieces.map((piece, j) => (j % 2 === 1 ? <mark key={j}>{piece}</mark> : piece))}
          </span>
        );
      })}
    </div>
  );
}

export function LogView({ lines, label }: { lines: LogLine[]; label: string }) {
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const shown = useMemo(
    () => (query ? lines.filter((l) => l.line.toLowerCase().includes(query.toLowerCase())) : lines),
    [lines, query],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: new lines shown (`shown`) are what moves the view to the bottom when following.
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);
  return (
    <section className="log-view" aria-label={label}>
      <div className="log-toolbar">
        <label>
          Search{' '}
          <input
            className="field-input"
            type="search"
            aria-label="Search the log"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <span className="muted">{query ? `${shown.length} of ${lines.length} lines` : `${lines.length} lines`}</span>
      </div>
      <div
        className="log-lines"
        ref={box}
        role="log"
        aria-live="off"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
          if (!atBottom && follow) setFollow(false);
        }}
      >
        {shown.length === 0 ? (
          <div className="muted">{lines.length ? 'No line matches.' : 'No output yet.'}</div>
        ) : (
          shown.map((l, i) => <Line key={i} line={l} query={query} />)
        )}
      </div>
    </section>
  );
}

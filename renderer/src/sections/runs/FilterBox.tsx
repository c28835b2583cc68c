// Runs in: renderer. The filter box: the query language with completion of fields and keys in an
// accessible listbox (arrows move, Enter/Tab accept, Escape closes); Enter applies the query, and a
// mistake shows the core's message with a caret under the token at fault.
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { BenchtopError, RunKeys } from '../../../../shared/contract';
import { applyCompletion, complete, errorColumn, type Completion } from './completion';

const LIST_ID = 'runs-filter-options';

export function FilterBox({
  applied,
  onApply,
  error,
  keys,
}: {
  applied: string;
  onApply: (filter: string) => void;
  error: { error: BenchtopError; filter: string } | null;
  keys: RunKeys;
}) {
  const [draft, setDraft] = useState(applied);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement | null>(null);
  const pendingCursor = useRef<number | null>(null);

  useLayoutEffect(() => {
    if (pendingCursor.current !== null && input.current) {
      input.current.setSelectionRange(pendingCursor.current, pendingCursor.current);
      pendingCursor.current = null;
    }
  });

  // While typing, the list opens only on a started word, so Enter after a finished query applies it;
  // Ctrl+Space asks for every option at the cursor.
  const suggest = (text: string, cursor: number, explicit = false) => {
    const c = complete(text, cursor, keys);
    setCompletion(c && (explicit || c.from < cursor) ? c : null);
    setActive(0);
  };

  const accept = (index: number) => {
    if (!completion) return;
    const option = completion.options[index];
    if (!option) return;
    const next = applyCompletion(draft, completion, option);
    setDraft(next.text);
    pendingCursor.current = next.cursor;
    suggest(next.text, next.cursor);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const open = completion !== null;
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      suggest(draft, e.currentTarget.selectionStart ?? draft.length, true);
      return;
    }
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const n = completion.options.length;
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
      return;
    }
    if (open && (e.key === 'Enter' || e.key === 'Tab')) {
      e.preventDefault();
      accept(active);
      return;
    }
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      setCompletion(null);
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      setCompletion(null);
      onApply(draft.trim());
    }
  };

  const column = error ? errorColumn(error.error.message) : null;
  const caret = useMemo(
    () => (error && column !== null ? `${error.filter}\n${' '.repeat(Math.max(0, column - 1))}^` : null),
    [error, column],
  );
  const activeId = completion ? `${LIST_ID}-${active}` : undefined;

  return (
    <div className="runs-filter">
      <div className="runs-filter-row">
        <span className="runs-filter-icon" aria-hidden="true">
          ⌕
        </span>
        <input
          ref={input}
          className={`field-input runs-filter-input${error ? ' invalid' : ''}`}
          role="combobox"
          aria-label="Filter runs"
          aria-expanded={completion !== null}
          aria-controls={LIST_ID}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          aria-describedby={error ? 'runs-filter-error' : 'runs-filter-help'}
          aria-invalid={error ? true : undefined}
          spellCheck={false}
          autoComplete="off"
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            suggest(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setCompletion(null)}
        />
        {draft !== '' || applied !== '' ? (
          <button
            type="button"
            className="icon-button runs-filter-clear"
            aria-label="Clear filter"
            onClick={() => {
              setDraft('');
              setCompletion(null);
              onApply('');
              input.current?.focus();
            }}
          >
            ×
          </button>
        ) : null}
        <button type="button" onClick={() => onApply(draft.trim())}>
          Apply
        </button>
        {completion ? (
          <ul id={LIST_ID} role="listbox" aria-label="Suggestions" className="runs-filter-options">
            {completion.options.map((o, i) => (
              <li
                key={`${o.detail}:${o.label}`}
                id={`${LIST_ID}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  accept(i);
                }}
              >
                <span className="opt-label">{o.label}</span>
                <span className="opt-detail">{o.detail}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {error ? (
        <div id="runs-filter-error" className="runs-filter-error" role="alert">
          <p>{error.error.message}</p>
          {caret ? (
            <pre className="runs-filter-caret" aria-hidden="true">
              {caret}
            </pre>
          ) : null}
          {error.error.hint && !/\n *\^$/.test(error.error.hint) ? <p className="hint">{error.error.hint}</p> : null}
        </div>
      ) : (
        <p id="runs-filter-help" className="muted field-help">
          For example <code>metrics.accuracy &gt; 0.9 and params.model = 'rf'</code>; also <code>or</code>,{' '}
          <code>not</code>, <code>in (…)</code>, <code>like</code>, and <code>status</code>, <code>name</code>,{' '}
          <code>start_time</code>, <code>duration</code>. Ctrl+Space suggests fields.
        </p>
      )}
    </div>
  );
}

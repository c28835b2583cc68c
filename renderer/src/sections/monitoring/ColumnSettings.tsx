// Runs in: renderer. Per-column overrides of a drift report: the column's type, its test (from the
// tests the core offers by name, those that fit the type) and threshold, or leaving it out. The
// report runs again with them as the request's `columns` and `exclude`, so an export carries the same
// choices.
import type { DriftColumn } from '../../../../shared/contract';
import { cleanOverrides, type ColumnOverrides } from './drift-sources';
import { COLUMN_TYPES, DRIFT_TEST_CHOICES, testsFor, type ColumnType, type DriftTest } from './drift-tests';

type Override = ColumnOverrides[string];

export function ColumnSettings({
  columns,
  overrides,
  onChange,
  onRun,
  running,
  changed,
  exclude,
  onExclude,
}: {
  columns: DriftColumn[];
  overrides: ColumnOverrides;
  onChange: (next: ColumnOverrides) => void;
  /** Columns to leave out on the next run. */
  exclude: string[];
  onExclude: (next: string[]) => void;
  onRun: () => void;
  running: boolean;
  /** The settings differ from those of the report on screen. */
  changed: boolean;
}) {
  const set = (name: string, patch: Partial<Override>) => {
    const next: Override = { ...overrides[name], ...patch };
    // A test that does not fit the new type is dropped rather than sent to fail.
    if (patch.type && next.test && !testsFor(patch.type).includes(next.test)) delete next.test;
    for (const k of Object.keys(next) as (keyof Override)[]) if (next[k] === undefined) delete next[k];
    onChange({ ...overrides, [name]: next });
  };
  return (
    <div className="column-settings">
      <p className="muted field-help" id="column-settings-help">
        Leave a field on its default to let Benchtop infer the type and choose the test by the usual convention; a
        threshold left empty is the test's own (0.05 for p-values, 0.1 for distances).
      </p>
      <div className="table-scroll">
        <table className="grid" aria-label="Column settings" aria-describedby="column-settings-help">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th>Test</th>
              <th className="num">Threshold</th>
              <th>Leave out</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => {
              const o = overrides[c.name] ?? {};
              const type: ColumnType = o.type ?? c.type;
              const tests = testsFor(type);
              return (
                <tr key={c.name}>
                  <td>
                    <strong>{c.name}</strong>
                    {c.role !== 'feature' ? <span className="badge">{c.role}</span> : null}
                  </td>
                  <td>
                    <select
                      aria-label={`Type of ${c.name}`}
                      className="field-input"
                      value={o.type ?? ''}
                      onChange={(e) => set(c.name, { type: (e.target.value || undefined) as ColumnType | undefined })}
                    >
                      <option value="">{c.typeGiven ? 'inferred' : `inferred (${c.type})`}</option>
                      {COLUMN_TYPES.map((t) => (
                        <option key={t} value={t}>
                          {t}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      aria-label={`Test of ${c.name}`}
                      className="field-input"
                      value={o.test ?? ''}
                      disabled={tests.length === 0}
                      onChange={(e) => set(c.name, { test: (e.target.value || undefined) as DriftTest | undefined })}
                    >
                      <option value="">
                        {tests.length === 0
                          ? 'not tested (text)'
                          : !o.type && c.test
                            ? `default (${c.test})`
                            : 'default'}
                      </option>
                      {tests.map((t) => (
                        <option key={t} value={t}>
                          {t} — {DRIFT_TEST_CHOICES[t].title}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="num">
                    <input
                      type="number"
                      aria-label={`Threshold of ${c.name}`}
                      className="field-input"
                      min={0}
                      step="any"
                      value={o.threshold ?? ''}
                      disabled={tests.length === 0}
                      onChange={(e) =>
                        set(c.name, { threshold: e.target.value === '' ? undefined : Number(e.target.value) })
                      }
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Leave out ${c.name}`}
                      checked={exclude.includes(c.name)}
                      onChange={(e) =>
                        onExclude(e.target.checked ? [...exclude, c.name] : exclude.filter((n) => n !== c.name))
                      }
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="toolbar">
        <button type="button" className="primary" disabled={running || !changed} onClick={onRun}>
          {running ? 'Running…' : 'Run again with these settings'}
        </button>
        <button
          type="button"
          disabled={running || Object.keys(cleanOverrides(overrides)).length === 0}
          onClick={() => onChange({})}
        >
          Reset to defaults
        </button>
      </div>
    </div>
  );
}

// Runs in: renderer. The status badges of a tracked dataset.
import type { DataStatusRow } from '../../../../shared/contract';
import { statusBadges } from './data-format';

export function StatusBadges({ row }: { row: DataStatusRow }) {
  return (
    <span className="badges">
      {statusBadges(row).map((b) => (
        <span key={b.label} className={`data-badge tone-${b.tone}`} title={b.detail}>
          <span className="badge-label">{b.label}</span>
          <span className="visually-hidden">: {b.detail}</span>
        </span>
      ))}
    </span>
  );
}

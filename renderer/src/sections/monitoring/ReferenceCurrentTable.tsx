// Runs in: renderer. The monitoring views' two-sided table: one row per statistic or metric, its
// value on the reference and on the current data, already formatted by the caller (the column
// summaries and the model performance card each have their own notion of a missing value).
export type ReferenceCurrentRow = readonly [name: string, reference: string, current: string];

export function ReferenceCurrentTable({
  label,
  rowHeading,
  rows,
}: {
  label: string;
  rowHeading: string;
  rows: readonly ReferenceCurrentRow[];
}) {
  return (
    <table className="grid compact" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{rowHeading}</th>
          <th scope="col" className="num">
            Reference
          </th>
          <th scope="col" className="num">
            Current
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, reference, current]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td className="num">{reference}</td>
            <td className="num">{current}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Runs in: renderer. The input signature of a version: the columns it expects and their types, and
// where the signature came from (given, or a dataset's pointer schema).
import type { ModelSignature } from '../../../../shared/contract';

export function SignatureTable({ signature }: { signature: ModelSignature | null }) {
  if (!signature || signature.inputs.length === 0) {
    return (
      <p className="muted">
        No signature: it is read from the schema of the tracked training data when the run logged its data inputs, or
        given at registration.
      </p>
    );
  }
  return (
    <>
      <p className="muted field-help">
        {signature.inputs.length.toLocaleString()} input column{signature.inputs.length === 1 ? '' : 's'} · from{' '}
        <code>{signature.source}</code>
      </p>
      <div className="table-scroll">
        <table className="grid compact" aria-label="Signature">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {signature.inputs.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td>{c.type}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

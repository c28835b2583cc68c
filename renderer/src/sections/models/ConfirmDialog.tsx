// Runs in: renderer. Asks before archiving, restoring, deleting a version or removing an alias:
// says what will happen; an optional reason goes to the alias audit log.
import { useId, useState } from 'react';
import { Dialog } from './Dialog';

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger,
  withReason,
  onCancel,
  onConfirm,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  withReason?: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const whatId = useId();
  const confirm = () => {
    setBusy(true);
    // The caller reports failures (as a toast) and closes the dialog either way.
    void onConfirm(reason.trim()).finally(() => setBusy(false));
  };
  return (
    <Dialog title={title} describedBy={whatId} onCancel={onCancel}>
      <p id={whatId}>{message}</p>
      {withReason ? (
        <label className="form-field">
          Reason (kept in the audit log)
          <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
        </label>
      ) : null}
      <div className="row actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className={danger ? 'danger solid' : 'primary'} onClick={confirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

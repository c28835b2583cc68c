// Runs in: renderer. Asks before a destructive or notable act (deleting a version or a monitor,
// moving an alias, resetting the demo): says what will happen; an optional reason can be asked for.
import { useId, useState } from 'react';
import { Dialog } from './Dialog';
import { TextField } from './TextField';

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
        <TextField
          label="Reason (kept in the audit log)"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={2000}
        />
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

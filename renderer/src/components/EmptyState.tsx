// Runs in: renderer. What a section shows when there is nothing yet: what it is for, and a button
// that does the first step (opens the dialog that adds one), or copies the command when only a
// terminal can do it.
import type { ReactNode } from 'react';
import { copyCommand } from './copy';

export interface EmptyAction {
  label: string;
  onClick: () => void;
}

export function EmptyState({
  title,
  children,
  command,
  action,
  secondary,
  dialog,
}: {
  title: string;
  children: ReactNode;
  command?: string;
  /** The first step, as the primary button. */
  action?: EmptyAction;
  /** Another way to start, beside it. */
  secondary?: EmptyAction;
  /** The dialog an action opened, kept out of the status region so it is not read out as news. */
  dialog?: ReactNode;
}) {
  return (
    <>
      <div className="empty" role="status">
        <h2>{title}</h2>
        <div className="empty-body">{children}</div>
        {command ? (
          <pre className="command" aria-label="command to run">
            <code>{command}</code>
          </pre>
        ) : null}
        {action || secondary || command ? (
          <div className="row empty-actions">
            {action ? (
              <button type="button" className="primary" onClick={action.onClick}>
                {action.label}
              </button>
            ) : null}
            {command ? (
              // Primary only when copying is the whole first step.
              <button
                type="button"
                className={action ? undefined : 'primary'}
                onClick={() => void copyCommand(command)}
              >
                Copy command
              </button>
            ) : null}
            {secondary ? (
              <button type="button" onClick={secondary.onClick}>
                {secondary.label}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      {dialog}
    </>
  );
}

// Runs in: renderer. What a running deployment reported that the user should see without watching a
// terminal: the alias moved to a version that could not be served (the old one keeps answering), or
// a warning. The core keeps the latest (deployments.list) and clears a failed switch once a later
// switch succeeds; Dismiss hides one the user has read.
import { useState } from 'react';
import type { Deployment, DeploymentNotice as Notice } from '../../../../shared/contract';
import { formatDate } from '../../components/format';

/** Notices dismissed in this window, by deployment and time, so they stay hidden when the panel remounts. */
const dismissed = new Set<string>();
const keyOf = (d: Deployment, n: Notice): string => `${d.id} ${n.at}`;

const TITLES: Record<Notice['kind'], string> = {
  'switch-failed': 'The new version could not be served',
  warning: 'Warning',
};

export function DeploymentNotice({ d }: { d: Deployment }) {
  const [, setHidden] = useState(0);
  const n = d.notice;
  if (!n || dismissed.has(keyOf(d, n))) return null;
  const dismiss = () => {
    dismissed.add(keyOf(d, n));
    setHidden((x) => x + 1);
  };
  return (
    <div className={`deploy-notice deploy-notice-${n.kind}`} role="alert" aria-label="Deployment notice">
      <div className="deploy-notice-text">
        <strong>
          {n.kind === 'switch-failed' && n.toVersion !== null
            ? `Version ${n.toVersion} could not be served`
            : TITLES[n.kind]}
        </strong>{' '}
        <time className="muted" dateTime={n.at}>
          {formatDate(n.at)}
        </time>
        <p>{n.message}</p>
        {n.kind === 'switch-failed' ? (
          <p className="hint">
            Register a version that starts, and move the alias to it; this notice clears when the switch succeeds.
          </p>
        ) : null}
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss the notice" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}

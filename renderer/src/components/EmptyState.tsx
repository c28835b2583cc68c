// Runs in: renderer. What a section shows when there is nothing yet: what it is for and what to do.
import type { ReactNode } from 'react';

export function EmptyState({ title, children, command }: { title: string; children: ReactNode; command?: string }) {
  return (
    <div className="empty" role="status">
      <h2>{title}</h2>
      <div className="empty-body">{children}</div>
      {command ? (
        <pre className="command" aria-label="command to run">
          <code>{command}</code>
        </pre>
      ) : null}
    </div>
  );
}

// Runs in: renderer. A version's row menu: set an alias, archive or restore, delete. Arrow keys move
// between the items; each opens a dialog that asks before anything changes.
import { useRef, useState, type KeyboardEvent } from 'react';
import type { ModelVersionSummary } from '../../../../shared/contract';
import { MoreIcon } from '../../components/icons';
import { Popover } from '../../components/Popover';

/** What a version's menu (and its row's buttons) can ask for. */
export type VersionAction = 'alias' | 'archive' | 'restore' | 'delete';

function moveFocus(e: KeyboardEvent<HTMLDivElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  const items = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')];
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
}

export function VersionMenu({
  version,
  onAction,
}: {
  version: ModelVersionSummary;
  onAction: (action: VersionAction, version: ModelVersionSummary) => void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement | null>(null);
  const pick = (action: VersionAction) => {
    setOpen(false);
    // The dialog hands focus back to whatever had it when it opened: the menu's button.
    button.current?.focus();
    onAction(action, version);
  };
  const label = `v${version.version}`;
  return (
    <>
      <button
        ref={button}
        type="button"
        className="icon-button version-menu-button"
        aria-label={`Actions for ${label}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <MoreIcon />
      </button>
      {open ? (
        <Popover anchor={button.current} onClose={() => setOpen(false)} label={`Actions for ${label}`} role="menu">
          <div className="menu-items" onKeyDown={moveFocus}>
            {version.archived ? null : (
              <button type="button" role="menuitem" onClick={() => pick('alias')}>
                Set alias…
              </button>
            )}
            <button type="button" role="menuitem" onClick={() => pick(version.archived ? 'restore' : 'archive')}>
              {version.archived ? 'Restore…' : 'Archive…'}
            </button>
            <button type="button" role="menuitem" className="danger-text" onClick={() => pick('delete')}>
              Delete…
            </button>
          </div>
        </Popover>
      ) : null}
    </>
  );
}

// Runs in: renderer. Copies a command to the clipboard and says so in a toast, for the things only
// a terminal can do (logging a first run): the user pastes it rather than retyping it.
import { toastError, useApp } from '../store/app-store';

/** The clipboard API where the page may use it, else a selected textarea and the copy command. */
async function write(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // No permission (an unfocused or embedded page): the older way still works on a click.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('The browser refused to copy.');
}

export async function copyCommand(text: string): Promise<void> {
  try {
    await write(text);
    useApp.getState().toast({ kind: 'info', title: 'Copied', message: text });
  } catch (err) {
    toastError('Could not copy the command', err);
  }
}

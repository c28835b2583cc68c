// Runs in: renderer. A run's notes shown as light markdown (headings, lists, paragraphs, `code`),
// built from React text nodes only: whatever the notes contain, no markup from them reaches the DOM.
import type { ReactNode } from 'react';
import { noteBlocks } from '../../../../shared/markdown/note-blocks';

function inline(text: string): ReactNode[] {
  // Odd pieces between backticks are code.
  return text.split('`').map((piece, i) => (i % 2 === 1 ? <code key={i}>{piece}</code> : piece));
}

export function NotesText({ notes }: { notes: string }) {
  return (
    <div className="notes-text">
      {noteBlocks(notes).map((b, i) => {
        if (b.kind === 'heading')
          return (
            <h4 key={i} className={`note-h${b.level}`}>
              {inline(b.text)}
            </h4>
          );
        if (b.kind === 'list')
          return (
            <ul key={i}>
              {b.items.map((it, j) => (
                <li key={j}>{inline(it)}</li>
              ))}
            </ul>
          );
        return <p key={i}>{inline(b.text)}</p>;
      })}
    </div>
  );
}

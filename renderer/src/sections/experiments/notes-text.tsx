// Runs in: renderer. A run's notes shown as light markdown (headings, lists, paragraphs, `code`),
// built from React text nodes only: whatever the notes contain, no markup from them reaches the DOM.
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  // Odd pieces between backticks are code.
  return text.split('`').map((piece, i) => (i % 2 === 1 ? <code key={i}>{piece}</code> : piece));
}

export type NoteBlock = { kind: 'heading'; level: number; text: string } | { kind: 'list'; items: string[] } | { kind: 'paragraph'; text: string };

/** Splits notes into blocks: `#` headings, `-`/`*` list items, paragraphs separated by blank lines. */
export function noteBlocks(notes: string): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'paragraph', text: para.join('\n') });
    para = [];
  };
  for (const raw of notes.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
    } else if (item) {
      flush();
      const last = blocks[blocks.length - 1];
      if (last?.kind === 'list') last.items.push(item[1]!);
      else blocks.push({ kind: 'list', items: [item[1]!] });
    } else if (line.trim() === '') flush();
    else para.push(line);
  }
  flush();
  return blocks;
}

export function NotesText({ notes }: { notes: string }) {
  return (
    <div className="notes-text">
      {noteBlocks(notes).map((b, i) => {
        if (b.kind === 'heading') return <h4 key={i} className={`note-h${b.level}`}>{inline(b.text)}</h4>;
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

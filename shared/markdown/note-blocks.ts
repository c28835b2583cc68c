// Runs in: main and renderer. Light markdown (notes, a model card's intended use and limitations)
// split into blocks (headings, list items, paragraphs) as plain strings: the renderer turns them into
// React elements (notes-text.tsx), the reports module into escaped HTML; neither parses markup.

export type NoteBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'paragraph'; text: string };

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

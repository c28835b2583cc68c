// Runs in: main (core) and CLI. Light markdown (a model card's intended use and limitations) as
// escaped HTML: the shared block splitter decides the structure, every piece of text goes through
// the escaping template, so no markup written by a user ever reaches the page.
import { noteBlocks } from '../../../shared/markdown/note-blocks';
import { Html, html, join } from './html';

/** `code` between backticks; everything else is text. The same reading as the renderer's notes. */
function inline(text: string): Html {
  return join(text.split('`').map((piece, i) => (i % 2 === 1 ? html`<code>${piece}</code>` : html`${piece}`)));
}

/**
 * Markdown blocks as HTML. Headings are shifted down by `headingOffset` so a `#` in a card section
 * never outranks the section's own heading.
 */
export function markdownHtml(text: string, headingOffset = 2): Html {
  return join(
    noteBlocks(text).map((b) => {
      if (b.kind === 'heading') {
        const level = Math.min(6, b.level + headingOffset);
        // The level is a number computed here, so it may form the tag; the text is escaped.
        return new Html(`<h${level}>${inline(b.text).text}</h${level}>`);
      }
      if (b.kind === 'list') return html`<ul>${b.items.map((item) => html`<li>${inline(item)}</li>`)}</ul>`;
      return html`<p class="md">${inline(b.text)}</p>`;
    }),
  );
}

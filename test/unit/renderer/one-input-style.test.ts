// Runs in: vitest (node). Text fields once looked different from one form to another: every text
// input, select and text area in the renderer wears the shared `field-input` style (TextField.tsx
// and field.css), whether it is a TextField or sits inline in a toolbar or a table cell. The JSX is
// read with the TypeScript parser, so attribute order and arrow functions do not fool the check.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = path.resolve(__dirname, '../../../renderer/src');
const CONTROLS = new Set(['input', 'select', 'textarea']);
const NOT_TEXT = new Set(['checkbox', 'radio', 'file', 'hidden', 'range', 'color']);

/** `file:line: <tag>` for each text control in this TSX source whose className lacks field-input. */
function unstyledControls(name: string, text: string): string[] {
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isJsxSelfClosingElement(node) || ts.isJsxOpeningElement(node)) && CONTROLS.has(node.tagName.getText())) {
      const attr = (key: string) =>
        node.attributes.properties.find((p): p is ts.JsxAttribute => ts.isJsxAttribute(p) && p.name.getText() === key);
      const type = attr('type')?.initializer;
      const isText = !(type && ts.isStringLiteral(type) && NOT_TEXT.has(type.text));
      const className = attr('className')?.initializer?.getText() ?? '';
      if (isText && !className.includes('field-input')) {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${name}:${line + 1}: <${node.tagName.getText()}> without className field-input`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('one look for every text field', () => {
  it('every text input, select and text area in the renderer uses the shared field style', () => {
    const files = readdirSync(src, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.tsx'))
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => !f.endsWith(path.join('components', 'TextField.tsx')));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => unstyledControls(path.relative(src, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('tells a styled control from an unstyled one, whatever the attribute order', () => {
    const jsx = (body: string) => unstyledControls('x.tsx', `const x = <>${body}</>;`);
    expect(jsx('<input onChange={(e) => f(e)} value={v} />')).toHaveLength(1);
    expect(jsx('<input onChange={(e) => f(e)} className="field-input" />')).toHaveLength(0);
    expect(jsx('<select value={v}><option /></select>')).toHaveLength(1);
    expect(jsx('<textarea className={`field-input ${x}`} />')).toHaveLength(0);
    expect(jsx('<input type="checkbox" checked />')).toHaveLength(0);
  });
});

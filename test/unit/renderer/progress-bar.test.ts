// The progress bar's markup: determinate with aria-valuenow and a width, indeterminate without.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../../renderer/src/components/ProgressBar';

describe('ProgressBar', () => {
  it('is determinate when the percentage is known', () => {
    const html = renderToStaticMarkup(createElement(ProgressBar, { label: 'Tracking 2 items', percent: 40 }));
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="40"');
    expect(html).toContain('width:40%');
    expect(html).toContain('40%</span>');
    expect(html).not.toContain('indeterminate');
  });

  it('is indeterminate, without a value, before the total is known', () => {
    const html = renderToStaticMarkup(
      createElement(ProgressBar, { label: 'Restoring', percent: null, detail: 'starting…' }),
    );
    expect(html).toContain('indeterminate');
    expect(html).not.toContain('aria-valuenow');
    expect(html).toContain('starting…');
  });
});

import { describe, expect, it } from '@jest/globals';
import { escapeHtml, wantsHtml } from '../../../shared/certificates/page.js';

describe('which answer a caller gets', () => {
  it.each([
    ['text/html', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/html;q=0.8, application/json;q=0.8', true],
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/html;q=0.5', false],
    ['text/html;q=0', false],
    ['text/html;q=abc', false],
  ])('Accept %p → page %p', (accept, page) => {
    expect(wantsHtml(accept)).toBe(page);
  });
});

describe('escaping', () => {
  it('leaves no markup or attribute break-out', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { html, jsonScript, safeUrl, trusted } from './html';

describe('html', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(String(html`<a title="${hostile}">${hostile}</a>`)).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>',
    );
  });

  it('keeps markup built by html or marked trusted, and skips null, undefined and false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(
      String(html`<p>${inner}${trusted('<em>ok</em>')}${null}${undefined}${false}${[inner, 1]}</p>`),
    ).toBe('<p><b>&lt;i&gt;</b><em>ok</em><b>&lt;i&gt;</b>1</p>');
  });

  it('writes JSON that cannot close its script element', () => {
    const value = { name: '</script><script>alert(1)</script> & \u2028' };
    const text = String(jsonScript(value));
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('keeps only http(s) URLs', () => {
    expect(safeUrl('https://example.org/a')).toBe('https://example.org/a');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,x')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl(null)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { renderMarkdown, safeLinkTarget } from './markdown';

/** What no rendering may ever contain: markup of the author's, script URLs, event handlers. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<(?!\/?(p|br|em|strong|code|pre|h[1-6]|ul|ol|li|blockquote|hr|a)\b)/i);
  expect(html).not.toMatch(/<a (?!href="(https?:|mailto:)[^"]*" rel="nofollow ugc noopener">)/);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
}

describe('renderMarkdown', () => {
  it('renders the Markdown people write in comments', () => {
    expect(renderMarkdown('Hello **world** and *you*')).toBe(
      '<p>Hello <strong>world</strong> and <em>you</em></p>',
    );
    expect(renderMarkdown('# Title\n\n- one\n- two\n\n1. first\n2. second')).toBe(
      '<h1>Title</h1>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>',
    );
    expect(renderMarkdown('See [the data](https://example.org/a?b=1&c=2).')).toBe(
      '<p>See <a href="https://example.org/a?b&#61;1&amp;c&#61;2" rel="nofollow ugc noopener">the data</a>.</p>',
    );
    expect(renderMarkdown('Line one\nline two')).toBe('<p>Line one<br>\nline two</p>');
    expect(renderMarkdown('```\n<b>code</b>\n```')).toBe('<pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>');
    expect(renderMarkdown('> quoted')).toBe('<blockquote><p>quoted</p></blockquote>');
    expect(renderMarkdown('Go to https://example.org/x.')).toBe(
      '<p>Go to <a href="https://example.org/x" rel="nofollow ugc noopener">https://example.org/x</a>.</p>',
    );
  });

  const hostile = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click]( javascript:alert(1))',
    '[click](java\tscript:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD4=)',
    '[click](vbscript:msgbox(1))',
    '[click](&#106;avascript:alert(1))',
    '[click](https://ok.example/" onmouseover="alert(1))',
    "[click](https://ok.example/' onmouseover='alert(1))",
    '[x](https://a.example/`onfocus=alert(1)`)',
    'https://a.example/"><script>alert(1)</script>',
    '**<iframe src=//evil>**',
    '`<script>` and <style>body{}</style>',
    '<<script>script>alert(1)<</script>/script>',
    '\u0000<script>alert(1)</script>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '# <h1 onclick=alert(1)>',
    '- <li onmouseover=alert(1)>',
    '> <blockquote onclick=alert(1)>',
    '[<img src=x onerror=alert(1)>](https://ok.example/)',
  ];
  it.each(hostile)('keeps hostile input inert: %s', (input) => {
    const html = renderMarkdown(input);
    expectInert(html);
    expect(html).not.toContain('<script');
  });

  it('stays fast and bounded on pathological input', () => {
    const inputs = [
      '*'.repeat(50_000),
      '_'.repeat(50_000),
      '>'.repeat(50_000),
      '['.repeat(25_000) + ']('.repeat(12_000),
      `${'**a'.repeat(16_000)}`,
      `https://${'a'.repeat(49_000)}`,
      '`'.repeat(50_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      expectInert(renderMarkdown(input));
      // A generous bound: catastrophic backtracking would take minutes, not seconds.
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });

  it('keeps only absolute http(s) and mailto link targets', () => {
    expect(safeLinkTarget('https://example.org/')).toBe('https://example.org/');
    expect(safeLinkTarget('mailto:someone@example.org')).toBe('mailto:someone@example.org');
    for (const target of ['javascript:alert(1)', '//evil.example', '/relative', 'ftp://x', 'http://a b']) {
      expect(safeLinkTarget(target)).toBeNull();
    }
  });
});

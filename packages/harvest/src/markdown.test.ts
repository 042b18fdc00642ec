import { beforeAll, describe, expect, it } from 'vitest';
import { descriptionToMarkdown, loadMarkdownConverter } from './markdown';

beforeAll(loadMarkdownConverter);

describe('descriptions to Markdown', () => {
  it('converts HTML and keeps plain text as written', () => {
    expect(descriptionToMarkdown('<p>Une <b>liste</b> :</p><ul><li>un</li><li>deux</li></ul>')).toBe(
      'Une **liste** :\n\n* un\n* deux',
    );
    expect(descriptionToMarkdown('<a href="https://example.org">lien</a>')).toBe(
      '[lien](https://example.org)',
    );
    expect(descriptionToMarkdown('1 < 2 and *stars* stay')).toBe('1 < 2 and *stars* stay');
    expect(descriptionToMarkdown(null)).toBe('');
  });

  // A converter that stalled on such markup would run into the test timeout.
  it('strips markup too deep or too large to convert in time instead of stalling', () => {
    const deep = `${'<div>'.repeat(20_000)}deep text${'</div>'.repeat(20_000)}`;
    expect(descriptionToMarkdown(deep)).toContain('deep text');
    const unclosed = `${'<b><i>'.repeat(10_000)}end`;
    expect(descriptionToMarkdown(unclosed)).toContain('end');
  });
});

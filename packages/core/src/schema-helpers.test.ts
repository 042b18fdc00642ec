import { describe, expect, it } from 'vitest';
import { optionalLine, requiredLine, singleLine } from './schema-helpers';

describe('titles and names on one line', () => {
  it('turns each run of line breaks or tabs into one space and drops other control characters', () => {
    expect(singleLine('Budget\r\n\r\n2024\t(v2)')).toBe('Budget 2024 (v2)');
    expect(singleLine('a\u2028b\u0085c')).toBe('a b c');
    expect(singleLine('nul\u0000 et\u007f del\u009b')).toBe('nul et del');
    expect(singleLine('Données été — 2024')).toBe('Données été — 2024');
  });

  it('checks the length and blankness of what is left', () => {
    expect(requiredLine(20).parse('  Budget\n2024 ')).toBe('Budget 2024');
    expect(requiredLine(20).safeParse('\n\t\u0000').error?.issues[0]?.message).toBe(
      'This field is required.',
    );
    expect(requiredLine(5).safeParse('abc\n\ndef').error?.issues[0]?.message).toBe('At most 5 characters.');
    expect(optionalLine(20).parse('\r\n')).toBeNull();
    expect(optionalLine(20).parse('a\nb')).toBe('a b');
  });
});

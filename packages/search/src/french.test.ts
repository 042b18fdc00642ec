import { describe, expect, it } from 'vitest';
import { analyze, stem } from './french';

describe('French analysis', () => {
  it('folds accents, drops elided articles and stop words', () => {
    expect(analyze("Qualité de l'eau à Saint-Étienne")).toEqual(['qualit', 'eau', 'saint', 'etienn']);
    expect(analyze('jusqu’au bout')).toEqual(['bout']);
  });

  it('brings plural and feminine forms together', () => {
    const pairs = [
      ['transports', 'transport'],
      ['données', 'donnee'],
      ['énergies', 'energie'],
      ['communales', 'communal'],
      ['hôpitaux', 'hopital'],
      ['réseaux', 'reseau'],
      ['routières', 'routier'],
      ['électricité', 'electricite'],
    ];
    for (const [a, b] of pairs) expect(analyze(a as string)).toEqual(analyze(b as string));
  });

  it('leaves short words and numbers as they are', () => {
    expect(stem('dvf')).toBe('dvf');
    expect(stem('2024s')).toBe('2024s');
    expect(analyze('INSEE 2024')).toEqual(['inse', '2024']);
  });
});

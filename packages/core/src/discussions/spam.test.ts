import { describe, expect, it } from 'vitest';
import { parseBannedWords, spamReason } from './spam';

describe('the obvious-spam rule', () => {
  const banned = parseBannedWords('Casino en ligne, pilulesmiracle');

  it('publishes what a person writes in good faith', () => {
    for (const text of [
      'Bonjour, la colonne « code_insee » est vide pour 2023. Pouvez-vous vérifier ?',
      'The file is here: https://example.org/data.csv, but the header changed.',
      'Merci !',
      'ok ok ok',
      'Voir https://example.org/a et https://example.org/b pour les deux versions.',
    ]) {
      expect(spamReason(text, banned), text).toBeNull();
    }
  });

  it('holds links alone', () => {
    expect(spamReason('https://spam.example/buy', banned)).toBe('links-only');
    expect(spamReason('https://a.example\nhttps://b.example\n[x](https://c.example)', banned)).toBe(
      'links-only',
    );
    expect(spamReason('  www.spam.example  ', banned)).toBe('links-only');
  });

  it('holds repeated text', () => {
    expect(spamReason('buy '.repeat(30), banned)).toBe('repeated-text');
    expect(spamReason('Cheap watches here!\n'.repeat(5), banned)).toBe('repeated-text');
  });

  it('holds the banned words of the configuration, whatever their case and accents', () => {
    expect(spamReason('Le meilleur CASINO EN LIGNE est ici', banned)).toBe('banned-word');
    expect(spamReason('Achetez PilulesMiracle', banned)).toBe('banned-word');
    expect(spamReason('Casino en lignes', banned)).toBeNull();
    expect(spamReason('casino', banned)).toBeNull();
    expect(spamReason('anything', [])).toBeNull();
  });
});

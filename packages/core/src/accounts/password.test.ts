import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PASSWORD_COST,
  dummyPasswordHash,
  hashPassword,
  PasswordCostSchema,
  verifyPassword,
} from './password';

describe('password hashes', () => {
  it('keeps the work factor in the hash, so hashes of any cost verify', async () => {
    const cheap = await hashPassword('Secret123', 10);
    expect(cheap.split('$').slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(await verifyPassword('Secret123', cheap)).toBe(true);
    expect(await verifyPassword('Secret124', cheap)).toBe(false);
    const standard = await hashPassword('Secret123');
    expect(standard.split('$')[1]).toBe(String(2 ** DEFAULT_PASSWORD_COST));
    expect(await verifyPassword('Secret123', standard)).toBe(true);
  });

  it('verifies no password against the stand-in hash for unknown emails, at the same cost', async () => {
    expect(dummyPasswordHash(12).split('$')[1]).toBe('4096');
    expect(await verifyPassword('Secret123', dummyPasswordHash(10))).toBe(false);
  });

  it('refuses a work factor too weak or too slow to be configured', () => {
    expect(PasswordCostSchema.parse(undefined)).toBe(15);
    expect(PasswordCostSchema.parse('10')).toBe(10);
    expect(() => PasswordCostSchema.parse('8')).toThrow();
    expect(() => PasswordCostSchema.parse('21')).toThrow();
  });
});

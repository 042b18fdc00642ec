import { createHash } from 'node:crypto';
import { SNIFF_BYTES } from '@portail/core';
import { describe, expect, it } from 'vitest';
import { measure } from './measure';

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

describe('measure', () => {
  it('computes size, SHA-1 and SHA-256 of known bytes, whatever the chunking', async () => {
    const measured = await measure(chunks('hel', 'lo wor', 'ld'), 1000);
    expect(measured).toMatchObject({
      size: 11,
      truncated: false,
      sha1: '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed',
      sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
    });
    expect(new TextDecoder().decode(measured.head)).toBe('hello world');
  });

  it('hashes the empty file as the standard digests of nothing', async () => {
    const measured = await measure(chunks(), 10);
    expect(measured).toMatchObject({
      size: 0,
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it('keeps only the first bytes for sniffing, across chunk boundaries', async () => {
    const big = new Uint8Array(SNIFF_BYTES * 3).map((_, index) => index % 251);
    const measured = await measure(chunks(big.subarray(0, 100), big.subarray(100)), big.length);
    expect(measured.head).toEqual(big.subarray(0, SNIFF_BYTES));
    expect(measured.sha256).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('stops reading past the limit and says so', async () => {
    let read = 0;
    async function* endless() {
      for (;;) {
        read++;
        yield new Uint8Array(1000);
      }
    }
    const measured = await measure(endless(), 2500);
    expect(measured).toMatchObject({ truncated: true, sha1: '', sha256: '' });
    expect(read).toBe(3);
  });
});

describe('measure: the markup view', () => {
  it('skips leading whitespace and NUL bytes however long they run, and drops NULs after', async () => {
    const spaces = new Uint8Array(20_000).fill(0x20);
    const utf16 = new Uint8Array([...'<script>'].flatMap((c) => [c.charCodeAt(0), 0]));
    const measured = await measure(chunks(spaces.subarray(0, 7000), spaces.subarray(7000), utf16), 100_000);
    expect(new TextDecoder().decode(measured.markup)).toBe('<script>');
    expect(measured.head).toEqual(spaces.subarray(0, SNIFF_BYTES));
  });
});

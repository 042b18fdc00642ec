import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sources(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (name === 'node_modules') return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
  });
}

describe('request paths', () => {
  it('never Scan the table (every access is a key lookup or a Query)', () => {
    const files = [
      ...sources(path.join(root, 'functions')),
      ...sources(path.join(root, 'packages/store/src')),
      ...sources(path.join(root, 'packages/http/src')),
    ];
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => /\bScanCommand\b|\.scan\(/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

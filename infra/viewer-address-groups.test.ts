import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GROUP_ACCESS } from './group-access';

const functionsDirectory = path.resolve(import.meta.dirname, '../functions');

/**
 * A group given the origin secret's ARN (`viewerAddress`) must read it at cold start, or deployed it never
 * believes a viewer's address and counts every visitor of an edge as one; a group that reads it must be
 * given it, or it stops at start.
 */
describe('groups that count viewers', () => {
  it('read the origin secret at cold start exactly when the stack gives them its ARN', () => {
    for (const [group, access] of Object.entries(GROUP_ACCESS)) {
      const entry = path.join(functionsDirectory, group, 'entry.ts');
      if (!existsSync(entry)) continue;
      const reads = /await[^;]*loadOriginSecret\(\)/.test(readFileSync(entry, 'utf8'));
      expect(reads, group).toBe(access.viewerAddress === true);
    }
  });
});

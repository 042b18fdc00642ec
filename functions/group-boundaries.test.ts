import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeGroups } from './routes';

const here = import.meta.dirname;

/** Every module of a group's folder, with the relative imports it makes. */
function importsOf(group: string): { file: string; target: string }[] {
  return readdirSync(join(here, group))
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(join(here, group, file), 'utf8').matchAll(/from '(\.\.\/[^']+)'/g)].map((match) => ({
        file: `${group}/${file}`,
        target: match[1] ?? '',
      })),
    );
}

describe('route groups', () => {
  it('import nothing from another group: what they share lives in a package', () => {
    const crossings = routeGroups.flatMap((group) =>
      importsOf(group).filter(({ target }) =>
        routeGroups.some((other) => other !== group && target.startsWith(`../${other}/`)),
      ),
    );
    expect(crossings).toEqual([]);
  });
});

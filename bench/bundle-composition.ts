import type { Metafile } from 'esbuild';

export interface Contributor {
  origin: string;
  bytes: number;
}

/** Which package a bundled input comes from: the innermost node_modules package, or our own folder. */
function originOf(input: string): string {
  const segments = input.split(/[\\/]/);
  const last = segments.lastIndexOf('node_modules');
  if (last >= 0) {
    const first = segments[last + 1] ?? input;
    return first.startsWith('@') ? `${first}/${segments[last + 2]}` : first;
  }
  if (segments[0] === 'packages' && segments[1]) return `@portail/${segments[1]}`;
  return segments[0] ?? input;
}

/**
 * The biggest contributors to some of a bundle's outputs (by default all its JavaScript), by bytes they
 * left in them after minification.
 */
export function topContributors(
  metafile: Metafile,
  count: number,
  outputs?: readonly string[],
): Contributor[] {
  const chosen = Object.entries(metafile.outputs).filter(([file]) =>
    outputs ? outputs.includes(file) : file.endsWith('.mjs'),
  );
  const totals = new Map<string, number>();
  for (const [, output] of chosen) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const origin = originOf(input);
      totals.set(origin, (totals.get(origin) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([origin, bytes]) => ({ origin, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

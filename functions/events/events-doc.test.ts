import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_FILE, renderEventsFile } from './write-events-doc';

describe('docs/events.md', () => {
  it('shows the current event catalogue and consumer table (run `npm run events-doc` after changing them)', () => {
    const current = readFileSync(EVENTS_FILE, 'utf8');
    expect(current).toBe(renderEventsFile(current));
  });
});

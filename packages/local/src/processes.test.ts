import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortFree, checkJava, freePort, StartupError } from './processes';

describe('assertPortFree', () => {
  it('rejects with a StartupError naming the port and the variable to change when the port is taken', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const error = await assertPortFree(port, 'PORTAIL_API_PORT').then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toContain(String(port));
      expect((error as Error).message).toContain('PORTAIL_API_PORT');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('resolves for a free port', async () => {
    await expect(assertPortFree(await freePort(), 'PORTAIL_API_PORT')).resolves.toBeUndefined();
  });
});

describe('checkJava', () => {
  const originalPath = process.env.PATH;
  const directories: string[] = [];

  afterEach(() => {
    process.env.PATH = originalPath;
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  /** A PATH holding only a `java` that prints `versionLine` as the real one does (on stderr). */
  function fakeJava(versionLine: string): string {
    const directory = mkdtempSync(path.join(tmpdir(), 'portail-java-'));
    directories.push(directory);
    const file = path.join(directory, 'java');
    writeFileSync(file, `#!/bin/sh\necho '${versionLine}' >&2\n`);
    chmodSync(file, 0o755);
    return directory;
  }

  it('says Java 17 is needed when there is no java on PATH', () => {
    process.env.PATH = '';
    expect(() => checkJava()).toThrow(StartupError);
    expect(() => checkJava()).toThrow(/Java 17/);
  });

  it.each([
    ['openjdk version "11.0.22" 2024-01-16', '11.0.22'],
    ['java version "1.8.0_392"', '1.8.0_392'],
  ])('refuses an older Java (%s), quoting what it found', (versionLine, found) => {
    process.env.PATH = fakeJava(versionLine);
    expect(() => checkJava()).toThrow(StartupError);
    expect(() => checkJava()).toThrow(/Java 17 or later/);
    expect(() => checkJava()).toThrow(found);
  });

  it.each(['openjdk version "17.0.10" 2024-01-16', 'openjdk version "21" 2023-09-19'])(
    'accepts %s',
    (versionLine) => {
      process.env.PATH = fakeJava(versionLine);
      expect(() => checkJava()).not.toThrow();
    },
  );
});

import { spawnSync } from 'node:child_process';
import net from 'node:net';

/** Thrown for problems the person starting the platform can fix; printed without a stack trace. */
export class StartupError extends Error {}

export const MIN_JAVA_VERSION = 17;

/** DynamoDB Local is a Java program: say plainly when Java is missing or too old. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const install =
    'Install a Java 17+ runtime (Debian/Ubuntu: `apt-get install -y default-jre-headless`, macOS: `brew install openjdk`).';
  if (result.error) {
    throw new StartupError(`Java was not found on PATH: DynamoDB Local needs it. ${install}`);
  }
  const output = `${result.stderr}${result.stdout}`;
  const match = output.match(/version "(\d+)(?:\.(\d+))?/);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : Number.NaN;
  if (!Number.isFinite(major) || major < MIN_JAVA_VERSION) {
    throw new StartupError(
      `DynamoDB Local needs Java ${MIN_JAVA_VERSION} or later; found: ${output.split('\n')[0]}. ${install}`,
    );
  }
}

/** Fails with the variable to change when a port is taken (better than a stack trace from deep inside). */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(
              `Port ${port} is already in use. Stop what uses it or choose another port with ${variable}=…`,
            )
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A port nobody listens on right now (for tests and benchmarks running beside a developer's platform). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

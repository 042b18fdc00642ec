import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Platform, startPlatform } from '@portail/local/platform';
import { freePort } from '@portail/local/processes';
import { aroundConsumer } from './platform-calls';
import { handler as harvestStepHandler } from './step-runner';

/** The OS may hand the same free port out twice in a row: ask until there are `count` different ones. */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/**
 * The local bus prints a line per event, which `npm start` wants and a bench does not: writing tens of
 * thousands of lines would be timed with the requests that caused them. BENCH_VERBOSE=1 keeps them.
 */
function quietEvents(log: (line: string) => void): (line: string) => void {
  if (process.env.BENCH_VERBOSE === '1') return log;
  return (line) => {
    if (!line.startsWith('event ')) log(line);
  };
}

/**
 * Runs `work` against a fresh local platform on free ports and a throw-away data directory. The platform
 * (DynamoDB Local's Java process included) is stopped and the directory removed whatever happens, also
 * when the bench is interrupted with Ctrl-C or SIGTERM.
 */
export async function withPlatform<T>(
  work: (platform: Platform) => Promise<T>,
  log: (line: string) => void,
  /** Fills the data directory before the platform starts on it (an index saved beforehand…). */
  prepare?: (dataDirectory: string) => Promise<void>,
): Promise<T> {
  const dataDirectory = await mkdtemp(path.join(os.tmpdir(), 'portail-bench-'));
  let platform: Platform | undefined;
  let stopping: Promise<void> | undefined;
  const cleanUp = () => {
    stopping ??= (async () => {
      await platform?.stop();
      await rm(dataDirectory, { recursive: true, force: true });
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the platform…`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await prepare?.(dataDirectory);
    const [apiPort, dynamoDbPort, s3Port] = await distinctFreePorts(3);
    platform = await startPlatform({
      apiPort: apiPort!,
      dynamoDbPort: dynamoDbPort!,
      s3Port: s3Port!,
      dataDirectory,
      log: quietEvents(log),
      // Harvest steps run in a process of their own while the harvest runs bench measures it.
      queueHandlers: { 'harvest-steps': harvestStepHandler },
      // Each consumer's DynamoDB calls counted apart (the harvest runs bench reports them).
      aroundConsumer,
    });
    return await work(platform);
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

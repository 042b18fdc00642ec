/**
 * Where the harvest runs bench runs the harvest steps: in a child process of their own, as on AWS each
 * step runs in the harvest-steps function's process, so the peak memory it reports is that of the
 * process running the steps, not of the whole local platform (DynamoDB streams, event bus, API server).
 *
 * The platform's local queue stays in the bench's process and hands each message to `handler`, which
 * forwards it to the child started for the run (or runs it here when none is). The child is a fresh
 * process per run, so each run's peak is its own.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export interface MemoryPeak {
  heapMiB: number;
  rssMiB: number;
}

/** The step process's DynamoDB calls by operation (`TransactWriteItems`…): calls, items carried, ms. */
export type DatabaseCalls = Record<string, { calls: number; items: number; ms: number }>;

/** The items the step process put during its run, as JSON lines in DynamoDB's attribute value form. */
export interface CapturedWrites {
  file: string;
  items: number;
}

interface Reply {
  id: number;
  result?: SQSBatchResponse;
  error?: string;
  peak?: MemoryPeak;
  calls?: DatabaseCalls;
  captured?: CapturedWrites;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'step-runner-child.ts');

let child: ChildProcess | undefined;
let nextId = 0;
const waiting = new Map<number, (reply: Reply) => void>();

function ask(process: ChildProcess, request: Record<string, unknown>): Promise<Reply> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, resolve);
    process.send({ ...request, id }, (error) => {
      if (error) {
        waiting.delete(id);
        reject(error);
      }
    });
  });
}

/** The harvest-steps queue's handler the bench's platform is given (see PlatformOptions.queueHandlers). */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse | undefined> {
  if (!child) {
    const local = await import('../functions/harvest-runs/step-entry');
    return local.handler(event);
  }
  const reply = await ask(child, { kind: 'invoke', event });
  if (reply.error) throw new Error(reply.error);
  return reply.result;
}

/**
 * Starts a fresh step process (with the platform's environment, set by now) and returns how to read its
 * peak memory and stop it. Resolves once the function's modules are loaded, with its memory then.
 * With `captureWrites`, the process appends every item it puts to that file (see step-runner-child.ts).
 */
export async function startStepRunner(options: { captureWrites?: string } = {}): Promise<{
  atStart: MemoryPeak;
  peak(): Promise<MemoryPeak & { calls: DatabaseCalls; captured?: CapturedWrites }>;
  stop(): Promise<void>;
}> {
  if (child) throw new Error('a step process is already running');
  const env = { ...process.env };
  if (options.captureWrites) env.BENCH_CAPTURE_WRITES = options.captureWrites;
  else delete env.BENCH_CAPTURE_WRITES;
  const started = fork(CHILD, [], { execArgv: ['--expose-gc', '--import', 'tsx'], env });
  const atStart = await new Promise<MemoryPeak>((resolve, reject) => {
    started.once('error', reject);
    started.once('exit', (code) =>
      reject(new Error(`the step process exited (${code}) before it was ready`)),
    );
    started.on('message', (message: Reply & { ready?: MemoryPeak }) => {
      if (message.ready) resolve(message.ready);
      else waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    });
  });
  started.removeAllListeners('exit');
  started.on('exit', (code) => {
    if (child === started) child = undefined;
    for (const [id, resolve] of waiting) resolve({ id, error: `the step process exited (${code})` });
    waiting.clear();
  });
  child = started;
  return {
    atStart,
    peak: async () => {
      const reply = await ask(started, { kind: 'peak' });
      return { ...reply.peak!, calls: reply.calls ?? {}, captured: reply.captured };
    },
    stop: async () => {
      if (child === started) child = undefined;
      if (started.exitCode !== null) return;
      const exited = new Promise((resolve) => started.once('exit', resolve));
      started.disconnect();
      await exited;
    },
  };
}

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@portail/local';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dataDirectory = mkdtempSync(path.join(tmpdir(), 'portail-start-'));
const running = new Set<ChildProcess>();
// A failing test must not leave a platform (and its DynamoDB Local) running: Ctrl-C what is still up.
afterEach(async () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  running.clear();
});
afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm start`'s program exactly as the script does, with its own ports and data folder. */
function start(env: Record<string, string>): Started {
  // npm start's own availability schedule, not the one the suite's platform sets for its links.
  const { AVAILABILITY_FIRST_CHECK_SECONDS: _suiteOnly, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/local/src/main.ts'], {
    cwd: root,
    env: { ...inherited, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  running.add(child);
  return { child, output: () => output, exited };
}

async function waitFor(started: Started, text: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function javaProcessesOnPort(port: number): string[] {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar.*-port ${port}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

describe('npm start', () => {
  it('serves the API, shows a dead link on its organization dashboard after one check run, keeps data across a restart, and leaves no Java process after Ctrl-C', async () => {
    const ports = {
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      S3_PORT: String(await freePort()),
    };
    const env = { ...ports, PORTAIL_DATA_DIR: dataDirectory };
    const base = `http://127.0.0.1:${ports.PORT}`;

    const first = start(env);
    await waitFor(first, 'ready');
    expect(first.output()).toContain(`http://localhost:${ports.PORT}`);

    // The documented way to make the first sysadmin, against the running platform.
    const email = 'first-admin@example.org';
    const password = 'Admin-Pass-2024';
    const admin = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'packages/local/src/create-admin.ts', email, `--password=${password}`],
      { cwd: root, env: { ...process.env, DYNAMODB_PORT: ports.DYNAMODB_PORT }, encoding: 'utf8' },
    );
    expect(admin.status, admin.stderr).toBe(0);
    expect(admin.stdout).toContain(`Created sysadmin ${email}`);

    const login = await fetch(`${base}/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const token = await fetch(`${base}/api/1/me/api_tokens/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ name: 'restart' }),
    });
    const { token: apiKey } = (await token.json()) as { token: string };
    const created = await fetch(`${base}/api/1/datasets/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ title: 'Survives a restart', description: 'Kept in .data' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // An organization's link to an address that does not answer shows as down on its dashboard after one
    // run of the availability job (the job every 10 minutes runs here through the control port), with
    // nobody asking for a check: a new link is due at the next run.
    const send = (method: string, url: string, body?: unknown) =>
      fetch(`${base}${url}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const org = await send('POST', '/api/1/organizations/', { name: 'Cycle', description: 'Liens.' });
    expect(org.status).toBe(201);
    const { id: orgId } = (await org.json()) as { id: string };
    const orgDataset = await send('POST', '/api/1/datasets/', {
      title: 'Liens',
      description: 'Un lien mort.',
      organization: orgId,
    });
    const { id: orgDatasetId } = (await orgDataset.json()) as { id: string };
    const gone = `http://127.0.0.1:${await freePort()}/gone.csv`;
    const link = await send('POST', `/api/1/datasets/${orgDatasetId}/resources/`, {
      title: 'Lien mort',
      url: gone,
      filetype: 'remote',
      format: 'csv',
    });
    expect(link.status).toBe(201);
    const { id: rid } = (await link.json()) as { id: string };
    const control = (
      JSON.parse(readFileSync(path.join(dataDirectory, 'control.json'), 'utf8')) as { url: string }
    ).url;
    expect((await fetch(`${control}/drain`, { method: 'POST' })).status).toBe(204);
    expect((await fetch(`${control}/run/availability-checks`, { method: 'POST' })).status).toBe(204);
    expect((await fetch(`${control}/drain`, { method: 'POST' })).status).toBe(204);
    const board = await send('GET', `/api/1/organizations/${orgId}/dashboard/`);
    expect(board.status).toBe(200);
    const { anomalies } = (await board.json()) as {
      anomalies: { unreachable_resources: { resource: { id: string; url: string } }[] };
    };
    expect(anomalies.unreachable_resources).toEqual([
      expect.objectContaining({ resource: expect.objectContaining({ id: rid, url: gone }) }),
    ]);

    expect(javaProcessesOnPort(Number(ports.DYNAMODB_PORT))).not.toEqual([]);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(javaProcessesOnPort(Number(ports.DYNAMODB_PORT))).toEqual([]);

    // A saved search index it cannot use (here unreadable; also one saved before a text field changed) is
    // rebuilt from the table once the platform serves.
    const searchDirectory = path.join(dataDirectory, 'search');
    expect(existsSync(path.join(searchDirectory, 'datasets.json'))).toBe(true);
    writeFileSync(path.join(searchDirectory, 'datasets.json'), '{"format": 2, cut short');
    rmSync(path.join(searchDirectory, 'datasets.journal'), { force: true });

    const second = start(env);
    await waitFor(second, 'ready');
    const read = await fetch(`${base}/api/1/datasets/${id}/`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { title: string }).title).toBe('Survives a restart');
    const searched = async () => {
      const page = await fetch(`${base}/api/1/datasets/?q=restart`);
      return ((await page.json()) as { data: { id: string }[] }).data.map((dataset) => dataset.id);
    };
    const deadline = Date.now() + 30_000;
    while (!(await searched()).includes(id) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await searched()).toContain(id);
    // The API token (hashed with a key kept beside the data) still works after the restart.
    const me = await fetch(`${base}/api/1/me/`, { headers: { 'x-api-key': apiKey } });
    expect(me.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 120_000);

  it('says which port is taken and how to change it', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const started = start({ PORT: String(port), PORTAIL_DATA_DIR: dataDirectory });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain(`Port ${port} is already in use`);
      expect(started.output()).toContain('PORT=');
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('says that Java 17+ is needed when java is missing', async () => {
    const nodeOnly = mkdtempSync(path.join(tmpdir(), 'portail-nojava-'));
    execFileSync('ln', ['-s', process.execPath, path.join(nodeOnly, 'node')]);
    const started = start({
      PATH: nodeOnly,
      PORT: String(await freePort()),
      PORTAIL_DATA_DIR: dataDirectory,
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/Java was not found.*default-jre-headless/s);
    rmSync(nodeOnly, { recursive: true, force: true });
  }, 60_000);
});

import { request } from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import { PASSWORD, register, uniqueEmail } from './accounts';

/**
 * Login and registration throttles through the local platform. The test platform exempts 127.0.0.1
 * from the per-address limits (the rest of the suite signs hundreds of people up from it); these tests
 * connect from other loopback addresses, which get the limits as deployed.
 */
let next = 10 + Math.floor(Math.random() * 200);
/** A loopback address no other test of this run uses. */
function freshAddress(): string {
  next += 1;
  return `127.0.${next}.${1 + Math.floor(Math.random() * 250)}`;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { [field: string]: unknown };
}

/**
 * POSTs JSON from `address` (the connection's source address, what API Gateway reports), with `headers`
 * (CloudFront's viewer address and the origin secret, when a test sends them).
 */
function postFrom(
  address: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(inject('apiUrl') + path);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: address,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            json: JSON.parse(text || '{}'),
          }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}

const wrong = (email: string, index = 0) => ({ email, password: `Wrong-password-${index}` });

describe('login throttling', () => {
  it('lets at most the free attempts of 20 parallel guesses on one account check a password', async () => {
    const { email } = await register();
    const address = freshAddress();
    // 19 wrong passwords and the right one, all at once (the right one is the last sent).
    const answers = await Promise.all([
      ...Array.from({ length: 19 }, (_, index) => postFrom(address, '/login/', wrong(email, index))),
      postFrom(address, '/login/', { email, password: PASSWORD }),
    ]);
    const checked = answers.filter((answer) => answer.status === 400 || answer.status === 200);
    const slowed = answers.filter((answer) => answer.status === 429);
    expect(checked.length).toBeGreaterThan(0);
    // The 5 free attempts; a sixth only if the first delay (5 s) ran out while the burst was answered.
    expect(checked.length).toBeLessThanOrEqual(6);
    expect(checked.length + slowed.length).toBe(20);
    for (const answer of slowed) {
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(answer.json).toMatchObject({ status: 429, title: 'Too many requests' });
    }
  });

  it('slows 20 guesses spread over 5 accounts from one address', async () => {
    const accounts = await Promise.all(Array.from({ length: 5 }, () => register()));
    const address = freshAddress();
    // Ten guesses, two per account (each account stays under its own limit of 5)...
    const first: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const { email } of accounts)
        first.push((await postFrom(address, '/login/', wrong(email, round))).status);
    }
    expect(first).toEqual(new Array(10).fill(400));
    // ...then ten more at once, two per account: the address has used its free attempts.
    const rest = await Promise.all(
      accounts.flatMap(({ email }) =>
        [2, 3].map((round) => postFrom(address, '/login/', wrong(email, round))),
      ),
    );
    const slowed = rest.filter((answer) => answer.status === 429);
    // At most one may find the address's first delay (2 s) already over; the next waits 4 s.
    expect(slowed.length).toBeGreaterThanOrEqual(9);
    for (const answer of slowed) expect(answer.json.detail).toMatch(/from your address/);
    // Its owners, elsewhere, are not slowed by it.
    const owner = await postFrom(freshAddress(), '/login/', {
      email: accounts[0]!.email,
      password: PASSWORD,
    });
    expect(owner.status).toBe(200);
  }, 60_000);

  it('never locks the owner out: after someone else’s guesses they wait seconds, not forever', async () => {
    const { email } = await register();
    const attacker = freshAddress();
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await postFrom(attacker, '/login/', wrong(email, attempt))).status).toBe(400);
    }
    const owner = freshAddress();
    const slowed = await postFrom(owner, '/login/', { email, password: PASSWORD });
    expect(slowed.status).toBe(429);
    const wait = Number(slowed.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(slowed.json.detail).toMatch(/reset your password/);
    await new Promise((resolve) => setTimeout(resolve, (wait + 1) * 1000));
    expect((await postFrom(owner, '/login/', { email, password: PASSWORD })).status).toBe(200);
    // A successful login forgets the failures: the next mistake is not slowed.
    expect((await postFrom(owner, '/login/', wrong(email))).status).toBe(400);
  }, 90_000);
});

describe('registration throttling', () => {
  it('creates 5 accounts from one address, then slows that address (not others)', async () => {
    const address = freshAddress();
    const account = () => ({
      email: uniqueEmail('flood'),
      password: PASSWORD,
      first_name: 'Flo',
      last_name: 'Od',
    });
    for (let index = 0; index < 5; index++) {
      expect((await postFrom(address, '/register/', account())).status).toBe(201);
    }
    const refused = await postFrom(address, '/register/', account());
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await postFrom(freshAddress(), '/register/', account())).status).toBe(201);
  });

  it('holds under parallel sign-ups: 10 at once from one address create 5 accounts', async () => {
    const address = freshAddress();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        postFrom(address, '/register/', {
          email: uniqueEmail('burst'),
          password: PASSWORD,
          first_name: 'Bu',
          last_name: 'Rst',
        }),
      ),
    );
    const created = answers.filter((answer) => answer.status === 201).length;
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThanOrEqual(5);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(10 - created);
  });
});

describe('behind CloudFront', () => {
  const account = () => ({
    email: uniqueEmail('edge'),
    password: PASSWORD,
    first_name: 'Ed',
    last_name: 'Ge',
  });
  /** What the distribution adds to a request from `viewer`: its address and the origin secret. */
  const fromViewer = (viewer: string, secret = inject('originSecret')) => ({
    'cloudfront-viewer-address': `${viewer}:${40_000 + Math.floor(Math.random() * 20_000)}`,
    'x-origin-verify': secret,
  });

  it('counts each viewer apart, though all come through the same edge address', async () => {
    const edge = freshAddress();
    const first = '198.51.100.7';
    for (let index = 0; index < 5; index++) {
      expect((await postFrom(edge, '/register/', account(), fromViewer(first))).status).toBe(201);
    }
    expect((await postFrom(edge, '/register/', account(), fromViewer(first))).status).toBe(429);
    // Another visitor of the same edge is not slowed down by the first one's sign-ups.
    expect((await postFrom(edge, '/register/', account(), fromViewer('2001:db8:7::1'))).status).toBe(201);
  });

  it('ignores a viewer address sent without the origin secret (straight to API Gateway) or with a wrong one', async () => {
    const address = freshAddress();
    const forged = (index: number) =>
      index % 2 === 0
        ? { 'cloudfront-viewer-address': `203.0.113.${index + 1}:443` }
        : fromViewer(`203.0.113.${index + 1}`, 'not-the-secret-but-long-enough-to-look-like-it');
    for (let index = 0; index < 5; index++) {
      expect((await postFrom(address, '/register/', account(), forged(index))).status).toBe(201);
    }
    // Five forged viewers, one sender: the sender's own address is the one slowed down.
    const refused = await postFrom(address, '/register/', account(), forged(6));
    expect(refused.status).toBe(429);
  });
});

import { describe, expect, it } from 'vitest';
import {
  confirm,
  countMailsTo,
  linkIn,
  login,
  mailTo,
  newUser,
  PASSWORD,
  register,
  uniqueEmail,
} from './accounts';
import { api } from './client';

describe('registering', () => {
  it('creates an unconfirmed account and mails a single-use confirmation link', async () => {
    const email = uniqueEmail();
    const response = await api.post('/register/', {
      email,
      password: PASSWORD,
      first_name: 'Ada',
      last_name: 'Lovelace',
    });
    expect(response.status).toBe(201);
    expect(response.json.message).toContain(email);
    const mail = await mailTo(email);
    expect(mail).toContain('Subject: Confirmez votre adresse email');
    const link = linkIn(mail, 'confirm');

    const session = await login(email);
    expect(session.user).toMatchObject({ email, first_name: 'Ada', confirmed_at: null });

    // A browser opening the link is sent to the workspace's screen, which confirms; the visit alone does not.
    const opened = await fetch(link, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(
      `${new URL(link).origin}/admin/confirm/${link.split('/').pop()}`,
    );
    const still = await api.request('GET', '/api/1/me/', undefined, { cookie: session.cookie });
    expect(still.json.confirmed_at).toBeNull();

    const confirmed = await fetch(link);
    expect(confirmed.status).toBe(200);
    const again = await fetch(link);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { message: string }).message).toMatch(/invalid or has already been used/);
    const me = await api.request('GET', '/api/1/me/', undefined, { cookie: session.cookie });
    expect(me.json.confirmed_at).not.toBeNull();
  });

  it('refuses a duplicate email, whatever its case, and writes nothing', async () => {
    const { email } = await register();
    const response = await api.post('/register/', {
      email: email.toUpperCase(),
      password: PASSWORD,
      first_name: 'A',
      last_name: 'B',
    });
    expect(response.status).toBe(400);
    expect(response.json.errors.email[0]).toMatch(/already registered/);
    expect(countMailsTo(email)).toBeLessThanOrEqual(1);
  });

  it.each([
    ['short1A', /at least 8/],
    ['alllowercase1', /upper-case/],
    ['ALLUPPERCASE1', /lower-case/],
    ['NoDigitsHere', /digit/],
  ])('refuses the weak password %s', async (password, message) => {
    const email = uniqueEmail();
    const response = await api.post('/register/', { email, password, first_name: 'A', last_name: 'B' });
    expect(response.status).toBe(400);
    expect(response.json.errors.password.join(' ')).toMatch(message);
    expect((await api.post('/login/', { email, password })).status).toBe(400);
  });

  it('refuses a malformed email and missing names', async () => {
    const response = await api.post('/register/', { email: 'not-an-email', password: PASSWORD });
    expect(response.status).toBe(400);
    expect(Object.keys(response.json.errors).sort()).toEqual(['email', 'first_name', 'last_name']);
  });

  it('answers resend requests the same for unknown emails', async () => {
    const unknown = await api.post('/confirm/', { email: uniqueEmail('nobody') });
    expect(unknown.status).toBe(200);
    const { email } = await register();
    await mailTo(email);
    const resent = await api.post('/confirm/', { email });
    expect(resent.json.message).toBe(unknown.json.message.replace(/\S+@example\.org/, email));
    await expect.poll(() => countMailsTo(email), { timeout: 10_000 }).toBe(2);
  });
});

describe('sessions', () => {
  it('sets an HttpOnly, Secure, SameSite cookie and requires the CSRF token for changes', async () => {
    const { email } = await register();
    await confirm(email);
    const response = await api.post('/login/', { email, password: PASSWORD });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/portail_session=[\w-]+/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = cookie.split(';')[0]!;

    expect((await api.request('GET', '/api/1/me/', undefined, { cookie: session })).status).toBe(200);
    const withoutCsrf = await api.put('/api/1/me/', { about: 'Hello' }, { cookie: session });
    expect(withoutCsrf.status).toBe(403);
    expect(withoutCsrf.json.message).toMatch(/CSRF/);
    const withCsrf = await api.put(
      '/api/1/me/',
      { about: 'Hello' },
      { cookie: session, 'x-csrf-token': response.json.csrf_token },
    );
    expect(withCsrf.status).toBe(200);
    expect(withCsrf.json.about).toBe('Hello');
    const csrf = await api.request('GET', '/get-csrf', undefined, { cookie: session });
    expect(csrf.json.csrf_token).toBe(response.json.csrf_token);

    const logout = await api.post('/logout/', undefined, {
      cookie: session,
      'x-csrf-token': response.json.csrf_token,
    });
    expect(logout.status).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await api.request('GET', '/api/1/me/', undefined, { cookie: session })).status).toBe(401);
  });

  it('refuses a wrong password without telling whether the email exists', async () => {
    const { email } = await register();
    const wrong = await api.post('/login/', { email, password: 'Wrong-password-1' });
    const unknown = await api.post('/login/', { email: uniqueEmail('ghost'), password: 'Wrong-password-1' });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.json.errors).toEqual(unknown.json.errors);
  });

  it('slows down repeated failed logins with 429 and Retry-After', async () => {
    const { email } = await register();
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await api.post('/login/', { email, password: 'Wrong-password-1' })).status).toBe(400);
    }
    const slowed = await api.post('/login/', { email, password: PASSWORD });
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('an account whose email is not confirmed', () => {
  it('logs in only to confirm, ask for a new link or delete itself: no tokens, no joining, no publishing', async () => {
    const { email } = await register();
    const session = await login(email);
    expect(session.user.confirmed_at).toBeNull();
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };

    for (const [path, body] of [
      ['/api/1/me/api_tokens/', { name: 'script' }],
      ['/api/1/datasets/', { title: 'Budget', description: 'x' }],
      ['/api/1/organizations/', { name: 'Org', description: 'x' }],
    ] as const) {
      const refused = await api.post(path, body, headers);
      expect(refused.status, path).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.json.detail).toMatch(/^Confirm your email address first/);
      expect(refused.json.detail).toContain('POST /confirm/');
    }
    expect((await api.getWith('/api/1/me/', headers)).status).toBe(200);
    expect((await api.getWith('/api/1/me/api_tokens/', headers)).status).toBe(403);

    // A new link, then confirming: the same session may now do everything.
    const before = countMailsTo(email);
    expect((await api.post('/confirm/', { email })).status).toBe(200);
    const mail = await mailTo(email, { subject: 'Confirmez', after: before });
    expect((await fetch(linkIn(mail, 'confirm'))).status).toBe(200);
    expect((await api.post('/api/1/me/api_tokens/', { name: 'script' }, headers)).status).toBe(201);
  });

  it('may delete itself', async () => {
    const { email } = await register();
    const session = await login(email);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    expect((await api.delete('/api/1/me/', headers)).status).toBe(204);
    expect((await api.post('/login/', { email, password: PASSWORD })).status).toBe(400);
  });
});

describe('passwords', () => {
  it('resets a forgotten password through a mailed single-use link, closing open sessions', async () => {
    const user = await newUser();
    const old = await login(user.email);
    expect((await api.post('/reset/', { email: user.email })).status).toBe(200);
    // The mailed link opens the workspace's screen, which posts the new password to the API.
    const link = linkIn(await mailTo(user.email, { subject: 'Réinitialisation' }), 'reset');
    expect(new URL(link).pathname).toMatch(/^\/admin\/reset\/[A-Za-z0-9_-]+$/);
    const path = `/reset/${link.split('/').pop()}`;
    const weak = await api.post(path, { password: 'weak' });
    expect(weak.status).toBe(400);
    const reset = await api.post(path, { password: 'Brand-New-Pass-2' });
    expect(reset.status).toBe(200);
    expect((await api.post(path, { password: 'Another-Pass-3' })).status).toBe(400);
    expect((await api.request('GET', '/api/1/me/', undefined, { cookie: old.cookie })).status).toBe(401);
    expect((await api.post('/login/', { email: user.email, password: 'Brand-New-Pass-2' })).status).toBe(200);
  });

  it('changes the password with the current one', async () => {
    const user = await newUser();
    const wrong = await api.post(
      '/change/',
      { password: 'Nope-nope-1', new_password: 'Changed-Pass-4' },
      user.headers,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors.password).toBeDefined();
    const changed = await api.post(
      '/change/',
      { password: user.password, new_password: 'Changed-Pass-4' },
      user.headers,
    );
    expect(changed.status).toBe(200);
    expect((await api.post('/login/', { email: user.email, password: 'Changed-Pass-4' })).status).toBe(200);
  });
});

describe('API tokens', () => {
  it('shows a token once, stores only its prefix, authenticates X-API-KEY and records its use', async () => {
    const user = await newUser();
    const created = await api.post('/api/1/me/api_tokens/', { name: 'ci' }, user.headers);
    expect(created.status).toBe(201);
    expect(created.json.token).toMatch(/^udata_[\w-]{64}$/);
    expect(created.json.token.startsWith(created.json.token_prefix)).toBe(true);
    const listed = await api.request('GET', '/api/1/me/api_tokens/', undefined, user.headers);
    expect(listed.json.map((token: { name: string }) => token.name)).toEqual(['tests', 'ci']);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.token);
    const me = await api.request('GET', '/api/1/me/', undefined, {
      'x-api-key': created.json.token,
      'user-agent': 'portail-tests',
    });
    expect(me.json.email).toBe(user.email);
    const after = await api.request('GET', '/api/1/me/api_tokens/', undefined, user.headers);
    const ci = after.json.find((token: { name: string }) => token.name === 'ci');
    expect(ci.last_used_at).not.toBeNull();
    expect(ci.user_agents).toContain('portail-tests');
  });

  it('answers 401 saying whether a token is unknown, revoked or expired', async () => {
    const user = await newUser();
    const unknown = await api.request('GET', '/api/1/me/', undefined, { 'x-api-key': 'udata_nope' });
    expect(unknown.status).toBe(401);
    expect(unknown.json.message).toBe('Invalid API token.');

    const second = await api.post('/api/1/me/api_tokens/', { name: 'to revoke' }, user.headers);
    expect((await api.delete(`/api/1/me/api_tokens/${second.json.id}/`, user.headers)).status).toBe(204);
    expect((await api.delete(`/api/1/me/api_tokens/${second.json.id}/`, user.headers)).status).toBe(410);
    const revoked = await api.request('GET', '/api/1/me/', undefined, { 'x-api-key': second.json.token });
    expect(revoked.status).toBe(401);
    expect(revoked.json.message).toBe('Revoked API token.');

    const soon = new Date(Date.now() + 1500).toISOString();
    const expiring = await api.post(
      '/api/1/me/api_tokens/',
      { name: 'short', expires_at: soon },
      user.headers,
    );
    expect(expiring.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const expired = await api.request('GET', '/api/1/me/', undefined, { 'x-api-key': expiring.json.token });
    expect(expired.status).toBe(401);
    expect(expired.json.message).toBe('Expired API token.');
  });

  it("refuses to revoke another user's token and a past expiry", async () => {
    const owner = await newUser();
    const other = await newUser();
    const token = await api.post('/api/1/me/api_tokens/', { name: 'mine' }, owner.headers);
    expect((await api.delete(`/api/1/me/api_tokens/${token.json.id}/`, other.headers)).status).toBe(404);
    const past = await api.post(
      '/api/1/me/api_tokens/',
      { expires_at: '2001-01-01T00:00:00Z' },
      owner.headers,
    );
    expect(past.status).toBe(400);
    expect(past.json.errors.expires_at[0]).toMatch(/future/);
    const admin = await api.post('/api/1/me/api_tokens/', { scopes: ['admin'] }, owner.headers);
    expect(admin.status).toBe(403);
  });

  it('requires authentication for /me routes', async () => {
    expect((await api.get('/api/1/me/')).status).toBe(401);
    expect((await api.get('/api/1/me/api_tokens/')).status).toBe(401);
    expect((await api.post('/api/1/me/api_tokens/', {})).status).toBe(401);
  });
});

describe('profiles', () => {
  it('serves a public profile without private fields, and erases a deleted account', async () => {
    const user = await newUser();
    const profile = await api.get(`/api/1/users/${user.id}/`);
    expect(profile.status).toBe(200);
    expect(profile.json).toMatchObject({ id: user.id, first_name: 'Camille' });
    expect(profile.json.email).toBeUndefined();
    expect((await api.get(`/api/1/users/${profile.json.slug}/`)).json.id).toBe(user.id);

    expect((await api.delete('/api/1/me/', user.headers)).status).toBe(204);
    expect((await api.get(`/api/1/users/${user.id}/`)).status).toBe(410);
    expect((await api.request('GET', '/api/1/me/', undefined, user.headers)).status).toBe(401);
    const again = await api.post('/register/', {
      email: user.email,
      password: PASSWORD,
      first_name: 'A',
      last_name: 'B',
    });
    expect(again.status).toBe(201);
  });

  it('refuses a bad profile update', async () => {
    const user = await newUser();
    const response = await api.put('/api/1/me/', { website: 'not a url', first_name: '' }, user.headers);
    expect(response.status).toBe(400);
    expect(Object.keys(response.json.errors).sort()).toEqual(['first_name', 'website']);
  });
});

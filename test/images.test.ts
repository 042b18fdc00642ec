import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';

let admin: TestUser;
let editor: TestUser;
let org: string;

/** A PNG of `width`×`height`: an opaque gradient, half transparent on its right half. */
function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    image.data[i * 4] = (x * 255) / width;
    image.data[i * 4 + 1] = 80;
    image.data[i * 4 + 2] = 160;
    image.data[i * 4 + 3] = x < width / 2 ? 255 : 128;
  }
  return PNG.sync.write(image);
}

function jpg(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4, 200);
  return jpeg.encode({ width, height, data }, 80).data;
}

/** An image sent as udata clients send one: a form whose `file` part holds it. */
async function postImage(path: string, bytes: Uint8Array, name: string, headers: Record<string, string>) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const response = await fetch(api.url(path), { method: 'POST', body: form, headers });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

/** What a browser gets from an image URL: the redirect followed, the bytes. */
async function download(url: string): Promise<{ type: string | null; bytes: Buffer }> {
  const response = await fetch(url, { redirect: 'follow' });
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  [admin, editor] = await Promise.all([newUser(), newUser()]);
  org = (
    await api.post('/api/1/organizations/', { name: uniqueTitle('Logos'), description: 'D.' }, admin.headers)
  ).json.id;
  await api.post(`/api/1/organizations/${org}/member/`, { user: editor.id, role: 'editor' }, admin.headers);
});

describe('image uploads (logo, reuse image, avatar)', () => {
  it('keeps an organization logo and a real thumbnail, shown on the organization and its datasets', async () => {
    const uploaded = await postImage(
      `/api/1/organizations/${org}/logo/`,
      png(300, 150),
      'logo.png',
      admin.headers,
    );
    expect(uploaded.status, uploaded.text).toBe(200);
    expect(uploaded.json).toMatchObject({ success: true, image: expect.stringMatching(/\.png$/) });

    const organization = (await api.get(`/api/1/organizations/${org}/`)).json;
    expect(organization.logo).toBe(uploaded.json.image);
    expect(organization.logo_thumbnail).toMatch(/-100\.png$/);

    const head = await fetch(organization.logo_thumbnail, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);

    const thumbnail = await download(organization.logo_thumbnail);
    expect(thumbnail.type).toBe('image/png');
    const decoded = PNG.sync.read(thumbnail.bytes);
    expect([decoded.width, decoded.height]).toEqual([100, 50]);
    // Left: opaque; right: half transparent, as the original.
    expect(decoded.data[3]).toBe(255);
    expect(decoded.data[(99 + 0) * 4 + 3]).toBe(128);
    const original = PNG.sync.read((await download(organization.logo)).bytes);
    expect([original.width, original.height]).toEqual([300, 150]);

    const dataset = (
      await api.post(
        '/api/1/datasets/',
        { title: uniqueTitle('Logo'), description: 'D.', organization: org },
        admin.headers,
      )
    ).json;
    expect(dataset.organization.logo).toBe(organization.logo);

    const replaced = await postImage(
      `/api/1/organizations/${org}/logo/`,
      png(40, 40),
      'new.png',
      admin.headers,
    );
    expect(replaced.status).toBe(200);
    const shown = await eventually(
      async () => (await api.get(`/api/1/datasets/${dataset.id}/`)).json.organization,
      (embedded) => embedded.logo === replaced.json.image,
    );
    expect(shown.logo_thumbnail).toMatch(/-100\.png$/);
    // The replaced logo's files are gone.
    expect((await fetch(organization.logo, { method: 'HEAD' })).status).toBe(404);
    // And a GET says so itself (a problem document), not a redirect to the storage's own error.
    const gone = await fetch(organization.logo, { redirect: 'manual' });
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers an unknown image with a 404 problem to GET and HEAD', async () => {
    const url = api.url(`/api/1/images/${'0'.repeat(24)}/${'a'.repeat(24)}.png`);
    const get = await fetch(url, { redirect: 'manual' });
    expect(get.status).toBe(404);
    expect(get.headers.get('content-type')).toContain('application/problem+json');
    expect(((await get.json()) as { message: string }).message).toMatch(/No image/);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(404);
  });

  it('lets only the organization’s admins change its logo', async () => {
    const path = `/api/1/organizations/${org}/logo/`;
    expect((await postImage(path, png(10, 10), 'a.png', {})).status).toBe(401);
    expect((await postImage(path, png(10, 10), 'a.png', editor.headers)).status).toBe(403);
  });

  it('refuses what is not a PNG or JPEG image, and images too large, keeping nothing', async () => {
    const path = `/api/1/organizations/${org}/logo/`;
    const before = (await api.get(`/api/1/organizations/${org}/`)).json.logo;
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [bytes, name] of [
      [Buffer.from('plain text'), 'logo.png'],
      [svg, 'logo.svg'],
      [png(20, 20).subarray(0, 60), 'cut.png'],
    ] as const) {
      const refused = await postImage(path, bytes, name, admin.headers);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.json.errors).toHaveProperty('file');
    }
    const huge = Buffer.concat([png(10, 10), Buffer.alloc(3 * 1024 * 1024)]);
    const tooLarge = await postImage(path, huge, 'huge.png', admin.headers);
    expect(tooLarge.status, tooLarge.text).toBe(413);
    expect(tooLarge.json.status).toBe(413);
    const noFile = await api.post(path, { file: 'logo.png' }, admin.headers);
    expect(noFile.status).toBe(400);
    expect((await api.get(`/api/1/organizations/${org}/`)).json.logo).toBe(before);
  });

  it('keeps a reuse image (JPEG) with its thumbnail', async () => {
    const dataset = (
      await api.post(
        '/api/1/datasets/',
        { title: uniqueTitle('Réutilisé'), description: 'D.' },
        editor.headers,
      )
    ).json;
    const title = uniqueTitle('Carte');
    const reuse = (
      await api.post(
        '/api/1/reuses/',
        {
          title,
          description: 'D.',
          type: 'visualization',
          topic: 'others',
          url: `https://apps.example.org/${encodeURIComponent(title)}`,
          datasets: [dataset.id],
        },
        editor.headers,
      )
    ).json;
    expect(
      (await postImage(`/api/1/reuses/${reuse.id}/image/`, jpg(20, 20), 'x.jpg', admin.headers)).status,
    ).toBe(403);
    const uploaded = await postImage(
      `/api/1/reuses/${reuse.id}/image/`,
      jpg(800, 400),
      'carte.jpg',
      editor.headers,
    );
    expect(uploaded.status, uploaded.text).toBe(200);
    const read = (await api.get(`/api/1/reuses/${reuse.id}/`)).json;
    expect(read.image).toBe(uploaded.json.image);
    const thumbnail = await download(read.image_thumbnail);
    expect(thumbnail.type).toBe('image/jpeg');
    const decoded = jpeg.decode(thumbnail.bytes);
    expect([decoded.width, decoded.height]).toEqual([500, 250]);
  });

  it('keeps my avatar, shown on my account and as the owner of what I publish', async () => {
    const user = await newUser();
    const dataset = (
      await api.post('/api/1/datasets/', { title: uniqueTitle('Avatar'), description: 'D.' }, user.headers)
    ).json;
    const uploaded = await postImage('/api/1/me/avatar/', png(600, 600), 'me.png', user.headers);
    expect(uploaded.status, uploaded.text).toBe(200);
    const me = (await api.getWith('/api/1/me/', user.headers)).json;
    expect(me.avatar).toBe(uploaded.json.image);
    expect(me.avatar_thumbnail).toMatch(/-500\.png$/);
    expect((await api.get(`/api/1/users/${user.id}/`)).json.avatar).toBe(me.avatar);
    const owner = await eventually(
      async () => (await api.get(`/api/1/datasets/${dataset.id}/`)).json.owner,
      (embedded) => embedded.avatar === me.avatar,
    );
    expect(owner.avatar_thumbnail).toBe(me.avatar_thumbnail);
  });
});

import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';
import { eventually } from './fixtures';

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

/** A JPEG whose left half is red and right half blue. */
function halves(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4, 255);
  for (let i = 0; i < width * height; i++) {
    const left = i % width < width / 2;
    data.set(left ? [230, 20, 20, 255] : [20, 20, 230, 255], i * 4);
  }
  return jpeg.encode({ width, height, data }, 95).data;
}

/** The JPEG with an EXIF block (APP1) saying how a viewer must turn it, as cameras write. */
function withOrientation(jpegBytes: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpegBytes.subarray(0, 2), head, body, jpegBytes.subarray(2)]);
}

/** An image sent as udata clients send one: a form whose `file` part holds it. */
async function postImage(
  path: string,
  bytes: Uint8Array,
  name: string,
  headers: Record<string, string>,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  for (const [field, value] of Object.entries(fields)) form.append(field, value);
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
    // udata's square thumbnail: the 2:1 logo fills its width, centred on transparency.
    expect([decoded.width, decoded.height]).toEqual([100, 100]);
    const alpha = (x: number, y: number) => decoded.data[(y * 100 + x) * 4 + 3];
    expect([alpha(0, 0), alpha(0, 99)]).toEqual([0, 0]);
    // Left: opaque; right: half transparent, as the original.
    expect(alpha(0, 50)).toBe(255);
    expect(alpha(99, 50)).toBe(128);
    const original = PNG.sync.read((await download(organization.logo)).bytes);
    expect([original.width, original.height]).toEqual([300, 150]);
    // udata's other logo sizes are kept beside it, at the same URL with their size.
    for (const side of [60, 25]) {
      const smaller = await download(organization.logo_thumbnail.replace(/-100\.png$/, `-${side}.png`));
      const read = PNG.sync.read(smaller.bytes);
      expect([read.width, read.height]).toEqual([side, side]);
    }

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
    // The replaced logo's files are gone, every size.
    expect((await fetch(organization.logo, { method: 'HEAD' })).status).toBe(404);
    const oldSmallest = organization.logo_thumbnail.replace(/-100\.png$/, '-25.png');
    expect((await fetch(oldSmallest, { method: 'HEAD' })).status).toBe(404);
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
    expect(read.image).toMatch(/\.jpg$/);
    expect(read.image_thumbnail).toMatch(/-500\.png$/);
    const thumbnail = await download(read.image_thumbnail);
    expect(thumbnail.type).toBe('image/png');
    const decoded = PNG.sync.read(thumbnail.bytes);
    expect([decoded.width, decoded.height]).toEqual([500, 500]);
  });

  it('turns a photo upright by its EXIF orientation, and crops its thumbnails to udata’s bbox', async () => {
    const user = await newUser();
    // Stored 64×32, left half red, right half blue; the camera says: turn a quarter clockwise (6).
    const photo = withOrientation(halves(64, 32), 6);
    const refused = await postImage('/api/1/me/avatar/', photo, 'me.jpg', user.headers, {
      bbox: '0,0,64,32',
    });
    // The box is read on the upright image (32×64): 64 wide does not fit.
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.errors.bbox[0]).toContain('32×64');
    expect((await api.getWith('/api/1/me/', user.headers)).json.avatar).toBeNull();

    const uploaded = await postImage('/api/1/me/avatar/', photo, 'me.jpg', user.headers, {
      bbox: '0,0,32,32',
    });
    expect(uploaded.status, uploaded.text).toBe(200);
    const original = jpeg.decode((await download(uploaded.json.image)).bytes);
    // Upright: 32 wide, 64 high, the red half on top.
    expect([original.width, original.height]).toEqual([32, 64]);
    const colour = (x: number, y: number) => {
      const offset = (y * original.width + x) * 4;
      return [original.data[offset] ?? 0, original.data[offset + 2] ?? 0];
    };
    expect(colour(16, 8)[0]).toBeGreaterThan(200);
    expect(colour(16, 56)[1]).toBeGreaterThan(200);
    // The thumbnail shows the box only: the top square, all red, filling the square.
    const thumbnail = PNG.sync.read((await download(uploaded.json.thumbnail)).bytes);
    expect([thumbnail.width, thumbnail.height]).toEqual([500, 500]);
    for (const [x, y] of [
      [10, 10],
      [250, 490],
      [490, 250],
    ] as const) {
      const offset = (y * 500 + x) * 4;
      expect([
        thumbnail.data[offset + 3],
        thumbnail.data[offset]! > 200,
        thumbnail.data[offset + 2]! < 60,
      ]).toEqual([255, true, true]);
    }
  });

  it('crops a kept logo anew with udata’s PUT, without the file sent again', async () => {
    const owner = await newUser();
    const create = async () =>
      (
        await api.post(
          '/api/1/organizations/',
          { name: uniqueTitle('Recadré'), description: 'D.' },
          owner.headers,
        )
      ).json.id as string;
    const id = await create();
    const path = `/api/1/organizations/${id}/logo/`;
    /** udata's PUT: python-requests sends `data={"bbox": …}` as a urlencoded form. */
    const put = async (body: URLSearchParams | FormData, headers = owner.headers) => {
      const response = await fetch(api.url(path), { method: 'PUT', body, headers });
      const text = await response.text();
      return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
    };
    const colourAt = (image: { data: Buffer | Uint8Array }, x: number, y: number) => {
      const offset = (y * 100 + x) * 4;
      return {
        red: image.data[offset] ?? 0,
        blue: image.data[offset + 2] ?? 0,
        alpha: image.data[offset + 3],
      };
    };

    // An organization without a logo has nothing to crop.
    const none = await put(new URLSearchParams({ bbox: '0,0,10,10' }));
    expect(none.status, none.text).toBe(400);
    expect(none.json.errors).toHaveProperty('file');

    // 64×32, left half red, right half blue: the whole logo fits the square's width.
    const uploaded = await postImage(path, halves(64, 32), 'logo.jpg', owner.headers);
    expect(uploaded.status, uploaded.text).toBe(200);
    const keptBytes = (await download(uploaded.json.image)).bytes;

    const blue = await put(new URLSearchParams({ bbox: '32,0,64,32' }));
    expect(blue.status, blue.text).toBe(200);
    expect(blue.json).toMatchObject({ success: true, image: expect.stringMatching(/\.jpg$/) });
    // New URLs (what a URL shows never changes), the same image kept as it was, not re-encoded.
    expect(blue.json.image).not.toBe(uploaded.json.image);
    expect((await download(blue.json.image)).bytes.equals(keptBytes)).toBe(true);
    const blueThumbnail = PNG.sync.read((await download(blue.json.thumbnail)).bytes);
    expect([blueThumbnail.width, blueThumbnail.height]).toEqual([100, 100]);
    for (const [x, y] of [
      [5, 5],
      [50, 50],
      [95, 95],
    ] as const) {
      const { red, blue: b, alpha } = colourAt(blueThumbnail, x, y);
      expect([alpha, red < 60, b > 200]).toEqual([255, true, true]);
    }
    const organization = (await api.get(`/api/1/organizations/${id}/`)).json;
    expect([organization.logo, organization.logo_thumbnail]).toEqual([blue.json.image, blue.json.thumbnail]);
    // The former files are deleted, every size.
    expect((await fetch(uploaded.json.image, { method: 'HEAD' })).status).toBe(404);
    expect(
      (await fetch(uploaded.json.thumbnail.replace(/-100\.png$/, '-25.png'), { method: 'HEAD' })).status,
    ).toBe(404);

    // A multipart form works as well: the red half now.
    const form = new FormData();
    form.append('bbox', '0,0,32,32');
    const red = await put(form);
    expect(red.status, red.text).toBe(200);
    const redThumbnail = PNG.sync.read((await download(red.json.thumbnail)).bytes);
    const centre = colourAt(redThumbnail, 50, 50);
    expect([centre.red > 200, centre.blue < 60]).toEqual([true, true]);

    // Bad boxes are refused before anything changes; so are those who may not edit the organization.
    for (const bbox of ['0,0,65,32', '10,10,5,5', 'a,b,c,d', '1,2,3']) {
      const refused = await put(new URLSearchParams({ bbox }));
      expect(refused.status, `${bbox}: ${refused.text}`).toBe(400);
      expect(refused.json.errors).toHaveProperty('bbox');
    }
    expect((await api.get(`/api/1/organizations/${id}/`)).json.logo).toBe(red.json.image);
    expect((await put(new URLSearchParams({ bbox: '0,0,8,8' }), {})).status).toBe(401);
    expect((await put(new URLSearchParams({ bbox: '0,0,8,8' }), (await newUser()).headers)).status).toBe(403);
    expect(
      (
        await fetch(api.url('/api/1/organizations/no-such-org/logo/'), {
          method: 'PUT',
          headers: owner.headers,
        })
      ).status,
    ).toBe(404);

    // With a file, the PUT is the upload (udata reads the form the same way).
    const withFile = new FormData();
    withFile.append('file', new Blob([png(40, 40)]), 'new.png');
    const replaced = await put(withFile);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json.image).toMatch(/\.png$/);
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

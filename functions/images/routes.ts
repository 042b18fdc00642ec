/**
 * Routes of the `images` group (one Lambda function, the only one writing under the bucket's images
 * prefix): udata's image uploads (an organization's logo, a reuse's image, the caller's avatar), one
 * mechanism for the three, and the public URLs of what they keep.
 */
import { IMAGE_FILE_NAME, IMAGE_KINDS, IMAGE_RULES, lazySchema } from '@portail/core';
import { defineGroup } from '@portail/http';
import * as z from 'zod';

export const UploadedImageSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      success: z.literal(true),
      image: z.string().meta({ description: 'The URL of the image kept.' }),
      thumbnail: z.string().meta({ description: 'The URL of its largest thumbnail.' }),
    })
    .meta({ id: 'UploadedImage' }),
);

const imageForm = (what: string, sizes: readonly number[]) =>
  `udata's image upload: a \`multipart/form-data\` form with the image as \`file\` (PNG or JPEG, at most ${IMAGE_RULES.maxBytes} bytes and ${IMAGE_RULES.maxPixels} pixels) and optionally udata's \`bbox\` (\`left,top,right,bottom\` in pixels of the upright image: what the thumbnails show). ` +
  `What is kept is re-encoded from its pixels, turned upright by its EXIF orientation, with udata's square PNG thumbnails of ${sizes.map((side) => `${side}×${side}`).join(', ')} (the same URL ending in \`-<size>.png\`); ${what} then shows the image and its largest thumbnail. ` +
  "Answers udata's `{success, image}` (and `thumbnail`). Another file, a damaged image or a `bbox` outside the image answers 400; a larger one 413; nothing is kept of either.";

const refusals = {
  400: { description: 'No `file` part, not a PNG or JPEG, or a damaged image.' },
  413: { description: 'Larger than an image may be (bytes or pixels).' },
};

const tags = ['images'];

/** The organization whose logo the two logo routes keep. */
const OrganizationParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    org: z.string().min(1).max(300).meta({ description: 'The organization id or slug.' }),
  }),
);
const organizationRefusals = {
  ...refusals,
  403: { description: 'Not an admin of the organization.' },
  404: { description: 'Unknown organization.' },
  410: { description: 'Deleted organization.' },
};

const BBOX_FIELD =
  "udata's crop: `left,top,right,bottom` in pixels of the upright image (decimals truncated): the part the thumbnails show.";

export const imageRoutes = defineGroup('images', {
  uploadOrganizationLogo: {
    method: 'POST',
    path: '/api/1/organizations/{org}/logo/',
    summary: "Upload an organization's logo",
    description: `Its admins and sysadmins. ${imageForm('The organization (and what embeds it: its datasets, reuses) `logo` and `logo_thumbnail`', IMAGE_KINDS.logo.sizes)}`,
    tags,
    access: 'authenticated',
    params: OrganizationParams,
    acceptsForm: true,
    formFields: { bbox: BBOX_FIELD },
    responses: {
      200: { description: 'The logo kept.', schema: UploadedImageSchema },
      ...organizationRefusals,
    },
  },
  recropOrganizationLogo: {
    method: 'PUT',
    path: '/api/1/organizations/{org}/logo/',
    summary: 'Crop an organization\'s logo anew (udata\'s "Set the logo BBox")',
    description:
      "Its admins and sysadmins. udata's `PUT` on the logo: a form (`multipart/form-data`, or `application/x-www-form-urlencoded` as python-requests sends `data={…}`) with `bbox` (`left,top,right,bottom` in pixels of the logo kept) makes new thumbnails of the logo already kept, showing that part of it (the whole logo without `bbox`); the file is not sent again and is kept as it is. " +
      'The logo and its thumbnails get new URLs (what a URL shows never changes) and the old ones are deleted. With a `file`, the same as the upload (`POST`). ' +
      "Answers udata's `{success, image}` (and `thumbnail`). A `bbox` that is not four numbers or leaves the logo answers 400 naming `bbox`, and an organization without a logo 400 naming `file`; nothing changes.",
    tags,
    access: 'authenticated',
    params: OrganizationParams,
    acceptsForm: true,
    formFileOptional: true,
    formFields: { bbox: BBOX_FIELD },
    responses: {
      200: { description: 'The logo kept, with its new thumbnails.', schema: UploadedImageSchema },
      ...organizationRefusals,
    },
  },
  uploadReuseImage: {
    method: 'POST',
    path: '/api/1/reuses/{reuse}/image/',
    summary: "Upload a reuse's image",
    description: `Its owner, or a member of the organization owning it. ${imageForm('The reuse `image` and `image_thumbnail`', IMAGE_KINDS['reuse-image'].sizes)}`,
    tags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({ reuse: z.string().min(1).max(300).meta({ description: 'The reuse id or slug.' }) }),
    ),
    acceptsForm: true,
    formFields: { bbox: BBOX_FIELD },
    responses: {
      200: { description: 'The image kept.', schema: UploadedImageSchema },
      ...refusals,
      403: { description: 'Not its owner nor a member of its organization.' },
      404: { description: 'Unknown reuse (or private and the caller may not see it).' },
      410: { description: 'Deleted reuse.' },
    },
  },
  uploadAvatar: {
    method: 'POST',
    path: '/api/1/me/avatar/',
    summary: 'Upload my avatar',
    description: imageForm(
      'The account (`/me/`, `/users/{id}/`, and the `owner` of what it publishes) `avatar` and `avatar_thumbnail`',
      IMAGE_KINDS.avatar.sizes,
    ),
    tags,
    access: 'authenticated',
    acceptsForm: true,
    formFields: { bbox: BBOX_FIELD },
    responses: {
      200: { description: 'The avatar kept.', schema: UploadedImageSchema },
      ...refusals,
    },
  },
  getImage: {
    method: 'GET',
    answersHead: true,
    path: '/api/1/images/{owner}/{file}',
    summary: 'An uploaded image (logo, reuse image, avatar) or its thumbnail',
    description:
      'The URL in `logo`, `logo_thumbnail`, `image`, `image_thumbnail`, `avatar` and `avatar_thumbnail`. GET answers 302 to a short-lived link to the file; HEAD answers 200 with `Content-Length` and `Content-Type`; an unknown or replaced image answers 404 (a problem document) to both. What a URL names never changes: a new upload has new URLs.',
    tags,
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        owner: z
          .string()
          .regex(/^[0-9a-f]{24}$/, 'Expected an id.')
          .meta({ description: 'Whose image it is.' }),
        file: z
          .string()
          .regex(IMAGE_FILE_NAME, 'Expected an image file name.')
          .meta({ description: 'The image’s file name, as its URL ends.' }),
      }),
    ),
    responses: {
      200: { description: 'HEAD: the image described by its headers, no body.' },
      302: { description: 'GET: to a short-lived link to the image.' },
      404: { description: 'No such image (or replaced by a newer upload).' },
    },
  },
});

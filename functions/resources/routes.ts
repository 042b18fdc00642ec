/** Routes of the `resources` group (one Lambda function): resources, uploads and downloads. */
import {
  ChunkReceivedSchema,
  lazySchema,
  MultipartStatusSchema,
  PartUrlsRequestSchema,
  PartUrlsSchema,
  ResourceCreateInputSchema,
  ResourceOrderInputSchema,
  ResourceResponseSchema,
  ResourceUpdateInputSchema,
  UploadAnswerSchema,
  UploadRequestSchema,
} from '@portail/core';
import { defineGroup } from '@portail/http';
import * as z from 'zod';

const dataset = /* @__PURE__ */ lazySchema(() =>
  z.string().min(1).max(300).meta({ description: 'The dataset id or any slug it ever had.' }),
);
const rid = /* @__PURE__ */ lazySchema(() =>
  z.string().min(1).max(100).meta({ description: 'The resource id.' }),
);
const upload = /* @__PURE__ */ lazySchema(() =>
  z.string().min(1).max(100).meta({ description: 'The upload id (from the upload answer).' }),
);

const datasetParams = /* @__PURE__ */ lazySchema(() => z.object({ dataset }));
const resourceParams = /* @__PURE__ */ lazySchema(() => z.object({ dataset, rid }));
const uploadParams = /* @__PURE__ */ lazySchema(() => z.object({ dataset, rid, upload }));

const RESOURCE_PATH = '/api/1/datasets/{dataset}/resources/{rid}/';
const MULTIPART_PATH = `${RESOURCE_PATH}upload/multipart/{upload}/`;

const gone = { 410: { description: 'The dataset was deleted.' } };
const uploadRefusals = {
  400: { description: 'Invalid declaration (name, size, content type).' },
  413: { description: 'Larger than S3 accepts (5 TiB).' },
  415: { description: 'An HTML page: hosted files may not be web pages.' },
  ...gone,
};

const uploadDescription =
  'Declares the file (`filename`, `size`, `mime`); the bytes then go from the client straight to S3. Up to ' +
  'MAX_UPLOAD_BYTES (100 MiB by default) the answer is a presigned POST bound to one key, that size, the ' +
  'declared content type and 15 minutes; above it, a presigned multipart upload. Once S3 has the file, ' +
  'finalize measures it (size, SHA-1, SHA-256, type) and only then makes the resource visible. ' +
  'Or, as udata: the file itself as `multipart/form-data` (a `file` part, up to 4 MiB in one request): the answer is then the resource as finalize accepted it (size, SHA-1 checksum, mime, format); HTML answers 415 and content contradicting its name 400, with nothing kept; a larger form answers 413. ' +
  "Or udata's chunked protocol, for any size: each chunk a form with `uuid`, `filename`, `partindex` (from 0), `partbyteoffset`, `totalparts` (above 1), `chunksize`, `totalfilesize` and the chunk as `file` (200 `{success: true}`); then a form with the same `uuid`, `filename`, `totalparts` and no file, which answers the resource as finalize accepted it.";

export const resourceRoutes = defineGroup('resources', {
  createResource: {
    method: 'POST',
    path: '/api/1/datasets/{dataset}/resources/',
    summary: 'Add a remote resource (a link) to a dataset; it comes first',
    description: 'Hosted files are added with `POST /api/1/datasets/{dataset}/upload/`.',
    tags: ['resources'],
    access: 'authenticated',
    params: datasetParams,
    body: ResourceCreateInputSchema,
    responses: { 201: { description: 'The resource.', schema: ResourceResponseSchema }, ...gone },
  },
  reorderResources: {
    method: 'PUT',
    path: '/api/1/datasets/{dataset}/resources/',
    summary: "Reorder a dataset's resources: the list of every resource id, in the new order",
    tags: ['resources'],
    access: 'authenticated',
    params: datasetParams,
    body: ResourceOrderInputSchema,
    bodyIsList: true,
    responses: {
      200: {
        description: 'The resources, in their new order.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ResourceResponseSchema)),
      },
      400: { description: 'Ids missing, unknown or repeated (each named).' },
      ...gone,
    },
  },
  getResource: {
    method: 'GET',
    path: RESOURCE_PATH,
    summary: 'A resource of a dataset (also a pending or refused upload, to those who may edit the dataset)',
    tags: ['resources'],
    access: 'public',
    params: resourceParams,
    responses: { 200: { description: 'The resource.', schema: ResourceResponseSchema }, ...gone },
  },
  updateResource: {
    method: 'PUT',
    path: RESOURCE_PATH,
    summary: 'Update a resource (fields not sent keep their value; `filetype` never changes)',
    description:
      'For hosted files `url`, `format`, `mime`, `filesize` and `checksum` are measured by Portail and ignored here.',
    tags: ['resources'],
    access: 'authenticated',
    params: resourceParams,
    body: ResourceUpdateInputSchema,
    responses: {
      200: { description: 'The resource.', schema: ResourceResponseSchema },
      400: { description: 'Invalid field, or a change of filetype.' },
      ...gone,
    },
  },
  deleteResource: {
    method: 'DELETE',
    path: RESOURCE_PATH,
    summary: 'Delete a resource (a hosted file is deleted from storage too)',
    tags: ['resources'],
    access: 'authenticated',
    params: resourceParams,
    responses: { 204: { description: 'Deleted.' }, ...gone },
  },
  uploadNewFile: {
    method: 'POST',
    path: '/api/1/datasets/{dataset}/upload/',
    summary: 'Start uploading a new hosted file: a presigned POST, or multipart above the size limit',
    description: uploadDescription,
    tags: ['resources', 'uploads'],
    access: 'authenticated',
    params: datasetParams,
    body: UploadRequestSchema,
    acceptsForm: true,
    responses: {
      200: { description: "A chunk of udata's chunked protocol was received.", schema: ChunkReceivedSchema },
      201: {
        description:
          'JSON declaration: the pending resource and how to send the file. Form upload (or the last request of a chunked one): the resource, its file accepted.',
        schema: /* @__PURE__ */ lazySchema(() => z.union([UploadAnswerSchema, ResourceResponseSchema])),
      },
      ...uploadRefusals,
    },
  },
  replaceFile: {
    method: 'POST',
    path: `${RESOURCE_PATH}upload/`,
    summary: 'Start uploading a new version of a hosted file (its `latest` URL stays the same)',
    description: `${uploadDescription} The current file is served until the new one is accepted, then deleted.`,
    tags: ['resources', 'uploads'],
    access: 'authenticated',
    params: resourceParams,
    body: UploadRequestSchema,
    acceptsForm: true,
    responses: {
      200: {
        description:
          'Form upload (or the last request of a chunked one): the resource, its new file accepted. A chunk: `{success: true}`.',
        schema: /* @__PURE__ */ lazySchema(() => z.union([ResourceResponseSchema, ChunkReceivedSchema])),
      },
      201: { description: 'The resource and how to send the file.', schema: UploadAnswerSchema },
      ...uploadRefusals,
    },
  },
  startMultipartUpload: {
    method: 'POST',
    path: '/api/1/datasets/{dataset}/upload/multipart/',
    summary: 'Start a resumable multipart upload of a new hosted file, whatever its size',
    tags: ['resources', 'uploads'],
    access: 'authenticated',
    params: datasetParams,
    body: UploadRequestSchema,
    responses: {
      201: { description: 'The pending resource and the multipart upload.', schema: UploadAnswerSchema },
      ...uploadRefusals,
    },
  },
  startMultipartReplacement: {
    method: 'POST',
    path: `${RESOURCE_PATH}upload/multipart/`,
    summary: 'Start a resumable multipart upload of a new version of a hosted file',
    tags: ['resources', 'uploads'],
    access: 'authenticated',
    params: resourceParams,
    body: UploadRequestSchema,
    responses: {
      201: { description: 'The resource and the multipart upload.', schema: UploadAnswerSchema },
      ...uploadRefusals,
    },
  },
  getMultipartUpload: {
    method: 'GET',
    path: MULTIPART_PATH,
    summary: 'A multipart upload and the parts S3 already holds (to resume an interrupted upload)',
    tags: ['uploads'],
    access: 'authenticated',
    params: uploadParams,
    responses: { 200: { description: 'The upload.', schema: MultipartStatusSchema }, ...gone },
  },
  getPartUrls: {
    method: 'POST',
    path: `${MULTIPART_PATH}parts/`,
    summary: 'Presigned URLs to PUT the given parts (valid 15 minutes)',
    tags: ['uploads'],
    access: 'authenticated',
    params: uploadParams,
    body: PartUrlsRequestSchema,
    responses: {
      200: { description: 'One URL per part asked for.', schema: PartUrlsSchema },
      400: { description: 'A part number beyond the upload.' },
      409: { description: 'The upload is finished.' },
      ...gone,
    },
  },
  completeMultipartUpload: {
    method: 'POST',
    path: `${MULTIPART_PATH}complete/`,
    summary: 'Assemble the parts sent; finalize then checks the file and makes the resource visible',
    description:
      'No body: Portail lists the parts S3 holds. Poll the resource until its `upload.status` is no longer `pending`.',
    tags: ['uploads'],
    access: 'authenticated',
    params: uploadParams,
    responses: {
      202: { description: 'Assembled; finalize follows.', schema: ResourceResponseSchema },
      400: { description: 'Parts missing, or more bytes than declared.' },
      409: { description: 'The upload is finished.' },
      ...gone,
    },
  },
  abortMultipartUpload: {
    method: 'DELETE',
    path: MULTIPART_PATH,
    summary: 'Give up a multipart upload: S3 drops its parts; a resource that never had a file goes too',
    tags: ['uploads'],
    access: 'authenticated',
    params: uploadParams,
    responses: { 204: { description: 'Aborted.' }, 409: { description: 'The upload is finished.' }, ...gone },
  },
  downloadResource: {
    method: 'GET',
    path: '/api/1/datasets/r/{rid}',
    summary: "A resource's stable URL: redirects to the current file (or link) and counts the download",
    tags: ['resources'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() => z.object({ rid })),
    responses: {
      302: { description: 'To a short-lived link to the file, or to the remote URL.' },
      404: { description: 'Unknown resource, private dataset, or no file yet.' },
      ...gone,
    },
  },
  downloadFile: {
    method: 'GET',
    answersHead: true,
    path: '/api/1/datasets/r/{rid}/{filename}',
    summary: "A hosted file's URL, ending in its name: GET answers the file (counted), HEAD describes it",
    description:
      "The former `url` of a hosted file, kept for the links given out before files were served from storage (their `url` is now `/files/…` on the site, any size, no redirect). GET answers 200 with the file itself (its type, `Content-Disposition` with its name) up to 4 MiB, as udata's static URLs do (clients that do not follow redirects, such as httpx's default, download it), and 302 to a short-lived link to a larger file; either way the download is counted. HEAD answers 200 with `Content-Length`, `Content-Type` and `Content-Disposition`, without a redirect. A name other than the current file's answers 404 naming the current URL; `latest` (`/api/1/datasets/r/{rid}`) always leads to the current file.",
    tags: ['resources'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        rid,
        filename: z.string().min(1).max(255).meta({ description: 'The file name, as the `url` ends.' }),
      }),
    ),
    responses: {
      200: {
        description: 'GET: the file (up to 4 MiB); HEAD: the file described by its headers, no body.',
      },
      302: { description: 'GET: to a short-lived link to a file larger than 4 MiB.' },
      404: { description: 'Unknown resource, private dataset, no hosted file, or not its current name.' },
      ...gone,
    },
  },
  requestResourceCheck: {
    method: 'POST',
    path: `${RESOURCE_PATH}check/`,
    summary: 'Ask for a remote resource’s availability to be checked at the next run of the checks',
    description:
      'Links are checked a while after they are written, then once a day (HEAD, then a ranged GET); this makes the check of one link due at once, for the next run (every 10 minutes). The outcome lands in the resource’s `check:available`, `check:status` and `check:date` extras. Hosted files are available by construction: 400.',
    tags: ['resources'],
    access: 'authenticated',
    params: resourceParams,
    responses: {
      202: {
        description: 'The check is due.',
        schema: /* @__PURE__ */ lazySchema(() =>
          z
            .object({
              resource: z.string(),
              url: z.string(),
              due_at: z.string().describe('when the check became due (now)'),
            })
            .meta({ id: 'ResourceCheckRequested' }),
        ),
      },
      400: { description: 'A hosted file, or a resource not visible yet: nothing to check.' },
      403: { description: 'Not allowed to edit the dataset.' },
      ...gone,
    },
  },
  getResourceExtras: {
    method: 'GET',
    path: '/api/2/datasets/{dataset}/resources/{rid}/extras/',
    summary: "A resource's extras (API v2)",
    description:
      "udata's v2 route: the resource's `extras` object, as in its v1 answer; the same refusals as a resource `GET`.",
    tags: ['resources', 'v2'],
    access: 'public',
    params: resourceParams,
    responses: {
      200: {
        description: "The resource's extras.",
        schema: /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.unknown())),
      },
      ...gone,
    },
  },
  updateResourceExtras: {
    method: 'PUT',
    path: '/api/2/datasets/{dataset}/resources/{rid}/extras/',
    summary: "Add or change some of a resource's extras (a null value removes its key) (API v2)",
    description:
      "udata's v2 route, which datagouv-client's `Resource.update_extras` and `delete_extras` call. Checked by the same rules as `extras` in a resource `PUT`.",
    tags: ['resources', 'v2'],
    access: 'authenticated',
    params: resourceParams,
    body: /* @__PURE__ */ lazySchema(() =>
      z
        .record(z.string().max(200, 'Extras keys are at most 200 characters.'), z.unknown())
        .meta({ id: 'ResourceExtrasInput' }),
    ),
    responses: {
      200: {
        description: "The resource's extras.",
        schema: /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.unknown())),
      },
      403: { description: 'Not allowed to edit the dataset.' },
      ...gone,
    },
  },
  deleteResourceExtras: {
    method: 'DELETE',
    path: '/api/2/datasets/{dataset}/resources/{rid}/extras/',
    summary: "Remove some of a resource's extras: the body lists their keys (API v2)",
    tags: ['resources', 'v2'],
    access: 'authenticated',
    params: resourceParams,
    bodyIsList: true,
    body: /* @__PURE__ */ lazySchema(() =>
      z.array(z.string().max(200, 'Extras keys are at most 200 characters.')).max(100, 'At most 100 keys.'),
    ),
    responses: {
      204: { description: 'Removed (keys the resource did not have are ignored, as in udata).' },
      403: { description: 'Not allowed to edit the dataset.' },
      ...gone,
    },
  },
});

import { reactive } from 'vue';
import { api, type ResourceRead, type Schemas } from './api/client';
import { formProblem } from './api/problem';

/**
 * A file sent from the browser straight to storage: the API declares the upload and hands out either
 * one presigned POST (small files) or presigned URLs for the parts of a multipart upload (large ones,
 * resumable). Parts already sent are kept, so pausing, or a failure then "retry", sends only the rest.
 * Every upload being sent is remembered in localStorage. After a reload (or a closed tab) the producer
 * picks the same file again: a multipart upload sends only the parts storage does not hold yet, as the
 * API lists them; a file sent in one POST starts again from the beginning, which the screen says. Files
 * from RESUMABLE_FROM_BYTES on always go multipart (whatever the API's single-POST limit), so what a
 * reload can cost is a few seconds of sending. The resource is shown once finalize has measured and
 * accepted the file. With `rid`, the file replaces that resource's (its current file is served until
 * the new one is accepted).
 */
export type UploadPhase = 'declaring' | 'sending' | 'paused' | 'checking' | 'done' | 'refused' | 'failed';

export interface UploadState {
  name: string;
  phase: UploadPhase;
  percent: number;
  error: string;
  resource: ResourceRead | null;
}

type Multipart = Schemas['MultipartUpload'];
type Post = Schemas['PresignedPostUpload'];

/**
 * From this size a file is sent in parts, resumable after a reload: two of the API's 8 MiB parts, so a
 * reload costs at most one part. Below it one POST takes seconds on an ordinary connection, and an
 * interrupted one is simply sent again from the start.
 */
export const RESUMABLE_FROM_BYTES = 16 * 1024 * 1024;

/** Whether a file of `size` bytes is declared as a multipart upload whatever the API's POST limit. */
export const resumable = (size: number) => size >= RESUMABLE_FROM_BYTES;

class Stopped extends Error {}

/** One XHR (fetch has no upload progress), reporting bytes sent; `abort` stops it. */
function send(
  method: 'POST' | 'PUT',
  url: string,
  body: XMLHttpRequestBodyInit,
  onProgress: (loaded: number) => void,
  register: (request: XMLHttpRequest) => void,
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () =>
      request.status < 300 ? resolve(request) : reject(new Error(`storage answered ${request.status}`));
    request.onerror = () => reject(new Error('network error'));
    request.onabort = () => reject(new Stopped('paused'));
    register(request);
    request.send(body);
  });
}

/**
 * What is kept of an unfinished upload, to resume it after a reload: a multipart upload whole; of one
 * sent in a single POST only its id (it restarts from the beginning).
 */
export interface SavedUpload {
  dataset: string;
  rid: string;
  /** The resource's title when the file replaces an existing one's. */
  replaces: string | null;
  upload: Multipart | { kind: 'post'; id: string };
  name: string;
  size: number;
  lastModified: number;
}

const STORAGE_KEY = 'portail.uploads';

export function savedUploads(dataset?: string): SavedUpload[] {
  try {
    const all = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '[]') as SavedUpload[];
    return Array.isArray(all) ? all.filter((entry) => !dataset || entry.dataset === dataset) : [];
  } catch {
    return [];
  }
}

export function forgetUpload(uploadId: string): void {
  const rest = savedUploads().filter((entry) => entry.upload.id !== uploadId);
  globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(rest));
}

function rememberUpload(entry: SavedUpload): void {
  const rest = savedUploads().filter((saved) => saved.upload.id !== entry.upload.id);
  globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify([...rest, entry]));
}

/** Is `file` the one an interrupted upload was sending (same name, size and modification time)? */
export const sameFile = (saved: SavedUpload, file: File) =>
  saved.name === file.name && saved.size === file.size && saved.lastModified === file.lastModified;

export class FileUpload {
  readonly state: UploadState;
  private current: XMLHttpRequest | null = null;
  private declared: { resource: { id: string }; upload: Post | Multipart } | null = null;
  private readonly sentParts = new Map<number, number>();
  private stopped = false;
  /** Taken over after a reload: storage is asked which parts it holds before sending. */
  private resumed = false;
  /** Sent again after a reload interrupted its one POST: the resource already declared for it. */
  private again: string | null = null;

  constructor(
    private readonly dataset: string,
    private readonly file: File,
    private readonly onFinished: () => void,
    private readonly replace: { rid: string; title: string } | null = null,
  ) {
    this.state = reactive({ name: file.name, phase: 'declaring', percent: 0, error: '', resource: null });
  }

  /**
   * Takes over an upload interrupted by a reload: the parts storage already holds are not sent again. A
   * file that was sent in one POST is declared again, for the same resource, and sent whole.
   */
  static resume(saved: SavedUpload, file: File, onFinished: () => void): FileUpload {
    const upload = new FileUpload(
      saved.dataset,
      file,
      onFinished,
      saved.replaces === null ? null : { rid: saved.rid, title: saved.replaces },
    );
    if (saved.upload.kind === 'multipart') {
      upload.declared = { resource: { id: saved.rid }, upload: saved.upload };
      upload.resumed = true;
    } else {
      forgetUpload(saved.upload.id);
      upload.again = saved.rid;
    }
    return upload;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.state.error = '';
    try {
      if (!this.declared) {
        this.state.phase = 'declaring';
        this.declared = await this.declare();
        const { resource, upload } = this.declared;
        rememberUpload({
          dataset: this.dataset,
          rid: resource.id,
          replaces: this.replace?.title ?? null,
          upload: upload.kind === 'multipart' ? upload : { kind: 'post', id: upload.id },
          name: this.file.name,
          size: this.file.size,
          lastModified: this.file.lastModified,
        });
      }
      this.state.phase = 'sending';
      const { upload, resource } = this.declared;
      if (upload.kind === 'post') {
        await this.sendForm(upload);
        forgetUpload(upload.id);
      } else {
        if (this.resumed) {
          await this.partsHeld(resource.id, upload);
          this.resumed = false;
        }
        await this.sendParts(resource.id, upload);
        forgetUpload(upload.id);
      }
      this.state.phase = 'checking';
      this.state.percent = 100;
      await this.waitForFinalize(resource.id, upload.id);
    } catch (error) {
      if (error instanceof Stopped || this.stopped) {
        this.state.phase = 'paused';
        return;
      }
      this.state.phase = 'failed';
      this.state.error = (error as Error).message;
    }
  }

  private async declare(): Promise<{ resource: { id: string }; upload: Post | Multipart }> {
    // A new upload to the resource it is for: a replaced file's, or the one declared before a reload
    // (which the API has forgotten if it was never sent in time: then a new one is declared).
    const rid = this.replace?.rid ?? this.again;
    let answer = rid ? await this.declareTo(rid) : null;
    if (!answer || (this.again && answer.response.status === 404)) answer = await this.declareTo(null);
    const { data, error } = answer;
    // A JSON declaration is answered with the pending resource and how to send the file.
    if (error || !data || !('resource' in data) || !data.upload || !('kind' in data.upload)) {
      throw new Error(formProblem(error, 'upload refused').message);
    }
    return { resource: data.resource, upload: data.upload };
  }

  /** Declares the file: for the resource `rid`, or a new one; in parts from RESUMABLE_FROM_BYTES. */
  private declareTo(rid: string | null) {
    const body = {
      filename: this.file.name,
      size: this.file.size,
      mime: this.file.type || 'application/octet-stream',
    };
    const dataset = this.dataset;
    if (rid) {
      const params = { path: { dataset, rid } };
      return resumable(this.file.size)
        ? api.POST('/api/1/datasets/{dataset}/resources/{rid}/upload/multipart/', { params, body })
        : api.POST('/api/1/datasets/{dataset}/resources/{rid}/upload/', { params, body });
    }
    const params = { path: { dataset } };
    return resumable(this.file.size)
      ? api.POST('/api/1/datasets/{dataset}/upload/multipart/', { params, body })
      : api.POST('/api/1/datasets/{dataset}/upload/', { params, body });
  }

  /** The parts storage already holds (sent before a reload), as the API lists them. */
  private async partsHeld(rid: string, upload: Multipart): Promise<void> {
    const { data, error } = await api.GET(
      '/api/1/datasets/{dataset}/resources/{rid}/upload/multipart/{upload}/',
      { params: { path: { dataset: this.dataset, rid, upload: upload.id } } },
    );
    if (error || !data) {
      forgetUpload(upload.id);
      throw new Error(formProblem(error, 'the upload can no longer be resumed').message);
    }
    if (data.status !== 'pending') {
      forgetUpload(upload.id);
      throw new Error(`the upload is ${data.status}`);
    }
    for (const part of data.parts) {
      if (part.size === this.partSize(upload, part.part_number))
        this.sentParts.set(part.part_number, part.size);
    }
    this.progress();
  }

  pause(): void {
    this.stopped = true;
    this.current?.abort();
  }

  private progress(): void {
    let sent = 0;
    for (const bytes of this.sentParts.values()) sent += bytes;
    this.state.percent = Math.min(100, Math.floor((100 * sent) / this.file.size));
  }

  private async sendForm(upload: Post): Promise<void> {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', this.file);
    await send(
      'POST',
      upload.url,
      form,
      (loaded) => {
        this.sentParts.set(1, Math.min(loaded, this.file.size));
        this.progress();
      },
      (request) => {
        this.current = request;
      },
    );
  }

  private async sendParts(rid: string, upload: Multipart): Promise<void> {
    const path = { dataset: this.dataset, rid, upload: upload.id };
    const missing = Array.from({ length: upload.part_count }, (_, index) => index + 1).filter(
      (part) => this.sentParts.get(part) !== this.partSize(upload, part),
    );
    // URLs are asked in batches of 20 just before they are used: they expire.
    for (let start = 0; start < missing.length; start += 20) {
      const batch = missing.slice(start, start + 20);
      const { data, error } = await api.POST(
        '/api/1/datasets/{dataset}/resources/{rid}/upload/multipart/{upload}/parts/',
        { params: { path }, body: { part_numbers: batch } },
      );
      if (error || !data) throw new Error(formProblem(error, 'no part URLs').message);
      for (const part of data.parts) {
        if (this.stopped) throw new Stopped('paused');
        const begin = (part.part_number - 1) * upload.part_size;
        const blob = this.file.slice(begin, begin + this.partSize(upload, part.part_number));
        this.sentParts.set(part.part_number, 0);
        await send(
          'PUT',
          part.url,
          blob,
          (loaded) => {
            this.sentParts.set(part.part_number, loaded);
            this.progress();
          },
          (request) => {
            this.current = request;
          },
        );
        this.sentParts.set(part.part_number, blob.size);
        this.progress();
      }
    }
    const { error } = await api.POST(
      '/api/1/datasets/{dataset}/resources/{rid}/upload/multipart/{upload}/complete/',
      { params: { path } },
    );
    if (error) throw new Error(formProblem(error, 'the upload could not be completed').message);
  }

  private partSize(upload: Multipart, part: number): number {
    return Math.min(upload.part_size, this.file.size - (part - 1) * upload.part_size);
  }

  private async waitForFinalize(rid: string, upload: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { data } = await api.GET('/api/1/datasets/{dataset}/resources/{rid}/', {
        params: { path: { dataset: this.dataset, rid } },
      });
      if (data?.upload?.id === upload && data.upload.status !== 'pending') {
        this.state.resource = data;
        if (data.upload.status === 'available') this.state.phase = 'done';
        else {
          this.state.phase = 'refused';
          this.state.error = data.upload.reason ?? '';
        }
        this.onFinished();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    throw new Error('the file was not checked in time');
  }
}

import type { ApiGet } from './api';
import type { Html } from './html';
import type { PageHead, SiteContext } from './layout';

export interface RenderContext extends SiteContext {
  api: ApiGet;
  query: URLSearchParams;
}

export type PageResult =
  | {
      kind: 'page';
      status?: number;
      head: PageHead;
      body: Html;
      /**
       * The French path of the object shown (`/datasets/<slug>/`): a request on another path (an id,
       * a former slug, no trailing slash) is redirected there, permanently.
       */
      canonical?: string;
    }
  | { kind: 'text'; contentType: string; body: string };

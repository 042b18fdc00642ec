import { html } from '../html';
import type { PageResult, RenderContext } from '../page';

/** 404 (missing or not public), 410 (deleted), 400 (a search the API refused), 503 (the API is not answering). */
export function errorPage(context: RenderContext, status: 400 | 404 | 410 | 503, path: string): PageResult {
  const { t } = context;
  const [title, text] =
    status === 410
      ? [t.goneTitle, t.gone]
      : status === 503
        ? [t.errorTitle, t.error]
        : status === 400
          ? [t.searchTitle, t.noResults]
          : [t.notFoundTitle, t.notFound];
  return {
    kind: 'page',
    status,
    head: { title, description: text, path, noindex: true },
    body: html`<h1>${title}</h1><p>${text}</p>`,
  };
}

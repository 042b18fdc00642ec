import { HarvestPageError, type HarvestSource, harvestedFields, UpstreamError } from '@portail/core';
import { backendFor, harvestFetch, sourceConfig } from './backends';

/** How many items a preview shows (udata: 20). */
export const PREVIEW_ITEMS = 20;

/** The first page of the source read and mapped as a run would, nothing written. */
export async function previewSource(source: HarvestSource) {
  let page: Awaited<ReturnType<ReturnType<typeof backendFor>['readPage']>>;
  try {
    page = await backendFor(source.backend).readPage(sourceConfig(source, PREVIEW_ITEMS), null, harvestFetch);
  } catch (error) {
    if (error instanceof HarvestPageError)
      throw new UpstreamError(`The catalogue could not be read: ${error.message}`);
    throw error;
  }
  return {
    items: page.items.slice(0, PREVIEW_ITEMS).map((item) => {
      if (item.status === 'mapped') {
        const { warnings } = harvestedFields(item.dataset);
        return {
          remote_id: item.remote_id,
          remote_url: item.remote_url,
          title: item.dataset.title,
          status: 'done' as const,
          errors: [...item.dataset.warnings, ...warnings].map((message) => ({ message })),
          resources: item.dataset.resources.length,
        };
      }
      return {
        remote_id: item.remote_id,
        remote_url: item.remote_url,
        title: null,
        status: item.status,
        errors: (item.status === 'failed' ? item.errors : [item.reason]).map((message) => ({ message })),
        resources: 0,
      };
    }),
    remote_total: page.total,
    has_next_page: page.next !== null,
  };
}

import type { SearchIndex } from '@portail/search';
import { listedDatasetDocuments, organizationDocuments } from '@portail/store';

/**
 * Rebuilds every index from the table's listings (Queries on the listed datasets and live
 * organizations, never a Scan), each kind swapped in once complete (`npm run reindex`, and its AWS
 * equivalent `npm run reindex:aws`).
 */
export async function rebuildSearchIndexes(
  index: SearchIndex,
  log: (line: string) => void = () => {},
): Promise<{ datasets: number; organizations: number }> {
  const datasets = await index.rebuild('datasets', listedDatasetDocuments());
  log(`search: ${datasets.indexed} datasets indexed`);
  const organizations = await index.rebuild('organizations', organizationDocuments());
  log(`search: ${organizations.indexed} organizations indexed`);
  return { datasets: datasets.indexed, organizations: organizations.indexed };
}

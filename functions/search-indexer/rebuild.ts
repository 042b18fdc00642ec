import type { SearchIndex } from '@portail/search';
import {
  activeUserDocuments,
  listedDatasetDocuments,
  listedReuseDocuments,
  organizationDocuments,
} from '@portail/store';

/**
 * Rebuilds every index from the table's listings (Queries on the listed datasets, live organizations,
 * listed reuses and active users, never a Scan), each kind swapped in once complete (`npm run reindex`, and its AWS
 * equivalent `npm run reindex:aws`).
 */
export async function rebuildSearchIndexes(
  index: SearchIndex,
  log: (line: string) => void = () => {},
): Promise<{ datasets: number; organizations: number; reuses: number; users: number }> {
  const datasets = await index.rebuild('datasets', listedDatasetDocuments());
  log(`search: ${datasets.indexed} datasets indexed`);
  const organizations = await index.rebuild('organizations', organizationDocuments());
  log(`search: ${organizations.indexed} organizations indexed`);
  const reuses = await index.rebuild('reuses', listedReuseDocuments());
  log(`search: ${reuses.indexed} reuses indexed`);
  const users = await index.rebuild('users', activeUserDocuments());
  log(`search: ${users.indexed} users indexed`);
  return {
    datasets: datasets.indexed,
    organizations: organizations.indexed,
    reuses: reuses.indexed,
    users: users.indexed,
  };
}

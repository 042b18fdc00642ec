import { listUserIfUnlisted } from '@portail/store';

/**
 * Puts an account written before the users' listing existed into it, with the keys every write of a
 * user gives it: rebuilding the search index (`npm run reindex`) reads that listing, and the write
 * itself reaches the search consumer on the table's stream, which indexes the account as after any
 * change of it. Resolves to whether it wrote; on an account already listed it writes nothing.
 */
export async function backfillUser(userId: string): Promise<{ listed: boolean }> {
  return { listed: await listUserIfUnlisted(userId) };
}

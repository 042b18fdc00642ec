/**
 * Writes batches with a fixed number of writers, as the raw baselines do: each writer takes the next
 * batch and sends it until nothing is left unprocessed (`send` answers the items DynamoDB left).
 * Resolves with the seconds the writes took.
 */
export async function writeBatchesInParallel<T>(
  batches: readonly T[][],
  writers: number,
  send: (batch: T[]) => Promise<T[]>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < batches.length) {
        let pending = batches[next++]!;
        while (pending.length > 0) pending = await send(pending);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

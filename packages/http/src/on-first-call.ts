/**
 * An async function (a route's implementation) whose module is loaded on its first call, not at the cold
 * start of the function bundling it: for the few routes that need a heavy dependency the others never
 * use (the S3 client for uploads and downloads, the harvest parsers for a preview). esbuild keeps a
 * dynamically imported module in the same file but evaluates it only when it is first imported.
 * The loaded implementation must not declare a `prefetch` (the group handler reads it before the call).
 */
export function onFirstCall<F extends (...args: never[]) => Promise<unknown>>(load: () => Promise<F>): F {
  let loaded: Promise<F> | undefined;
  const call = async (...args: Parameters<F>) => {
    // A failed load (a transient error) is tried again by the next call.
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return (await loaded)(...args);
  };
  return call as unknown as F;
}

/**
 * The exports of a CommonJS package loaded with a dynamic `import()`. Node gives them by name (when it can
 * read them from the source) and as `default`; in the deployed bundle, where the package is a chunk of its
 * own, only `default` holds them. Both ways, this returns the package's `module.exports`.
 */
export function commonJsExports<T extends object>(module: T): T {
  const fallback = (module as { default?: unknown }).default;
  return (fallback !== null && typeof fallback === 'object' ? fallback : module) as T;
}

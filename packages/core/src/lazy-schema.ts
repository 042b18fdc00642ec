import * as z from 'zod';

/** Stand-ins made by `lazySchema`, so that an alias of one is never given the other's id. */
const standIns = new WeakSet<object>();

/** What a zod schema is made of, as far as building one again on another object needs. */
interface Built {
  _zod: { def: unknown; constr: (this: object, def: unknown) => object; parent?: object };
}

/**
 * A module-level schema built on its first use instead of at import: building zod schemas is most of
 * what a function's cold start evaluates, and a function uses few of the schemas it bundles (one route,
 * a few entities). Every module-level schema is declared with it (`const X = lazySchema(() => z...)`),
 * so composing schemas stays lazy too; its type is the schema's own.
 *
 * The value returned is the schema itself, not a wrapper: on the first operation of any kind (parse,
 * compose, `instanceof`, the OpenAPI generator walking it) the schema is built, then the same zod
 * constructor initialises this very object with the same definition, its parent and its metadata
 * (`.meta({ id })`, `.describe()`). Zod's internals capture the object they initialise, so every
 * reference, from other schemas or from the OpenAPI document's named components, is this one object.
 */
export function lazySchema<T extends object>(build: () => T): T {
  const target: object = {};
  let ready = false;
  /** The target, once it is the schema. */
  const force = (): object => {
    if (ready) return target;
    ready = true;
    let built: T & Built;
    try {
      built = build() as T & Built;
    } catch (error) {
      // Not built: the next use tries again (and fails the same way, with the same error).
      ready = false;
      throw error;
    }
    Object.setPrototypeOf(target, Object.getPrototypeOf(built));
    built._zod.constr.call(schema, built._zod.def);
    const internals = (schema as T & Built)._zod;
    if (built._zod.parent) internals.parent = built._zod.parent;
    const registry = z.globalRegistry;
    if (!standIns.has(built) && registry.has(built as never))
      registry.add(schema as never, registry.get(built as never) as never);
    return target;
  };
  const schema = new Proxy(target, {
    get: (_own, key, receiver) => Reflect.get(force(), key, receiver),
    set: (_own, key, value, receiver) => Reflect.set(force(), key, value, receiver),
    has: (_own, key) => Reflect.has(force(), key),
    ownKeys: (_own) => Reflect.ownKeys(force()),
    getOwnPropertyDescriptor: (_own, key) => Reflect.getOwnPropertyDescriptor(force(), key),
    defineProperty: (_own, key, descriptor) => Reflect.defineProperty(force(), key, descriptor),
    deleteProperty: (_own, key) => Reflect.deleteProperty(force(), key),
    getPrototypeOf: (_own) => Reflect.getPrototypeOf(force()),
  }) as T;
  standIns.add(schema);
  return schema;
}

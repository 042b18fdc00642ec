/**
 * zod's JSON Schema generator core in a deployed function that never writes a JSON Schema (see
 * processors.mjs): a schema's `toJSONSchema()` and its standard schema's `jsonSchema` say it was left out.
 */
function leftOut() {
  throw new Error("JSON Schema generation is not part of this function's bundle (see infra/bundling).");
}

export const createStandardJSONSchemaMethod = () => leftOut;
export const createToJSONSchemaMethod = () => leftOut;
export {
  leftOut as extractDefs,
  leftOut as finalize,
  leftOut as handleUnrepresentable,
  leftOut as initializeContext,
  leftOut as process,
  leftOut as processSchema,
};

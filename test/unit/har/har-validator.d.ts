/** Minimal types for the `har-validator` devDependency (CommonJS, ships no types). Each check rejects with details. */
declare module 'har-validator' {
  interface HarValidationError extends Error {
    errors: Array<{ dataPath?: string; instancePath?: string; message?: string; params?: unknown }>;
  }
  interface HarValidator {
    har(data: unknown): Promise<unknown>;
    entry(data: unknown): Promise<unknown>;
    log(data: unknown): Promise<unknown>;
    request(data: unknown): Promise<unknown>;
    response(data: unknown): Promise<unknown>;
    timings(data: unknown): Promise<unknown>;
  }
  const validator: HarValidator;
  export type { HarValidationError };
  export default validator;
}

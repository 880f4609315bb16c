/** HTTP facts the model and every output share. Pure. */

/** Methods whose requests carry no body by definition, so a missing body there is not "unknown". */
export const METHODS_WITHOUT_BODY: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Merging an operator's extra capabilities into the ones bidiscope sends for a new session. Pure. */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `extra` merged over `base`: new keys are added; where both hold an object (e.g. `goog:chromeOptions`) the two are
 * merged one level deep, with `args` arrays concatenated (bidiscope's first) and `prefs` objects merged (the extra
 * value wins per preference); any other key present in both takes the extra value. Neither input is changed.
 */
export function mergeCapabilities(
  base: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  if (!extra) return merged;
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    if (isPlainObject(current) && isPlainObject(value)) {
      const inner: Record<string, unknown> = { ...current, ...value };
      if (Array.isArray(current.args) && Array.isArray(value.args))
        inner.args = [...(current.args as unknown[]), ...(value.args as unknown[])];
      if (isPlainObject(current.prefs) && isPlainObject(value.prefs)) inner.prefs = { ...current.prefs, ...value.prefs };
      merged[key] = inner;
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

/** bidiscope's version; a unit test keeps it equal to package.json's. */
export const VERSION = '0.1.0';

/** The JavaScript runtime running bidiscope, e.g. `bun 1.4.5`, `node v20.20.2`, `deno 2.9.6`. */
export function runtimeDescription(): string {
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string };
  if (versions.bun) return `bun ${versions.bun}`;
  if (versions.deno) return `deno ${versions.deno}`;
  return `node ${process.version}`;
}

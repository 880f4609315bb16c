import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** A write that could not be done; the message says where and why, and what to do. */
export class OutputWriteError extends Error {}

/** Resolves `path` against `outputDir` and refuses anything that would land outside it. */
export function resolveInside(outputDir: string, path: string, allowAbsolute = false): string {
  // A `..` between backslashes is a way out on Windows: the check reads `\\` as a separator everywhere, so the policy
  // is the same on every platform.
  if (path.includes('\\')) {
    const asSlashes = path.replace(/\\/g, '/');
    const fromRootAsSlashes = relative(resolve(outputDir), resolve(outputDir, asSlashes));
    if (fromRootAsSlashes.split(sep).includes('..') || isAbsolute(fromRootAsSlashes)) {
      throw new OutputWriteError(
        `Path "${path}" is outside the output directory ${outputDir}; give a path inside it (relative paths are resolved there).`,
      );
    }
  }
  if (allowAbsolute && isAbsolute(path)) return resolve(path);
  const target = isAbsolute(path) ? resolve(path) : resolve(outputDir, path);
  const fromRoot = relative(resolve(outputDir), target);
  if (fromRoot === '' || isAbsolute(fromRoot) || fromRoot.split(sep).includes('..')) {
    throw new OutputWriteError(
      `Path "${path}" is outside the output directory ${outputDir}; give a path inside it (relative paths are resolved there).`,
    );
  }
  return target;
}

function explain(error: unknown, target: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : // mkdir of a parent that exists as a file: EEXIST for the last parent, ENOTDIR for one below it.
            code === 'ENOTDIR' || code === 'EEXIST'
            ? 'a parent of the path is a file, not a directory'
            : error instanceof Error
              ? error.message
              : String(error);
  return `Could not write ${target}: ${reason}. Nothing was saved there; free space or choose another --output-dir.`;
}

/**
 * Writes a file inside the output directory atomically: a temp file in the same directory, then a rename, so a
 * failed write (disk full, no permission) never leaves a partial file that looks complete.
 */
export async function writeOutputFile(
  outputDir: string,
  path: string,
  content: string | Uint8Array,
  allowAbsolute = false,
): Promise<string> {
  const target = resolveInside(outputDir, path, allowAbsolute);
  const temp = `${target}.partial-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temp, content);
    await rename(temp, target);
    return target;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new OutputWriteError(explain(error, target));
  }
}

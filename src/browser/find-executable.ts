import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The programs bidiscope can drive, and the driver Chrome needs. */
export type ExecutableKind = 'chrome' | 'chromedriver' | 'firefox';

/** Where to look for one kind of executable, in order. */
interface SearchPlan {
  label: string;
  flag: string;
  envVar: string;
  pathNames: readonly string[];
  wellKnown: readonly string[];
  installHint: string;
}

const PROGRAM_FILES = ['C:\\Program Files', 'C:\\Program Files (x86)'];

const SEARCH_PLANS: Record<ExecutableKind, SearchPlan> = {
  chrome: {
    label: 'Chrome/Chromium',
    flag: '--chrome-path',
    envVar: 'BIDISCOPE_CHROME_PATH',
    pathNames: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'],
    wellKnown: [
      '/usr/bin/chromium',
      '/usr/lib/chromium/chromium',
      '/usr/bin/chromium-browser',
      '/snap/bin/chromium',
      '/usr/bin/google-chrome',
      '/opt/google/chrome/chrome',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      ...PROGRAM_FILES.map((dir) => `${dir}\\Google\\Chrome\\Application\\chrome.exe`),
    ],
    installHint: 'Debian/Ubuntu: apt-get install chromium chromium-driver',
  },
  chromedriver: {
    label: 'chromedriver',
    flag: '--chromedriver-path',
    envVar: 'BIDISCOPE_CHROMEDRIVER_PATH',
    pathNames: ['chromedriver'],
    wellKnown: [
      '/usr/bin/chromedriver',
      '/usr/lib/chromium/chromedriver',
      '/usr/lib/chromium-browser/chromedriver',
      '/snap/bin/chromium.chromedriver',
      '/usr/local/bin/chromedriver',
      '/opt/homebrew/bin/chromedriver',
    ],
    installHint: 'Debian/Ubuntu: apt-get install chromium-driver; elsewhere install the chromedriver matching your Chrome major version',
  },
  firefox: {
    label: 'Firefox',
    flag: '--firefox-path',
    envVar: 'BIDISCOPE_FIREFOX_PATH',
    pathNames: ['firefox', 'firefox-esr'],
    wellKnown: [
      '/usr/bin/firefox',
      '/usr/bin/firefox-esr',
      '/usr/lib/firefox-esr/firefox-esr',
      '/usr/lib/firefox/firefox',
      '/snap/bin/firefox',
      '/Applications/Firefox.app/Contents/MacOS/firefox',
      ...PROGRAM_FILES.map((dir) => `${dir}\\Mozilla Firefox\\firefox.exe`),
    ],
    installHint: 'Debian: apt-get install firefox-esr (Firefox 129 or newer; no geckodriver needed)',
  },
};

/** Thrown when no executable is found; the message lists every place searched and how to fix it. */
export class ExecutableNotFoundError extends Error {
  constructor(
    readonly kind: ExecutableKind,
    readonly searched: readonly string[],
  ) {
    const plan = SEARCH_PLANS[kind];
    super(
      `${plan.label} executable not found. Searched:\n${searched.map((place) => `  - ${place}`).join('\n')}\n` +
        `Fix: install it (${plan.installHint}), or point bidiscope at it with ${plan.flag} <path> ` +
        `or the ${plan.envVar} environment variable.`,
    );
    this.name = 'ExecutableNotFoundError';
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds an executable: an explicit path (CLI flag) first, then the `BIDISCOPE_*` environment variable, then PATH,
 * then well-known install locations. An explicit path or env var that does not point at an executable is an error
 * (no silent fallback to another browser than the one the user named).
 */
export function findExecutable(kind: ExecutableKind, explicitPath: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const plan = SEARCH_PLANS[kind];
  const fromEnv = env[plan.envVar];
  if (explicitPath !== undefined) {
    if (isExecutableFile(explicitPath)) return explicitPath;
    throw new ExecutableNotFoundError(kind, [`${plan.flag} ${explicitPath} (not an executable file)`]);
  }
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new ExecutableNotFoundError(kind, [`${plan.envVar}=${fromEnv} (not an executable file)`]);
  }
  const searched: string[] = [`${plan.flag} (not given)`, `${plan.envVar} (not set)`];
  const pathDirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of plan.pathNames) {
    for (const dir of pathDirs) {
      for (const suffix of suffixes) {
        const candidate = join(dir, name + suffix);
        if (isExecutableFile(candidate)) return candidate;
      }
    }
    searched.push(`PATH: ${name}`);
  }
  for (const candidate of plan.wellKnown) {
    if (isExecutableFile(candidate)) return candidate;
    searched.push(candidate);
  }
  throw new ExecutableNotFoundError(kind, searched);
}

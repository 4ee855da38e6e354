// Finds the Chromium that browser and end-to-end tests drive. Nothing here
// downloads a browser: on a fresh machine install Debian's package
// (`apt-get install -y chromium`) or point CHROME_PATH at a Chrome binary.
import { accessSync, constants, existsSync, statSync } from 'node:fs';

const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Flags that keep a headless Chromium off the network and fast here. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

function isExecutableFile(path) {
  try {
    const stat = statSync(path);
    // As root, access(X_OK) says yes to any file, so look at the mode too.
    if (!stat.isFile() || (stat.mode & 0o111) === 0) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new Error(
      `CHROME_PATH is set to ${fromEnv}, which is not an executable file.\n` +
        'Point it at a Chrome or Chromium binary, or unset it and install\n' +
        '  sudo apt-get install -y chromium',
    );
  }
  const found = KNOWN_PATHS.find((path) => existsSync(path));
  if (found) return found;
  throw new Error(
    'No Chromium found for the browser tests. Install it with\n' +
      '  sudo apt-get install -y chromium\n' +
      'or set CHROME_PATH to a Chrome or Chromium binary.',
  );
}

// A browser's User-Agent as a person names their device: the browser and the system, in a few words
// ("Chrome" and "Windows"). Simple on purpose: it labels sessions, it proves nothing.
const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Line\//, 'LINE'],
  [/FBAN|FBAV/, 'Facebook'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

export interface Device {
  browser?: string;
  system?: string;
}

export function deviceOf(userAgent: string | undefined): Device {
  const ua = userAgent ?? '';
  return { browser: BROWSERS.find(([re]) => re.test(ua))?.[1], system: SYSTEMS.find(([re]) => re.test(ua))?.[1] };
}

/** The same device as far as the names tell (for "a login on a new device"). */
export const deviceKey = (d: Device) => `${d.browser ?? '?'}/${d.system ?? '?'}`;

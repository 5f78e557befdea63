// Where a person may be sent back to (`return=`, `next=`): a path on the service's own origin, never
// another host. Parsed as a URL against that origin, not matched by a pattern: `//host`, `/\host`,
// `//2130706433`, backslashes, control characters and schemes are all refused.
const UNSAFE = /[\x00-\x20\x7f\\]/;

/** The normalised same-origin path (with its query) for `value`, or undefined when it could lead elsewhere. */
export function sameOriginPath(value: unknown, origin: string): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  // a path, not a URL: one leading slash; browsers read `//x` and `/\x` as another host
  if (!value.startsWith('/') || value.startsWith('//') || UNSAFE.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(origin).origin) return undefined;
  const path = `${url.pathname}${url.search}`;
  // dot segments can collapse to a second leading slash (`/a/..//host`)
  return path.startsWith('//') ? undefined : path;
}

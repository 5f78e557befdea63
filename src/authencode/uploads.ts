// Uploaded pictures (a QR code photo, a patient's photo with their card): what a file is and how big,
// in words a page can show when it is refused. Reads only the header (sharp metadata): nothing is decoded.
import sharp from 'sharp';

/** The picture format of a file (jpeg, png, heif, gif, webp…), or undefined when it is not a picture sharp reads. */
export async function imageFormat(file: Buffer): Promise<string | undefined> {
  try {
    return (await sharp(file).metadata()).format;
  } catch {
    return undefined;
  }
}

export const isImage = async (file: Buffer) => (await imageFormat(file)) !== undefined;

/** 5242880 → "5 MB", 734003 → "717 KB", as a refusal names a file's size. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

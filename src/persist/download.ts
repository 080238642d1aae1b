/** Saves text as a file on the user's disk, through the browser's download. */

/**
 * `parts` are joined as they are (a byte order mark may lead). The object URL is released after a while: the
 * download has taken the bytes by then, and it would otherwise hold them for the session.
 */
export function downloadText(fileName: string, type: string, ...parts: string[]): void {
  downloadBlob(fileName, new Blob(parts, { type }));
}

/** Saves a blob (a picture) as a file. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  // Some browsers follow a click only on an element in the document.
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

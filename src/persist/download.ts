/** Saves text as a file on the user's disk, through the browser's download. */

/**
 * `parts` are joined as they are (a byte order mark may lead). The object URL is released after a while: the
 * download has taken the bytes by then, and it would otherwise hold them for the session.
 */
export function downloadText(fileName: string, type: string, ...parts: string[]): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  // Some browsers follow a click only on an element in the document.
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

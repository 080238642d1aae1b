/**
 * A KML document made safe to hand to Cesium's reader: network links are removed (they would fetch from hosts
 * the user never chose; the deployment's policy would block them anyway, with a violation instead of a
 * message), and a document nested deeper than any real one is refused (Cesium reads folders recursively).
 * The browser's own XML parser reads it; nothing here renders it.
 */
export const MAX_KML_DEPTH = 64;

export interface SafeKml {
  readonly doc: Document;
  readonly removedNetworkLinks: number;
}

function depthOf(root: Element): number {
  // Iterative: a hostile document must not exhaust the stack here either.
  let max = 0;
  const stack: Array<[Element, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [el, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_KML_DEPTH) return max;
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) stack.push([c, d + 1]);
  }
  return max;
}

export function safeKml(text: string, name: string): SafeKml {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const err = doc.getElementsByTagName('parsererror')[0];
  if (err) throw new Error(`“${name}” is not well-formed XML: ${(err.textContent ?? '').trim().slice(0, 200)}`);
  if (doc.documentElement.localName !== 'kml') throw new Error(`“${name}” is not a KML document (its root element is <${doc.documentElement.localName.slice(0, 40)}>)`);
  if (depthOf(doc.documentElement) > MAX_KML_DEPTH) throw new Error(`“${name}” nests its folders more than ${MAX_KML_DEPTH} levels deep; it is not read`);
  const links = [...doc.getElementsByTagNameNS('*', 'NetworkLink')];
  for (const l of links) l.remove();
  return { doc, removedNetworkLinks: links.length };
}

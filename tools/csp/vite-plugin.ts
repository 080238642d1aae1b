/**
 * Writes the Content-Security-Policy into the built index.html right after <meta charset> (a policy in a <meta>
 * governs only what comes after it, and the charset must stay first), so every static deployment carries it
 * without a server header.
 */
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './policy';

const escapeAttr = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** index.html with the policy's <meta> after <meta charset>; a policy already there is replaced (a deployment's config changed). */
export function withCspMeta(html: string, connectOrigins: readonly string[], dataOrigins: readonly string[] = []): string {
  html = html.replace(/\n?\s*<meta http-equiv="Content-Security-Policy"[^>]*>/i, '');
  const charset = /<meta charset="utf-8"\s*\/?>/i.exec(html);
  if (!charset) throw new Error('index.html has no <meta charset="utf-8">: the security policy needs a place after it');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(connectOrigins, 'meta', dataOrigins))}" />`;
  const at = charset.index + charset[0].length;
  return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`;
}

export function cspMeta(connectOrigins: readonly string[], dataOrigins: readonly string[] = []): Plugin {
  return {
    name: 'sddi-csp-meta',
    apply: 'build',
    transformIndexHtml: { order: 'post', handler: (html) => withCspMeta(html, connectOrigins, dataOrigins) },
  };
}

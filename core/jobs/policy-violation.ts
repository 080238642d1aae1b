/**
 * A Content-Security-Policy violation inside a worker is an event in the worker's own global scope: the page
 * (and whoever watches the page for violations, the browser tests included) never sees it. Workers pass each one
 * to the page as a message marked with this key; the page raises it there again.
 */
export const POLICY_VIOLATION = 'sddi-policy-violation';

export interface PolicyViolation {
  readonly directive: string;
  readonly blockedURI: string;
  readonly sourceFile: string;
}

const text = (x: unknown): string => (typeof x === 'string' ? x.slice(0, 500) : '');

/** The violation a worker message carries, or null for every other message. */
export function policyViolationOf(data: unknown): PolicyViolation | null {
  if (typeof data !== 'object' || data === null || !(POLICY_VIOLATION in data)) return null;
  const v = (data as Record<string, unknown>)[POLICY_VIOLATION] as Partial<Record<keyof PolicyViolation, unknown>> | null;
  if (typeof v !== 'object' || v === null) return null;
  return { directive: text(v.directive), blockedURI: text(v.blockedURI), sourceFile: text(v.sourceFile) };
}

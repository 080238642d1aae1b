/**
 * Every worker's entry: exposes its API over comlink and passes Content-Security-Policy violations to the page.
 * Guarded because at module top level `expose` would attach to whatever global this is imported into (and
 * throws in node, which has no `self`).
 */
import { expose } from 'comlink';
import { POLICY_VIOLATION } from './policy-violation';

export function exposeInWorker(api: object): void {
  if (typeof WorkerGlobalScope === 'undefined' || !(globalThis instanceof WorkerGlobalScope)) return;
  const scope = globalThis as unknown as { addEventListener(type: string, f: (e: SecurityPolicyViolationEvent) => void): void; postMessage(m: unknown): void };
  scope.addEventListener('securitypolicyviolation', (e) =>
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker's postMessage has no target origin: it goes to its page.
    scope.postMessage({ [POLICY_VIOLATION]: { directive: e.effectiveDirective, blockedURI: e.blockedURI, sourceFile: e.sourceFile } }),
  );
  expose(api);
}

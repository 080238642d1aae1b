/**
 * zod, configured once for the app. zod compiles fast parsers with `new Function` where it may, and probing for
 * that logs a Content-Security-Policy violation under the app's no-eval policy: the jitless parsers are plenty
 * fast for links and manifests.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };

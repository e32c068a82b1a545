/**
 * zod builds fast object parsers with `new Function` (and probes for it when a schema is made).
 * The web apps' Content-Security-Policy has no 'unsafe-eval', so in a browser zod is told to
 * parse without them before any schema exists; the server keeps the faster parsers.
 */
import { config } from 'zod';

if (typeof document !== 'undefined') config({ jitless: true });

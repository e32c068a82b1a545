/** Every JSON answer of the API is `{ "data": … }`; errors are application/problem+json with a stable `code`. */
import { z } from 'zod';

export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data });
}

/** An answer without a body (204). */
export const noContent = z.null();

import type { z } from 'zod';

/** Formats zod issues as one line per field: `  - sources.orders.columns.odrer_id: 'odrer_id' is not a column ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('\n');
}

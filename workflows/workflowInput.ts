import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import { describeIssues } from '../schemas/issues';

/**
 * A workflow's input, parsed by its schema. A bad input fails the workflow at once with the fields named:
 * any error other than an ApplicationFailure would fail the workflow task instead, which Temporal retries forever.
 */
export function parseWorkflowInput<Schema extends z.ZodType>(schema: Schema, input: unknown, workflow: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.nonRetryable(
    `the input of the ${workflow} workflow is invalid:\n${describeIssues(parsed.error)}`,
    'InvalidWorkflowInput',
  );
}

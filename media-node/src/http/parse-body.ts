import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest } from '../errors';
import type { SignedEnv } from './signature-auth';

/** Summarises schema issues as `path: message` pairs, without echoing the input back. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/** Parses the verified raw body with a protocol schema; 400 with a code for anything else. */
export function parseBody<T extends z.ZodType>(c: Context<SignedEnv>, schema: T): z.infer<T> {
  const raw = c.get('rawBody');
  let json: unknown;
  try {
    json = raw === '' ? {} : JSON.parse(raw);
  } catch {
    throw badRequest('INVALID_JSON', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badRequest('VALIDATION_FAILED', describeIssues(parsed.error));
  return parsed.data;
}

/** Validates a path parameter with its id schema. */
export function parseParam<T extends z.ZodType>(value: string | undefined, schema: T): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest('VALIDATION_FAILED', 'malformed id in path');
  return parsed.data;
}

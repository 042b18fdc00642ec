/**
 * What a form shows of a refusal: the API answers problem+json (RFC 9457) with udata's `message` and,
 * for validation, `errors: {field: [messages]}`; each message goes next to its field.
 */
export interface FormProblem {
  message: string;
  fields: Record<string, string[]>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `summary` replaces the API's own message when fields are named: each field shows its messages. */
export function formProblem(error: unknown, fallback: string, summary?: string): FormProblem {
  if (!isRecord(error)) return { message: fallback, fields: {} };
  const fields: Record<string, string[]> = {};
  if (isRecord(error.errors)) {
    for (const [name, messages] of Object.entries(error.errors)) {
      if (Array.isArray(messages)) fields[name] = messages.filter((item) => typeof item === 'string');
    }
  }
  const message =
    summary && Object.keys(fields).length
      ? summary
      : typeof error.detail === 'string'
        ? error.detail
        : typeof error.message === 'string'
          ? error.message
          : fallback;
  return { message, fields };
}

export const noProblem = (): FormProblem => ({ message: '', fields: {} });

/**
 * Typed domain errors. The HTTP layer maps each to one status code and an RFC 9457 problem document
 * that also carries udata's `message` (and `errors` field map for validation failures).
 */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** A stable, documented problem type slug (the `type` URI ends with it). */
  abstract readonly code: string;
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly title = 'Validation error';
  readonly code = 'validation-error';
  constructor(
    message: string,
    readonly errors: FieldErrors = {},
  ) {
    super(message);
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError(`${field}: ${message}`, { [field]: [message] });
  }
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  readonly code = 'unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
  readonly code = 'forbidden';
  constructor(message = 'You do not have the permission to modify that object.') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
  readonly code = 'not-found';
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
  readonly code = 'conflict';
}

export class GoneError extends DomainError {
  readonly status = 410;
  readonly title = 'Gone';
  readonly code = 'gone';
}

export class NotAcceptableError extends DomainError {
  readonly status = 406;
  readonly title = 'Not acceptable';
  readonly code = 'not-acceptable';
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly title = 'Payload too large';
  readonly code = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  readonly code = 'unsupported-media-type';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly title = 'Too many requests';
  readonly code = 'too-many-requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A remote Portail depends on (a harvested catalogue) could not be read: 502, saying why. */
export class UpstreamError extends DomainError {
  readonly status = 502;
  readonly title = 'Bad gateway';
  readonly code = 'upstream-error';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

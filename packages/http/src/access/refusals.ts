import {
  type DomainError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  type Refusal,
  ValidationError,
} from '@portail/core';

/** What the caller is told for each refusal of the ladder (core's access.ts) about one object. */
export interface RefusalMessages {
  /** 404, for an unknown object and for a private one the caller may not see (the same answer). */
  notFound: string;
  gone: string;
  /** 403; ForbiddenError's default when absent. */
  forbidden?: string;
  /**
   * The object was named in a request body: not found is then a 400 naming this field (as udata does
   * for a dataset or organization given in a body), not a 404.
   */
  field?: string;
}

export function refusalError(refusal: Refusal, messages: RefusalMessages): DomainError {
  switch (refusal) {
    case 'unknown':
    case 'hidden':
      return messages.field
        ? ValidationError.field(messages.field, messages.notFound)
        : new NotFoundError(messages.notFound);
    case 'gone':
      return new GoneError(messages.gone);
    case 'forbidden':
      return new ForbiddenError(messages.forbidden);
  }
}

/** Throws the refusal's error, if there is one. */
export function enforce(refusal: Refusal | null, messages: RefusalMessages): void {
  if (refusal) throw refusalError(refusal, messages);
}

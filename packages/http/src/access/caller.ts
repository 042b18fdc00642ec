import { type Caller, ForbiddenError, isAllowed, type Permission, UnauthorizedError } from '@portail/core';

/** Asks core's permission module about a permission that concerns no loaded object; 403 when refused. */
export function authorize(caller: Caller, permission: Permission, message?: string): void {
  if (!isAllowed(caller, permission)) throw new ForbiddenError(message);
}

/** The calling user's id (routes declared `authenticated` never see an anonymous caller). */
export function userIdOf(caller: Caller): string {
  if (caller.kind !== 'user') throw new UnauthorizedError('Authentication required.');
  return caller.id;
}

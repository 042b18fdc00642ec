import { dummyPasswordHash, hashPassword, PasswordCostSchema } from '@portail/core';
import * as z from 'zod';

/**
 * The scrypt work factor of new password hashes (`PASSWORD_COST`, a power of two, 15 unless set):
 * deployments keep the default; the test platform lowers it so that hundreds of sign-ups stay cheap.
 */
const { PASSWORD_COST: cost } = z.object({ PASSWORD_COST: PasswordCostSchema }).parse(process.env);

export const hashNewPassword = (password: string) => hashPassword(password, cost);

/** Verified for unknown emails: costs what a real hash of this deployment costs. */
export const UNKNOWN_USER_PASSWORD_HASH = dummyPasswordHash(cost);

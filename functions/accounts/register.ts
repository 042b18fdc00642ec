import { confirmationMail, ValidationError } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { createUser, EmailTakenError, newOneTimeToken } from '@portail/store';
import { confirmationLink } from './links';
import { hashNewPassword } from './password-cost';
import type { accountRoutes } from './routes';
import { takeRegistration } from './throttles';

export const register: RouteHandler<typeof accountRoutes.register> = async ({ body, urls, sourceIp }) => {
  await takeRegistration(sourceIp);
  const now = new Date();
  const passwordHash = await hashNewPassword(body.password);
  // The token item names its user once the account's id exists (createUser fills in `$NEW`).
  const { token, put } = newOneTimeToken('confirm', '$NEW', now);
  try {
    await createUser(
      {
        email: body.email,
        first_name: body.first_name,
        last_name: body.last_name,
        password_hash: passwordHash,
      },
      [put],
      confirmationMail(body, confirmationLink(urls, token)),
      now,
    );
  } catch (error) {
    if (error instanceof EmailTakenError)
      throw ValidationError.field('email', `${body.email} is already registered.`);
    throw error;
  }
  return {
    status: 201,
    body: {
      message: `Account created. A confirmation link was sent to ${body.email}; open it to be able to publish.`,
    },
  };
};

import { actorOf, type Caller, NotFoundError, type PublicUrls, presentMe, type User } from '@portail/core';
import { clearedSessionCookie, type RouteHandler } from '@portail/http';
import { deleteUser, findUserById, listUserOrganizations, updateProfile } from '@portail/store';
import type { accountRoutes } from './routes';

async function currentUser(caller: Caller): Promise<User> {
  const user = caller.kind === 'user' ? await findUserById(caller.id) : null;
  if (!user || user.deleted) throw new NotFoundError('No account.');
  return user;
}

/** The account as its holder sees it, with the organizations they belong to and their role there. */
export async function myAccount(user: User, urls: PublicUrls) {
  const memberships = await listUserOrganizations(user.id);
  return presentMe(
    user,
    urls,
    memberships.map(({ organization, role }) => ({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      role,
    })),
  );
}

export const getMe: RouteHandler<typeof accountRoutes.getMe> = async ({ caller, urls }) => ({
  status: 200,
  body: await myAccount(await currentUser(caller), urls),
});

export const updateMe: RouteHandler<typeof accountRoutes.updateMe> = async ({ caller, body, urls }) => {
  const user = await updateProfile(await currentUser(caller), body, actorOf(caller));
  return { status: 200, body: await myAccount(user, urls) };
};

export const deleteMe: RouteHandler<typeof accountRoutes.deleteMe> = async ({ caller }) => {
  await deleteUser(await currentUser(caller), actorOf(caller));
  return { status: 204, cookies: [clearedSessionCookie()] };
};

import { actorOf, NotFoundError } from '@portail/core';
import { loadOrganization, loadReuse, type RouteHandler } from '@portail/http';
import { findUserById, setOrganizationLogo, setReuseImage, setUserAvatar } from '@portail/store';
import type { imageRoutes } from './routes';
import { forgetImage, receiveImage, recropImage, serveImage, uploadedImage } from './stored-images';

type Routes = typeof imageRoutes;

export const uploadOrganizationLogo: RouteHandler<Routes['uploadOrganizationLogo']> = async ({
  params,
  form,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'edit' });
  const logo = await receiveImage(form, 'logo', organization.id);
  const { replaced } = await setOrganizationLogo(organization, logo, actorOf(caller));
  await forgetImage(replaced);
  return { status: 200, body: uploadedImage(urls, logo) };
};

/**
 * udata's `PUT` on an organization's logo ("Set the logo BBox"): new thumbnails cropped to `bbox` from
 * the logo already kept, without sending the file again; with a `file`, the same as the upload.
 */
export const recropOrganizationLogo: RouteHandler<Routes['recropOrganizationLogo']> = async ({
  params,
  form,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'edit' });
  const logo = form?.files.some((file) => file.field === 'file')
    ? await receiveImage(form, 'logo', organization.id)
    : await recropImage(organization.logo ?? null, 'logo', organization.id, form?.fields.bbox);
  const { replaced } = await setOrganizationLogo(organization, logo, actorOf(caller));
  await forgetImage(replaced);
  return { status: 200, body: uploadedImage(urls, logo) };
};

export const uploadReuseImage: RouteHandler<Routes['uploadReuseImage']> = async ({
  params,
  form,
  caller,
  urls,
}) => {
  const { reuse } = await loadReuse(caller, params.reuse, 'edit');
  const image = await receiveImage(form, 'reuse-image', reuse.id);
  const { replaced } = await setReuseImage(reuse, image, actorOf(caller));
  await forgetImage(replaced);
  return { status: 200, body: uploadedImage(urls, image) };
};

export const uploadAvatar: RouteHandler<Routes['uploadAvatar']> = async ({ form, caller, urls }) => {
  const user = caller.kind === 'user' ? await findUserById(caller.id) : null;
  if (!user || user.deleted) throw new NotFoundError('No account.');
  const avatar = await receiveImage(form, 'avatar', user.id);
  await setUserAvatar(user, avatar, actorOf(caller));
  await forgetImage(user.avatar);
  return { status: 200, body: uploadedImage(urls, avatar) };
};

export const getImage: RouteHandler<Routes['getImage']> = async ({ params, method }) =>
  serveImage(params.owner, params.file, method);

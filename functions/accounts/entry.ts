import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { loadOriginSecret } from '@portail/http/viewer-address';
import { storeConfig } from '@portail/store';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens';
import { confirmEmail, resendConfirmation } from './confirm-email';
import { deleteMe, getMe, updateMe } from './me';
import { changePassword, requestPasswordReset, resetPassword } from './passwords';
import { register } from './register';
import { accountRoutes } from './routes';
import { getCsrfToken, login, logout } from './sessions';
import { getUser } from './users';

storeConfig();
// Throttles count the viewer's address, believed only on requests carrying the distribution's secret.
await Promise.all([loadApiTokenSecret(), loadOriginSecret()]);

export const handler = createGroupHandler(
  accountRoutes,
  {
    register,
    confirmEmail,
    resendConfirmation,
    login,
    logout,
    getCsrfToken,
    requestPasswordReset,
    resetPassword,
    changePassword,
    getMe,
    updateMe,
    deleteMe,
    listApiTokens,
    createApiToken,
    revokeApiToken,
    getUser,
  },
  resolveCaller,
);

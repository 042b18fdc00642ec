import { apiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { routes } from '../routes';
import { getTransfer } from './get-transfer';
import { listTransfers } from './list-transfers';
import { requestTransfer } from './request-transfer';
import { respondToTransfer } from './respond-to-transfer';

storeConfig();
apiTokenSecret();

export const handler = createGroupHandler(
  'transfers',
  routes,
  { listTransfers, requestTransfer, getTransfer, respondToTransfer },
  resolveCaller,
);

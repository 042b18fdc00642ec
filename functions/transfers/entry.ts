import { loadApiTokenSecret, resolveCaller } from '@portail/http/auth';
import { createGroupHandler } from '@portail/http/group-handler';
import { storeConfig } from '@portail/store';
import { getTransfer } from './get-transfer';
import { listTransfers } from './list-transfers';
import { requestTransfer } from './request-transfer';
import { respondToTransfer } from './respond-to-transfer';
import { transferRoutes } from './routes';

storeConfig();
await loadApiTokenSecret();

export const handler = createGroupHandler(
  transferRoutes,
  { listTransfers, requestTransfer, getTransfer, respondToTransfer },
  resolveCaller,
);

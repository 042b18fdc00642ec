import { loadApiTokenSecret } from '@portail/http/api-token-key';
import { withLogging } from '@portail/http/logger';
import { storeConfig } from '@portail/store';
import { sendDigests } from './send-digests';

storeConfig();
await loadApiTokenSecret();

export const handler = withLogging(async () => {
  await sendDigests();
});

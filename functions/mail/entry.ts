import { withLogging } from '@portail/http/logger';
import { sendMail } from './send-mail';

export const handler = withLogging(sendMail);

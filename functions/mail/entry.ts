import { sendMail } from './send-mail';

export const handler = sendMail;

import { eventConsumer } from '../events/event-consumer';
import { countDownload } from './count-downloads';

export const handler = eventConsumer(['dataset.resource.downloaded'], countDownload);

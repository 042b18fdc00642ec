import { eventConsumer } from '../events/event-consumer';
import { countDownload, countView } from './count-downloads';

export const handler = eventConsumer(['dataset.resource.downloaded', 'dataset.viewed'], (event) =>
  event.type === 'dataset.viewed' ? countView(event) : countDownload(event),
);

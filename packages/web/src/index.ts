export { type WebConfig, webConfig } from './config';
export { pageHandler } from './handler';
export { matchPage, PAGE_ROUTE_PATHS } from './page-routes';
export { type PageResponse, renderPage } from './render';

import { language } from '../../i18n';

const locale = () => (language.value === 'fr' ? 'fr-FR' : 'en-GB');

/** A day as people of the workspace's language read it. */
export const dayOf = (value: string) => new Date(value).toLocaleDateString(locale(), { dateStyle: 'medium' });

/** A moment (day and time) as people of the workspace's language read it. */
export const momentOf = (value: string | null) =>
  value ? new Date(value).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' }) : '—';

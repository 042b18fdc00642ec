/**
 * French first, English available. French pages live at the paths the API's `page` links name
 * (`/datasets/<slug>/`); the English page of the same thing is the same path under `/en`
 * (`/en/datasets/<slug>/`). Each page links both with `hreflang`, and `x-default` is the French one.
 */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The path of a page in a language: `path` is the French (unprefixed) path, starting with `/`. */
export function localePath(language: Language, path: string): string {
  return language === 'fr' ? path : `/en${path}`;
}

const fr = {
  siteName: 'Portail',
  tagline: 'La plateforme ouverte des données publiques',
  home: 'Accueil',
  datasets: 'Jeux de données',
  search: 'Rechercher',
  searchPlaceholder: 'Rechercher des jeux de données',
  searchTitle: 'Rechercher des jeux de données',
  latestDatasets: 'Jeux de données récents',
  results: (total: number) => (total > 1 ? `${total} résultats` : `${total} résultat`),
  noResults: 'Aucun jeu de données ne correspond à la recherche.',
  previous: 'Précédent',
  next: 'Suivant',
  page: (page: number) => `Page ${page}`,
  publishedBy: 'Publié par',
  resources: 'Ressources',
  noResources: 'Aucune ressource pour le moment.',
  download: 'Télécharger',
  format: 'Format',
  size: 'Taille',
  license: 'Licence',
  frequency: 'Fréquence de mise à jour',
  temporalCoverage: 'Couverture temporelle',
  spatialCoverage: 'Couverture spatiale',
  granularity: 'Granularité spatiale',
  lastUpdate: 'Dernière mise à jour',
  created: 'Créé le',
  tags: 'Mots-clés',
  reuses: 'Réutilisations',
  organizations: 'Organisations',
  members: 'Membres',
  followers: 'Abonnés',
  website: 'Site web',
  linkedDatasets: 'Jeux de données réutilisés',
  datasetsOf: 'Jeux de données publiés',
  reusesOf: 'Réutilisations publiées',
  none: 'Aucun pour le moment.',
  since: 'Membre depuis',
  open: 'Ouvrir',
  notFoundTitle: 'Page introuvable',
  notFound: "Cette page n'existe pas, ou elle n'est pas publique.",
  goneTitle: 'Page supprimée',
  gone: 'Ce contenu a été supprimé.',
  errorTitle: 'Service indisponible',
  error: 'Le service ne répond pas pour le moment. Réessayez dans quelques instants.',
  languageName: 'Français',
  otherLanguage: 'English',
  to: 'au',
  from: 'Depuis le',
  api: 'API',
  datasetLabel: 'Jeu de données',
  organizationLabel: 'Organisation',
  reuseLabel: 'Réutilisation',
  userLabel: 'Utilisateur',
  takePart: 'Participer',
  takePartIntro:
    'Suivez ce jeu de données, posez une question au producteur ou signalez ce que vous en avez fait.',
  followAndDiscuss: 'Suivre et discuter',
  discussReuse: 'Discuter de cette réutilisation',
  declareReuse: 'Déclarer une réutilisation',
  discussions: 'Discussions',
  noDiscussions: 'Aucune discussion pour le moment.',
  closedDiscussion: 'close',
  postedBy: 'par',
  filters: 'Affiner la recherche',
  facetTag: 'Mots-clés',
  facetLicense: 'Licences',
  facetFormat: 'Formats',
  activeFilters: 'Filtres actifs',
  removeFilter: (label: string) => `Retirer le filtre ${label}`,
  addFilter: (label: string, count: number) => `${label} (${count})`,
};

export type Strings = typeof fr;

const en: Strings = {
  siteName: 'Portail',
  tagline: 'The open platform for public data',
  home: 'Home',
  datasets: 'Datasets',
  search: 'Search',
  searchPlaceholder: 'Search datasets',
  searchTitle: 'Search datasets',
  latestDatasets: 'Latest datasets',
  results: (total: number) => (total === 1 ? '1 result' : `${total} results`),
  noResults: 'No dataset matches the search.',
  previous: 'Previous',
  next: 'Next',
  page: (page: number) => `Page ${page}`,
  publishedBy: 'Published by',
  resources: 'Resources',
  noResources: 'No resource yet.',
  download: 'Download',
  format: 'Format',
  size: 'Size',
  license: 'License',
  frequency: 'Update frequency',
  temporalCoverage: 'Temporal coverage',
  spatialCoverage: 'Spatial coverage',
  granularity: 'Spatial granularity',
  lastUpdate: 'Last update',
  created: 'Created on',
  tags: 'Tags',
  reuses: 'Reuses',
  organizations: 'Organizations',
  members: 'Members',
  followers: 'Followers',
  website: 'Website',
  linkedDatasets: 'Datasets reused',
  datasetsOf: 'Published datasets',
  reusesOf: 'Published reuses',
  none: 'None yet.',
  since: 'Member since',
  open: 'Open',
  notFoundTitle: 'Page not found',
  notFound: 'This page does not exist, or it is not public.',
  goneTitle: 'Page deleted',
  gone: 'This content was deleted.',
  errorTitle: 'Service unavailable',
  error: 'The service does not answer right now. Try again in a moment.',
  languageName: 'English',
  otherLanguage: 'Français',
  to: 'to',
  from: 'From',
  api: 'API',
  datasetLabel: 'Dataset',
  organizationLabel: 'Organization',
  reuseLabel: 'Reuse',
  userLabel: 'User',
  takePart: 'Take part',
  takePartIntro: 'Follow this dataset, ask its producer a question or tell what you made with it.',
  followAndDiscuss: 'Follow and discuss',
  discussReuse: 'Discuss this reuse',
  declareReuse: 'Declare a reuse',
  discussions: 'Discussions',
  noDiscussions: 'No discussion yet.',
  closedDiscussion: 'closed',
  postedBy: 'by',
  filters: 'Refine the search',
  facetTag: 'Tags',
  facetLicense: 'Licenses',
  facetFormat: 'Formats',
  activeFilters: 'Active filters',
  removeFilter: (label: string) => `Remove the filter ${label}`,
  addFilter: (label: string, count: number) => `${label} (${count})`,
};

export const STRINGS: Record<Language, Strings> = { fr, en };

const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };
/** Built once: an Intl formatter costs far more to make than to use. */
const DATE_FORMATS = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'UTC' }),
  ]),
) as Record<Language, Intl.DateTimeFormat>;
const NUMBER_FORMATS = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    [0, 1].map((digits) => new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: digits })),
  ]),
) as Record<Language, Intl.NumberFormat[]>;

/** A date as people of the language read it (UTC, day precision). */
export function formatDate(language: Language, value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return DATE_FORMATS[language].format(date);
}

export function formatBytes(language: Language, bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '';
  const units = language === 'fr' ? ['o', 'Ko', 'Mo', 'Go', 'To'] : ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${NUMBER_FORMATS[language][digits]!.format(value)} ${units[unit]}`;
}

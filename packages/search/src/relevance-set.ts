/**
 * The relevance test set: French queries a data.gouv.fr user types, each with the dataset that must
 * come first (or, for `top3`, among the first three), over a small catalogue. The test
 * (`relevance.test.ts`) holds the embedded engine to it; `bench/search-engines.ts` scores other engines
 * on it.
 */
import { popularityBoost, type SearchDocument } from '@portail/core';

export type Entry = [
  id: string,
  title: string,
  extra?: Partial<{
    acronym: string;
    description: string;
    tags: string;
    organization: string;
    resources: string;
    followers: number;
    publicService: boolean;
  }>,
];

export const CATALOGUE: Entry[] = [
  [
    'dvf',
    'Demandes de valeurs foncières',
    {
      acronym: 'DVF',
      organization: 'Direction générale des Finances publiques',
      description: 'Transactions immobilières intervenues au cours des cinq dernières années.',
      tags: 'immobilier foncier',
      followers: 900,
      publicService: true,
    },
  ],
  [
    'dvf-geo',
    'Demandes de valeurs foncières géolocalisées',
    { description: 'Les données DVF géolocalisées à l’adresse.', tags: 'immobilier', followers: 200 },
  ],
  [
    'cadastre',
    'Plan cadastral informatisé',
    {
      acronym: 'PCI',
      description: 'Parcelles et bâtiments du cadastre, croisés avec DVF.',
      tags: 'cadastre parcelles',
      publicService: true,
    },
  ],
  [
    'sirene',
    'Base Sirene des entreprises et de leurs établissements',
    {
      acronym: 'SIRENE',
      organization: 'INSEE',
      description: 'Répertoire des entreprises.',
      tags: 'entreprises siret siren',
      followers: 1500,
      publicService: true,
    },
  ],
  [
    'ban',
    'Base adresse nationale',
    {
      acronym: 'BAN',
      description: 'Toutes les adresses géolocalisées de France.',
      tags: 'adresses',
      followers: 800,
      publicService: true,
    },
  ],
  [
    'rna',
    'Répertoire national des associations',
    { acronym: 'RNA', description: 'Associations déclarées en préfecture.', tags: 'associations' },
  ],
  [
    'eau-potable',
    "Qualité de l'eau potable",
    {
      description: 'Résultats du contrôle sanitaire des eaux distribuées commune par commune.',
      tags: 'eau sante',
      organization: 'Ministère de la Santé',
      followers: 300,
    },
  ],
  [
    'eau-baignade',
    'Qualité des eaux de baignade',
    { description: 'Classement des sites de baignade en mer et en eau douce.', tags: 'eau baignade' },
  ],
  [
    'prix-carburants',
    'Prix des carburants en France',
    {
      description: 'Flux quotidien des prix à la pompe des stations-service.',
      tags: 'carburants energie',
      followers: 700,
    },
  ],
  [
    'conso-elec',
    'Consommation annuelle d’électricité et de gaz par commune',
    { description: 'Consommations par secteur et par commune.', tags: 'energie electricite gaz' },
  ],
  [
    'energie-renouvelable',
    'Production d’énergie renouvelable par filière',
    { description: 'Éolien, solaire, hydraulique et biomasse.', tags: 'energie renouvelable' },
  ],
  [
    'bornes-irve',
    'Bornes de recharge pour véhicules électriques',
    { acronym: 'IRVE', description: 'Infrastructures de recharge.', tags: 'mobilite electrique' },
  ],
  [
    'gtfs-idf',
    'Horaires des transports en commun d’Île-de-France',
    { description: 'Données GTFS du réseau.', tags: 'transport gtfs', resources: 'GTFS IDFM.zip' },
  ],
  [
    'accidents',
    'Bases de données annuelles des accidents corporels de la circulation routière',
    {
      description: 'Accidents, lieux, véhicules et usagers.',
      tags: 'securite-routiere accidents',
      followers: 400,
    },
  ],
  [
    'radars',
    'Radars automatiques',
    { description: 'Emplacement des radars fixes.', tags: 'securite-routiere' },
  ],
  [
    'budget-etat',
    'Budget de l’État voté',
    { description: 'Crédits votés en loi de finances.', tags: 'budget finances' },
  ],
  [
    'comptes-communes',
    'Comptes individuels des communes',
    { description: 'Budget et fiscalité des communes.', tags: 'budget collectivites' },
  ],
  [
    'elections-muni',
    'Élections municipales 2020 : résultats du premier tour',
    { description: 'Résultats par bureau de vote.', tags: 'elections' },
  ],
  [
    'elections-pres',
    'Élection présidentielle 2022 : résultats',
    { description: 'Résultats par commune et bureau de vote.', tags: 'elections', followers: 350 },
  ],
  [
    'rpps',
    'Annuaire des professionnels de santé',
    {
      acronym: 'RPPS',
      description: 'Médecins, pharmaciens et autres professionnels.',
      tags: 'sante medecins',
    },
  ],
  [
    'finess',
    'Établissements sanitaires et sociaux',
    {
      acronym: 'FINESS',
      description: 'Hôpitaux, cliniques et établissements médico-sociaux.',
      tags: 'sante hopitaux',
    },
  ],
  [
    'hopitaux-lits',
    'Capacité d’accueil des hôpitaux',
    { description: 'Nombre de lits par établissement hospitalier.', tags: 'sante' },
  ],
  [
    'ecoles',
    'Annuaire de l’éducation',
    {
      description: 'Écoles, collèges et lycées : adresses et contacts.',
      tags: 'education etablissements-scolaires',
      organization: 'Ministère de l’Éducation nationale',
    },
  ],
  [
    'ips',
    'Indices de position sociale des écoles',
    { acronym: 'IPS', description: 'IPS des écoles et collèges.', tags: 'education' },
  ],
  [
    'bac',
    'Résultats au baccalauréat par établissement',
    { description: 'Taux de réussite des lycées.', tags: 'education lycees' },
  ],
  [
    'population',
    'Populations légales des communes',
    { description: 'Recensement de la population.', tags: 'population recensement', organization: 'INSEE' },
  ],
  [
    'naissances',
    'Fichier des prénoms depuis 1900',
    { description: 'Naissances par prénom et par année.', tags: 'prenoms naissances' },
  ],
  [
    'deces',
    'Fichier des personnes décédées',
    { description: 'Décès enregistrés à l’état civil depuis 1970.', tags: 'deces etat-civil' },
  ],
  [
    'logements-sociaux',
    'Répertoire des logements locatifs des bailleurs sociaux',
    { acronym: 'RPLS', description: 'Parc de logements sociaux.', tags: 'logement social' },
  ],
  [
    'loyers',
    'Carte des loyers',
    { description: 'Indicateurs de loyers d’annonce par commune.', tags: 'logement loyers' },
  ],
  [
    'dpe',
    'Diagnostics de performance énergétique des logements',
    { acronym: 'DPE', description: 'Étiquettes énergie des logements.', tags: 'logement energie' },
  ],
  [
    'arbres',
    'Arbres remarquables de Paris',
    { description: 'Arbres d’alignement et remarquables.', tags: 'arbres environnement' },
  ],
  [
    'qualite-air',
    "Qualité de l'air : indices ATMO",
    {
      description: 'Indice quotidien de qualité de l’air.',
      tags: 'air pollution environnement',
      followers: 250,
    },
  ],
  [
    'emissions-co2',
    'Émissions de gaz à effet de serre par secteur',
    { description: 'Inventaire national des émissions.', tags: 'climat co2' },
  ],
  [
    'dechets',
    'Collecte des déchets ménagers',
    { description: 'Tonnages collectés par type de déchet.', tags: 'dechets environnement' },
  ],
  [
    'velos',
    'Stationnement vélo',
    { description: 'Emplacements de stationnement pour vélos.', tags: 'velo mobilite' },
  ],
  [
    'amenagements-cyclables',
    'Aménagements cyclables',
    { description: 'Pistes et bandes cyclables ; stationnement vélo exclu.', tags: 'velo' },
  ],
  [
    'marches-publics',
    'Données essentielles de la commande publique',
    { acronym: 'DECP', description: 'Marchés publics attribués.', tags: 'marches-publics achats' },
  ],
  [
    'subventions',
    'Subventions aux associations',
    { description: 'Subventions versées par les collectivités.', tags: 'subventions associations' },
  ],
  [
    'chomage',
    'Demandeurs d’emploi inscrits à France Travail',
    { description: 'Chômage par catégorie et par territoire.', tags: 'emploi chomage' },
  ],
  [
    'salaires',
    'Salaires moyens par secteur',
    { description: 'Rémunérations dans le secteur privé.', tags: 'emploi salaires' },
  ],
  [
    'agriculture-bio',
    'Surfaces en agriculture biologique',
    { description: 'Exploitations et surfaces certifiées bio.', tags: 'agriculture bio' },
  ],
  [
    'rpg',
    'Registre parcellaire graphique',
    { acronym: 'RPG', description: 'Parcelles agricoles déclarées à la PAC.', tags: 'agriculture parcelles' },
  ],
  ['musees', 'Liste des musées de France', { description: 'Musées labellisés.', tags: 'culture musees' }],
  [
    'monuments',
    'Immeubles protégés au titre des monuments historiques',
    { description: 'Monuments historiques classés et inscrits.', tags: 'culture patrimoine' },
  ],
  ['festivals', 'Festivals en France', { description: 'Panorama des festivals.', tags: 'culture festivals' }],
  [
    'delinquance',
    'Crimes et délits enregistrés par la police et la gendarmerie',
    { description: 'Faits constatés par département.', tags: 'securite delinquance' },
  ],
  ['tribunaux', 'Annuaire des juridictions', { description: 'Tribunaux et cours d’appel.', tags: 'justice' }],
  [
    'covid-vaccins',
    'Données relatives aux vaccinations contre la covid-19',
    { description: 'Vaccinations par département.', tags: 'covid sante vaccination', followers: 1000 },
  ],
  [
    'meteo',
    'Données climatologiques de base',
    { description: 'Températures et précipitations quotidiennes des stations météo.', tags: 'meteo climat' },
  ],
];

export const QUERIES: [query: string, expected: string, mode?: 'top3'][] = [
  ['DVF', 'dvf'],
  ['dvf', 'dvf'],
  ['valeurs foncieres', 'dvf'],
  ['demande de valeur fonciere', 'dvf'],
  ['dvf géolocalisées', 'dvf-geo'],
  ['cadastre', 'cadastre'],
  ['sirene', 'sirene'],
  ['siren entreprises', 'sirene'],
  ['base adresse', 'ban'],
  ['adresses', 'ban'],
  ['associations', 'rna'],
  ["l'eau potable", 'eau-potable'],
  ['qualite eau', 'eau-potable', 'top3'],
  ['baignade', 'eau-baignade'],
  ['prix carburant', 'prix-carburants'],
  ['carburants', 'prix-carburants'],
  ['consommation electricite', 'conso-elec'],
  ['electricite gaz commune', 'conso-elec'],
  ['energies renouvelables', 'energie-renouvelable'],
  ['bornes de recharge', 'bornes-irve'],
  ['IRVE', 'bornes-irve'],
  ['horaires transports', 'gtfs-idf'],
  ['gtfs', 'gtfs-idf'],
  ['accidents de la route', 'accidents', 'top3'],
  ['accident routier', 'accidents'],
  ['radars', 'radars'],
  ['budjet', 'budget-etat', 'top3'],
  ['comptes des communes', 'comptes-communes'],
  ['elections municipales', 'elections-muni'],
  ['présidentielle', 'elections-pres'],
  ['professionnels de sante', 'rpps'],
  ['FINESS', 'finess'],
  ['hopital', 'finess', 'top3'],
  ['annuaire education', 'ecoles'],
  ['ecoles', 'ecoles', 'top3'],
  ['indice position sociale', 'ips'],
  ['baccalaureat', 'bac'],
  ['population communes', 'population'],
  ['prenoms', 'naissances'],
  ['deces', 'deces'],
  ['logement sociaux', 'logements-sociaux'],
  ['loyer', 'loyers'],
  ['DPE', 'dpe'],
  ['performance energetique', 'dpe'],
  ['arbres', 'arbres'],
  ["qualité de l'air", 'qualite-air'],
  ['emissions gaz effet de serre', 'emissions-co2'],
  ['dechets menagers', 'dechets'],
  ['stationnement vélo', 'velos'],
  ['marchés publics', 'marches-publics'],
  ['subvention association', 'subventions'],
  ['chomage', 'chomage'],
  ['agriculture biologique', 'agriculture-bio'],
  ['musées', 'musees'],
  ['monuments historiques', 'monuments'],
  ['crimes et delits', 'delinquance'],
  ['vaccination covid', 'covid-vaccins'],
  ['meteo temperatures', 'meteo'],
  ['INSEE', 'sirene', 'top3'],
];

/** Measured when the set was written; a change that lowers it fails. */
export const MINIMUM_SCORE = 1;

/** The mean reciprocal rank measured (0.983: two of the queries answer second); lower fails. */
export const MINIMUM_MRR = 0.98;

export function relevanceDocument([id, title, extra = {}]: Entry): SearchDocument {
  return {
    id,
    version: 1,
    visible: true,
    text: {
      title,
      acronym: extra.acronym ?? '',
      description: extra.description ?? '',
      tags: extra.tags ?? '',
      publisher_name: extra.organization ?? '',
      resources: extra.resources ?? '',
    },
    keywords: {},
    numbers: { created: 0 },
    boost: popularityBoost({ followers: extra.followers ?? 0, publicService: extra.publicService ?? false }),
  };
}

/** How an engine answers the set: right answers (first, or among the first three for `top3`) and MRR. */
export async function scoreRelevance(search: (text: string) => Promise<string[]> | string[]) {
  let right = 0;
  let reciprocal = 0;
  const misses: string[] = [];
  for (const [text, expected, mode] of QUERIES) {
    const ids = await search(text);
    const rank = ids.indexOf(expected) + 1;
    if (rank > 0) reciprocal += 1 / rank;
    if (rank === 1 || (mode === 'top3' && rank > 0 && rank <= 3)) right += 1;
    else misses.push(`"${text}" → ${expected} at ${rank || 'none'} (got ${ids.slice(0, 3).join(', ')})`);
  }
  return {
    right,
    total: QUERIES.length,
    score: right / QUERIES.length,
    mrr: reciprocal / QUERIES.length,
    misses,
  };
}

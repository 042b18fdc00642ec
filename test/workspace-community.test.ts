import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { checkScreen, launchChromium } from './browser/workspace-browser';
import { type CkanCatalogue, ckanPackage, serveCkanCatalogue } from './ckan-catalogue';
import { api, drained, uniqueTitle } from './client';
import { finishedJob } from './harvest-jobs';

/**
 * The reuser's journey (the public search page, the dataset's page, then the workspace to follow,
 * discuss and declare a reuse), the producer's answer from the discussions and the notifications
 * inbox, and harvest sources with the sysadmins' validation queue, through the screens with axe-core
 * on each. Every person has a browser context of their own; each step takes a few seconds.
 */
let browser: Browser;
let producer: TestUser;
let reuser: TestUser;
let sysadmin: TestUser;
/** A word only this file's dataset carries, so the search finds it alone. */
const word = `zephyrin${Date.now().toString(36)}`;
const tag = `velo-${Date.now().toString(36)}`;
let dataset: { id: string; slug: string; title: string; page: string };
let reuserPage: Page;
let discussionId = '';
let reuseId = '';
const contexts: BrowserContext[] = [];

async function personPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  // A step that waits longer than this fails naming what it waited for, within the test's own timeout.
  page.setDefaultTimeout(8_000);
  return page;
}

async function logIn(page: Page, user: TestUser) {
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Polls the API for what a screen is about to show, within a deadline (consumers run in the background). */
async function eventually<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  for (let index = 0; index < width * height; index++) {
    image.data.writeUInt32BE(0x2a6fbbff + index, index * 4);
  }
  return PNG.sync.write(image);
}

beforeAll(async () => {
  [producer, reuser, sysadmin, browser] = await Promise.all([
    newUser(),
    newUser(),
    newUser({ sysadmin: true }),
    launchChromium(),
  ]);
  const created = await api.post(
    '/api/1/datasets/',
    {
      title: uniqueTitle(`Comptages vélo ${word}`),
      description:
        'Comptages **horaires** des vélos sur les pistes cyclables de la commune, station par station, depuis 2021.',
      tags: [tag, 'mobilite'],
      license: 'lov2',
      frequency: 'daily',
    },
    producer.headers,
  );
  expect(created.status, created.text).toBe(201);
  dataset = created.json;
  const resource = await api.post(
    `/api/1/datasets/${dataset.id}/resources/`,
    { title: 'Comptages 2024', url: 'https://example.org/comptages-2024.csv', type: 'main', format: 'csv' },
    producer.headers,
  );
  expect(resource.status, resource.text).toBe(201);
  // The search index is fed by a consumer: wait for this dataset to be found, nothing else.
  await eventually(async () => {
    const found = await api.get(`/api/2/datasets/search/?q=${word}`);
    return found.json?.total === 1 ? true : undefined;
  }, 'the dataset in the search index');
  reuserPage = await personPage();
}, 40_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
});

describe('the reuser’s journey', () => {
  it('finds the dataset from the public search page, narrows it with a facet, and reads its page', async () => {
    const page = reuserPage;
    await page.goto(api.url('/datasets/'));
    await page.locator('#search-q').fill(word);
    await page.locator('#search-q').press('Enter');
    await page.getByRole('link', { name: dataset.title }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('1 résultat');
    // The facets are links: each filter is in the URL, so the result page can be shared.
    await page.getByRole('link', { name: `${tag} (1)` }).click();
    await page.getByRole('heading', { name: 'Filtres actifs' }).waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe(word);
    expect(url.searchParams.get('tag')).toBe(tag);
    await page.getByRole('link', { name: dataset.title }).waitFor();
    await checkScreen(page, 'community-01-search-facets');
    // The public pages need no JavaScript: the search page served as it is runs no script.
    const served = await (await fetch(page.url())).text();
    expect(served).not.toMatch(/<script(?![^>]*application\/ld\+json)/);

    await page.getByRole('link', { name: dataset.title }).click();
    await page.getByRole('heading', { name: dataset.title, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Participer' }).waitFor();
    await checkScreen(page, 'community-02-dataset-page');
  });

  it('logs in from the dataset page, follows the dataset and opens a discussion', async () => {
    const page = reuserPage;
    await page.getByRole('link', { name: 'Suivre et discuter' }).click();
    // Not logged in yet: the login screen, then back to the screen asked for.
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
    await logIn(page, reuser);
    await page.getByRole('heading', { name: dataset.title }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/datasets/${dataset.id}/community`);
    await page.getByText('Aucune discussion pour l’instant.').waitFor();
    await checkScreen(page, 'community-03-take-part');

    await page.getByRole('button', { name: 'Suivre ce jeu de données' }).click();
    await page.getByText('Vous suivez ce jeu de données.').waitFor();
    await page.getByText('Abonnés : 1').waitFor();
    const following = await api.getWith('/api/1/me/following/?type=dataset', reuser.headers);
    expect(following.json.data.map((entry: { following: { id: string } }) => entry.following.id)).toEqual([
      dataset.id,
    ]);

    // The API's field errors show beside their fields.
    await page.getByRole('button', { name: 'Ouvrir la discussion' }).click();
    await page.locator('#discussion-title-error').waitFor();
    await page.getByLabel('Sujet').fill('Comptages manquants en août');
    await page.getByLabel('Message').fill('Les comptages de la station Gare manquent du 3 au 12 août 2024.');
    await page.getByRole('button', { name: 'Ouvrir la discussion' }).click();
    await page.getByText('Discussion ouverte.').waitFor();
    await page.getByRole('heading', { name: 'Comptages manquants en août' }).waitFor();
    await checkScreen(page, 'community-04-discussion-opened');
    // A listing's total is folded by a consumer: read once the platform has handled the new discussion.
    await drained();
    const discussions = await api.get(`/api/1/discussions/?for=${dataset.id}`);
    expect(discussions.json.total).toBe(1);
    discussionId = discussions.json.data[0].id;
  });

  it('declares a reuse of the dataset with its type, topic and image, then edits it', async () => {
    const page = reuserPage;
    await page.getByRole('link', { name: 'Déclarer une réutilisation' }).click();
    await page.getByRole('heading', { name: 'Déclarer une réutilisation' }).waitFor();
    // The dataset it came from is already linked.
    await page.getByRole('button', { name: `Retirer ${dataset.title}` }).waitFor();
    await page.locator('#type option').nth(1).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Publier la réutilisation' }).click();
    await page.locator('#title-error').waitFor();
    await page.locator('#type-error').waitFor();
    await checkScreen(page, 'community-05-reuse-errors');

    const title = uniqueTitle('Carte des comptages vélo');
    await page.getByLabel('Titre').fill(title);
    await page.getByLabel('Adresse de la réutilisation').fill(`https://example.org/carte-${word}`);
    await page.getByLabel('Description').fill('Une carte des **comptages** par station.');
    await page.getByLabel('Type').selectOption('visualization');
    await page.getByLabel('Thématique').selectOption('transport_and_mobility');
    await page.getByLabel('Mots-clés').fill('velo, carte');
    await page.getByRole('button', { name: 'Publier la réutilisation' }).click();
    await page.getByText('Réutilisation publiée. Ajoutez-lui une image.').waitFor();
    reuseId = new URL(page.url()).pathname.split('/').filter(Boolean).at(-1)!;

    await page.setInputFiles('#reuse-image', {
      name: 'carte.png',
      mimeType: 'image/png',
      buffer: png(64, 48),
    });
    await page.getByText('Image enregistrée.').waitFor();
    const shown = await page.locator('#image-title ~ img').getAttribute('src');
    const served = await fetch(shown!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    await page.getByLabel('Thématique').selectOption('environment_and_energy');
    await page.getByRole('button', { name: 'Enregistrer la réutilisation' }).click();
    await page.getByText('Réutilisation enregistrée.').waitFor();
    await checkScreen(page, 'community-06-reuse');

    const reuse = (await api.get(`/api/1/reuses/${reuseId}/`)).json;
    expect(reuse).toMatchObject({
      title,
      type: 'visualization',
      topic: 'environment_and_energy',
      datasets: [{ id: dataset.id }],
    });
    expect([...reuse.tags].sort()).toEqual(['carte', 'velo']);
    expect(reuse.image).toMatch(/^https?:\/\//);
    const publicPage = await fetch(api.url(`/reuses/${reuse.slug}/`));
    expect(await publicPage.text()).toContain(`href="/datasets/${dataset.slug}/"`);
  });
});

describe('the producer’s side of the community', () => {
  it('reads the discussion in the notifications inbox, answers and closes it, and its permalink leads to it', async () => {
    const page = await personPage();
    await eventually(async () => {
      const inbox = await api.getWith('/api/1/notifications/?handled=false', producer.headers);
      return inbox.json.data.find((entry: { kind: string }) => entry.kind === 'discussion');
    }, 'the discussion notification');
    await page.goto(api.url('/admin/notifications'));
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
    await logIn(page, producer);
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await page.locator('.notifications li').first().waitFor();
    await checkScreen(page, 'community-07-notifications');
    await page
      .getByRole('button', { name: /^Marquer comme lue/ })
      .first()
      .click();
    await page.getByText('Notification marquée comme lue.').waitFor();

    await page.getByLabel('Recevoir un résumé par courriel').selectOption('daily');
    await page.getByLabel('Réutilisation', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Enregistrer les préférences' }).click();
    await page.getByText('Préférences enregistrées.').waitFor();
    const preferences = (await api.getWith('/api/1/me/notification-preferences/', producer.headers)).json;
    expect(preferences.digest).toBe('daily');
    expect(preferences.mail.reuse).toBe(false);
    expect(preferences.mail.discussion).toBe(true);

    // The dataset's open discussions, as its producer sees them.
    await page.goto(api.url(`/admin/discussions?for=${dataset.id}`));
    await page.getByRole('heading', { name: `Discussions ouvertes · ${dataset.title}` }).waitFor();
    await page.getByText('1 discussion(s)').waitFor();
    await page
      .getByLabel('Votre réponse')
      .fill('Merci : la station était en travaux, les données sont rétablies.');
    await page.getByRole('button', { name: 'Répondre et clore' }).click();
    await page.getByText('Discussion close.').waitFor();
    await checkScreen(page, 'community-08-discussion-closed');
    const closed = (await api.get(`/api/1/discussions/${discussionId}/`)).json;
    expect(closed.closed).not.toBeNull();
    expect(closed.discussion).toHaveLength(2);

    // Closed ones are a link away, and each has its permalink in the workspace.
    await page.getByRole('button', { name: 'Closes' }).click();
    expect(new URL(page.url()).searchParams.get('closed')).toBe('1');
    await page.getByRole('link', { name: 'Lien permanent' }).click();
    await page.getByRole('heading', { name: 'Comptages manquants en août', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/discussions/${discussionId}`);
    await checkScreen(page, 'community-09-discussion-permalink');

    // The API's permalink leads to the discussion on the dataset's public page.
    await page.goto(closed.permalink);
    await page.locator(`#discussion-${discussionId}`).waitFor();
    expect(await page.locator(`#discussion-${discussionId}`).textContent()).toContain(
      'station était en travaux',
    );
    await checkScreen(page, 'community-10-public-discussion');
  });

  it('talks about a reuse on its own screen: the producer opens a discussion from its public page, its author answers and closes it', async () => {
    const reuse = (await api.get(`/api/1/reuses/${reuseId}/`)).json;
    const page = await personPage();
    await page.goto(api.url(`/reuses/${reuse.slug}/`));
    await page.getByRole('link', { name: 'Discuter de cette réutilisation' }).click();
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
    await logIn(page, producer);
    await page.getByRole('heading', { name: reuse.title, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/reuses/${reuseId}/community`);
    await page.getByText('Aucune discussion pour l’instant.').waitFor();
    // The form's errors are the API's, next to their fields.
    await page.getByRole('button', { name: 'Ouvrir la discussion' }).click();
    await page.locator('#discussion-title-error').waitFor();
    await page.getByLabel('Sujet').fill('Les stations de 2025 manquent');
    await page.getByLabel('Message').fill('La carte ne montre pas encore les stations ouvertes cette année.');
    await page.getByRole('button', { name: 'Ouvrir la discussion' }).click();
    await page.getByText('Discussion ouverte.').waitFor();
    await page.getByRole('heading', { name: 'Les stations de 2025 manquent' }).waitFor();
    await checkScreen(page, 'community-11-reuse-discussion-opened');

    // Its author finds it from the reuse's edit screen, answers and closes it there.
    const author = reuserPage;
    await author.goto(api.url(`/admin/reuses/${reuseId}`));
    await author.getByRole('link', { name: 'Discussions de la réutilisation' }).click();
    await author.getByRole('heading', { name: reuse.title, level: 1 }).waitFor();
    await author.getByRole('link', { name: 'Modifier la réutilisation' }).waitFor();
    await author.getByRole('heading', { name: 'Les stations de 2025 manquent' }).waitFor();
    await author
      .getByLabel('Votre réponse')
      .fill('Elles arrivent avec la prochaine mise à jour des données.');
    await author.getByRole('button', { name: 'Répondre et clore' }).click();
    await author.getByText('Discussion close.').waitFor();
    await checkScreen(author, 'community-12-reuse-discussion-closed');

    await drained();
    const listed = (await api.get(`/api/1/discussions/?for=${reuseId}`)).json;
    expect(listed.total).toBe(1);
    expect(listed.data[0]).toMatchObject({ subject: { class: 'Reuse', id: reuseId } });
    expect(listed.data[0].closed).not.toBeNull();
    expect(listed.data[0].discussion).toHaveLength(2);
  });

  it('lets the reuser delete their reuse', async () => {
    const page = reuserPage;
    await page.goto(api.url('/admin/reuses'));
    await page.getByRole('heading', { name: 'Mes réutilisations' }).waitFor();
    const title = (await api.get(`/api/1/reuses/${reuseId}/`)).json.title;
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('button', { name: `Supprimer ${title}` }).click();
    await page.getByText('Aucune réutilisation pour l’instant.').waitFor();
    expect((await api.get(`/api/1/reuses/${reuseId}/`)).status).toBe(410);
  });
});

describe('harvest sources', () => {
  let catalogue: CkanCatalogue;
  let producerPage: Page;
  let sourceId = '';
  beforeAll(async () => {
    catalogue = await serveCkanCatalogue([1, 2, 3].map((index) => ckanPackage(index, `ws${Date.now()}`)));
  });
  afterAll(async () => {
    await catalogue?.stop();
  });

  it('are previewed and created by a producer, then accepted or refused from the sysadmins’ queue', async () => {
    producerPage = await personPage();
    const page = producerPage;
    const name = uniqueTitle('Catalogue de la métropole');
    await page.goto(api.url('/admin/harvest'));
    await logIn(page, producer);
    await page.getByRole('heading', { name: 'Moissonnage', level: 1 }).waitFor();
    await page.locator('#source-name').fill(name);
    await page.getByLabel('Adresse du catalogue').fill(catalogue.url);
    await page.getByLabel('Type de catalogue').selectOption('ckan');
    await page.getByRole('button', { name: 'Prévisualiser' }).click();
    await page.getByRole('heading', { name: 'Aperçu : 3 premiers jeux de données sur 3' }).waitFor();
    await checkScreen(page, 'community-11-harvest-preview');
    await page.getByRole('button', { name: 'Créer la source' }).click();
    await page.getByText('Source créée : elle attend la validation d’un administrateur.').waitFor();
    sourceId = new URL(page.url()).pathname.split('/').filter(Boolean).at(-1)!;
    expect(await page.getByRole('button', { name: 'Moissonner maintenant' }).isDisabled()).toBe(true);

    // Another source, to be refused.
    const other = await api.post(
      '/api/1/harvest/sources/',
      { name: uniqueTitle('Catalogue douteux'), url: catalogue.url, backend: 'ckan' },
      producer.headers,
    );
    expect(other.status, other.text).toBe(201);

    const admin = await personPage();
    await admin.goto(api.url('/admin/harvest/validation'));
    await logIn(admin, sysadmin);
    await admin.getByRole('heading', { name: 'Sources à valider' }).waitFor();
    await admin.getByRole('button', { name: `Accepter ${name}` }).waitFor();
    await checkScreen(admin, 'community-12-validation-queue');
    await admin
      .getByLabel(`Commentaire pour ${other.json.name}`)
      .fill('Ce catalogue double celui de la métropole.');
    await admin.getByRole('button', { name: `Refuser ${other.json.name}` }).click();
    await admin.getByText(`Source refusée : ${other.json.name}.`).waitFor();
    await admin.getByRole('button', { name: `Accepter ${name}` }).click();
    await admin.getByText(`Source acceptée : ${name}.`).waitFor();
    expect(await admin.getByRole('button', { name: `Accepter ${name}` }).count()).toBe(0);
    const refused = (await api.get(`/api/1/harvest/source/${other.json.id}/`)).json;
    expect(refused.validation).toMatchObject({
      state: 'refused',
      comment: 'Ce catalogue double celui de la métropole.',
    });

    // The queue is the API's listing of pending sources; a state it does not know is refused.
    const queue = await api.get('/api/1/harvest/sources/?validation=pending&page_size=100');
    expect(queue.json.data.some((source: { id: string }) => source.id === other.json.id)).toBe(false);
    const refusedOnes = await api.get('/api/1/harvest/sources/?validation=refused&page_size=100');
    expect(refusedOnes.json.data.some((source: { id: string }) => source.id === other.json.id)).toBe(true);
    const bad = await api.get('/api/1/harvest/sources/?validation=maybe');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(Object.keys(bad.json.errors)).toEqual(['validation']);
  });

  it('run once accepted, and a job’s items are filtered by status in the URL', async () => {
    const page = producerPage;
    await page.goto(api.url(`/admin/harvest/sources/${sourceId}`));
    await page.getByRole('button', { name: 'Moissonner maintenant' }).click();
    await page.getByText('Moisson lancée.').waitFor();
    const jobs = (await api.get(`/api/1/harvest/source/${sourceId}/jobs/`)).json;
    await finishedJob(jobs.data[0].id, 15_000);
    await page.reload();
    await page.getByRole('cell', { name: 'terminée' }).first().waitFor();
    await page.locator('td a').first().click();
    await page.getByRole('heading', { name: 'Moisson : terminée' }).waitFor();
    await page.getByText('3 élément(s)').waitFor();
    await page.getByLabel('Filtrer par état').selectOption('failed');
    await page.getByText('0 élément(s)').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    await page.getByLabel('Filtrer par état').selectOption('done');
    await page.getByText('3 élément(s)').waitFor();
    await checkScreen(page, 'community-13-harvest-job');
  });
});

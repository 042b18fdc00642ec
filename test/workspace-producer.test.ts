import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, PASSWORD, type TestUser } from './accounts';
import { checkScreen, launchChromium } from './browser/workspace-browser';
import { api, uniqueTitle } from './client';
import { createDataset, createOrganization, eventually } from './fixtures';

/**
 * The producer keeping a dataset alive from the workspace (seed guide §4.5): editing and replacing a
 * resource, an upload resumed after the page was reloaded, the dataset's dashboard. The producer and
 * the dataset are made through the API; every step after that goes through the screens, with axe-core
 * on each. One Chromium for the file; each step takes 3 to 10 s on a quiet machine.
 */
let browser: Browser;
let page: Page;
let producer: TestUser;
let dataset: { id: string; title: string };
let file: { id: string; title: string; checksum: { value: string } };

const screen = (path: string) => api.url(`/admin${path}`);
const csv = (rows: number) =>
  Buffer.from(
    `annee,montant\n${Array.from({ length: rows }, (_, i) => `${2000 + (i % 25)},${i}`).join('\n')}\n`,
  );

/**
 * Waits for the reloaded screen's list of interrupted uploads; when it does not come, fails with what the
 * screen showed and what the browser kept, so the failure says which step did not happen.
 */
async function interruptedUploadsListed(page: Page) {
  await page
    .getByRole('heading', { name: 'Envois interrompus' })
    .waitFor({ timeout: 20_000 })
    .catch(async (error: Error) => {
      const shown = await page
        .locator('body')
        .innerText()
        .catch(() => '(unreadable)');
      const kept = await page.evaluate("localStorage.getItem('portail.uploads')").catch(() => null);
      throw new Error(`${error.message}\nscreen: ${shown.slice(0, 1500)}\nportail.uploads: ${kept}`);
    });
}

/** A file sent as udata's form upload: the answer is the resource finalize accepted. */
async function uploadForm(id: string, name: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'text/csv' }), name);
  const response = await fetch(api.url(`/api/1/datasets/${id}/upload/`), {
    method: 'POST',
    headers: producer.headers,
    body: form,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; title: string; checksum: { value: string } };
}

beforeAll(async () => {
  producer = await newUser();
  dataset = await createDataset(producer, {
    title: uniqueTitle('Budget annexe'),
    description: 'Le budget annexe voté chaque année.',
    frequency: 'annual',
  });
  file = await uploadForm(dataset.id, 'budget.csv', csv(300));
  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(8_000);
  await page.goto(screen('/login'));
  await page.getByLabel('Adresse électronique').fill(producer.email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByText('Bonjour Camille Martin.').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const resourceOf = async (rid: string) =>
  (await api.getWith(`/api/1/datasets/${dataset.id}/resources/${rid}/`, producer.headers)).json;

describe('the producer keeping a dataset alive', () => {
  it('edits a resource’s title, description and type, then replaces its file under the same address', async () => {
    await page.goto(screen(`/datasets/${dataset.id}`));
    await page.getByText(`Modifier ${file.title}`).click();
    await page.locator(`#resource-${file.id}-title`).fill('Budget annexe 2024');
    await page.locator(`#resource-${file.id}-description`).fill('Une ligne par chapitre.');
    await page.getByLabel('Type de ressource').selectOption('documentation');
    await checkScreen(page, '20-resource-edit');
    await page.getByRole('button', { name: `Enregistrer ${file.title}` }).click();
    await page.getByText('Ressource enregistrée : Budget annexe 2024.').waitFor();
    const edited = await resourceOf(file.id);
    expect(edited).toMatchObject({
      title: 'Budget annexe 2024',
      description: 'Une ligne par chapitre.',
      type: 'documentation',
    });

    const newer = csv(600);
    await page.getByText('Modifier Budget annexe 2024').click();
    await page.getByLabel('Remplacer le fichier de Budget annexe 2024').setInputFiles({
      name: 'budget-2024.csv',
      mimeType: 'text/csv',
      buffer: newer,
    });
    await page.getByText('Nouveau fichier publié pour Budget annexe 2024.').waitFor({ timeout: 20_000 });
    await checkScreen(page, '21-resource-replaced');
    const replaced = await resourceOf(file.id);
    expect(replaced.id).toBe(file.id);
    expect(replaced.filesize).toBe(newer.length);
    expect(replaced.checksum.value).not.toBe(file.checksum.value);
    expect(replaced.latest).toBe(edited.latest);
    const served = await fetch(replaced.latest, { headers: producer.headers });
    expect((await served.text()).length).toBe(newer.length);
  });

  it('resumes a multipart upload after a reload, sending only the parts storage does not hold', async () => {
    // Above the single-POST limit of the test platform: two parts (8 MiB + the rest).
    const line = '2024,Commune de Test,123456,789\n';
    const big = Buffer.from(
      `annee,commune,population,surface\n${line.repeat(Math.ceil((9 * 1024 * 1024) / line.length))}`,
    );
    const bigFile = path.join(mkdtempSync(path.join(tmpdir(), 'workspace-')), 'population.csv');
    writeFileSync(bigFile, big);
    const sent: number[] = [];
    page.on('request', (request) => {
      const part = /partNumber=(\d+)/.exec(request.url());
      if (part && request.method() === 'PUT') sent.push(Number(part[1]));
    });
    // The second part never leaves before the reload: the first is then in storage, the second not.
    let held: Route | null = null;
    const reached = new Promise<void>((resolve) => {
      void page.route(/partNumber=2/, (route) => {
        held = route;
        resolve();
      });
    });
    await page.setInputFiles('#file', bigFile);
    await reached;
    await page.unroute(/partNumber=2/);
    await page.reload();
    await (held as Route | null)?.abort().catch(() => undefined);

    // The reloaded screen loads the workspace and the dataset again before listing what was interrupted.
    await interruptedUploadsListed(page);
    await checkScreen(page, '22-upload-interrupted');
    await page
      .getByLabel('Reprendre l’envoi de population.csv : choisissez à nouveau ce fichier')
      .setInputFiles(bigFile);
    await page.getByText('Fichier publié : population.csv').waitFor({ timeout: 30_000 });
    // Part 1 went once, before the reload; part 2 once after it (its held request never reached storage).
    expect(sent.filter((part) => part === 1)).toHaveLength(1);
    expect(sent.filter((part) => part === 2).length).toBeGreaterThanOrEqual(1);
    const resources = (await api.getWith(`/api/1/datasets/${dataset.id}/`, producer.headers)).json.resources;
    expect(
      resources.find((resource: { title: string }) => resource.title === 'population.csv'),
    ).toMatchObject({
      filesize: big.length,
    });
    await page.reload();
    await page.getByRole('heading', { name: dataset.title }).waitFor();
    expect(await page.getByRole('heading', { name: 'Envois interrompus' }).count()).toBe(0);
  });

  it('sends a small file again from the start after a reload interrupted it, and says so', async () => {
    await page.goto(screen(`/datasets/${dataset.id}`));
    await page.getByRole('heading', { name: dataset.title }).waitFor();
    const small = csv(80);
    const storage = new URL(inject('s3Endpoint'));
    const toStorage = (url: URL) => url.host === storage.host;
    // The file's one POST to storage never leaves before the reload.
    let held: Route | null = null;
    const reached = new Promise<void>((resolve) => {
      void page.route(toStorage, (route) => {
        if (route.request().method() !== 'POST') return void route.continue();
        held = route;
        resolve();
      });
    });
    await page.setInputFiles('#file', { name: 'communes.csv', mimeType: 'text/csv', buffer: small });
    await reached;
    await page.unroute(toStorage);
    await page.reload();
    await (held as Route | null)?.abort().catch(() => undefined);

    // The reloaded screen loads the workspace and the dataset again before listing what was interrupted.
    await interruptedUploadsListed(page);
    await page.getByText('Ce fichier était envoyé en une fois : son envoi recommence au début.').waitFor();
    await checkScreen(page, '23-small-upload-interrupted');
    await page
      .getByLabel('Envoyer à nouveau communes.csv depuis le début : choisissez à nouveau ce fichier')
      .setInputFiles({ name: 'communes.csv', mimeType: 'text/csv', buffer: small });
    await page.getByText('Fichier publié : communes.csv').waitFor({ timeout: 20_000 });
    const resources = (await api.getWith(`/api/1/datasets/${dataset.id}/`, producer.headers)).json.resources;
    // One resource for it: the first declaration, never sent, is not shown.
    expect(resources.filter((resource: { title: string }) => resource.title === 'communes.csv')).toEqual([
      expect.objectContaining({ filesize: small.length }),
    ]);
    await page.reload();
    await page.getByRole('heading', { name: dataset.title }).waitFor();
    expect(await page.getByRole('heading', { name: 'Envois interrompus' }).count()).toBe(0);
  });

  it('shows the dashboard: what to fix, availability and downloads per resource with a chart, followers, reuses, discussions, community resources and the code to embed', async () => {
    expect(
      (await api.put(`/api/1/datasets/${dataset.id}/`, { private: false }, producer.headers)).status,
    ).toBe(200);
    const reader = await newUser();
    expect(
      (await api.post(`/api/1/datasets/${dataset.id}/followers/`, undefined, reader.headers)).status,
    ).toBe(201);
    const asked = await api.post(
      '/api/1/discussions/',
      {
        title: 'Quelle source ?',
        comment: 'D’où viennent ces montants ?',
        subject: { class: 'Dataset', id: dataset.id },
      },
      reader.headers,
    );
    expect(asked.status, asked.text).toBe(201);
    const shared = await api.post(
      '/api/1/datasets/community_resources/',
      { title: 'Version nettoyée', url: 'https://reuser.example/clean.csv', dataset: dataset.id },
      reader.headers,
    );
    expect(shared.status, shared.text).toBe(201);
    for (const agent of ['reader-a', 'reader-b']) {
      const download = await fetch(api.url(`/api/1/datasets/r/${file.id}`), {
        redirect: 'manual',
        headers: { 'user-agent': agent },
      });
      expect(download.status).toBe(302);
    }
    // Counted off the request path, once per client: these two and the first step's check of the
    // replaced file. Waited for, then the screen is opened.
    await eventually(
      async () => (await api.getWith(`/api/1/datasets/${dataset.id}/dashboard/`, producer.headers)).json,
      (board) => board.resources?.find((entry: { id: string }) => entry.id === file.id)?.downloads === 3,
      'the three downloads counted',
    );

    await page.goto(screen(`/datasets/${dataset.id}`));
    await page.getByRole('heading', { name: 'Tableau de bord du jeu de données' }).waitFor();
    await page.getByRole('heading', { name: 'Abonnés : 1' }).waitFor();
    await page.getByRole('heading', { name: 'Discussions ouvertes : 1' }).waitFor();
    await page.getByRole('link', { name: 'Quelle source ?' }).waitFor();
    await page.getByRole('heading', { name: 'Ressources communautaires : 1' }).waitFor();
    await page.getByText('Version nettoyée').waitFor();
    const row = page.getByRole('row', { name: /Budget annexe 2024/ });
    expect(await row.getByRole('cell').allTextContents()).toEqual(['disponible', '3']);
    // The chart says what it shows, and its figures are a table too.
    const chart = page.getByRole('img', { name: /Téléchargements par mois : 3 au total/ });
    await chart.waitFor();
    await page.getByRole('img', { name: /^Consultations de la page par mois : / }).waitFor();
    await page.getByText('Voir les chiffres : Téléchargements par mois').click();
    const month = new Date().toLocaleDateString('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    const monthRow = page.getByRole('row', { name: new RegExp(month) });
    expect(await monthRow.getByRole('cell').last().textContent()).toBe('3');
    // The quality panel names what to fix.
    await page.getByRole('heading', { name: 'À améliorer' }).waitFor();
    expect(await page.locator('.to-fix li').count()).toBeGreaterThan(0);
    expect(
      await page
        .getByRole('row', { name: /Le jeu de données a une description/ })
        .getByRole('cell')
        .textContent(),
    ).toBe('respecté');
    // The card to paste into another site.
    const code = await page.getByLabel('Code à intégrer').inputValue();
    const card = /src="([^"]+)"/.exec(code)?.[1] ?? '';
    expect(card).toContain(`/embed/datasets/${dataset.id}`);
    expect(await (await fetch(card)).text()).toContain('class="dataset-card"');
    await checkScreen(page, '23-dataset-dashboard');
  });

  it('shows the organization dashboard: figures, each dataset’s quality and update, anomalies, open discussions and harvesters', async () => {
    const organization = await createOrganization(producer, { name: uniqueTitle('Syndicat des eaux') });
    const owned = await createDataset(producer, {
      organization: organization.id,
      title: uniqueTitle('Qualité de l’eau'),
      description: 'Analyses.',
    });
    const reader = await newUser();
    const asked = await api.post(
      '/api/1/discussions/',
      {
        title: 'Quelles stations ?',
        comment: 'Lesquelles sont suivies ?',
        subject: { class: 'Dataset', id: owned.id },
      },
      reader.headers,
    );
    expect(asked.status, asked.text).toBe(201);
    // The quality index and the discussion are written off the request path: waited for, then shown.
    await eventually(
      async () =>
        (await api.getWith(`/api/1/organizations/${organization.id}/dashboard/`, producer.headers)).json,
      (board) =>
        board.anomalies?.failing_quality.some(
          (entry: { dataset: { id: string } }) => entry.dataset.id === owned.id,
        ) && board.anomalies.open_discussions.total === 1,
      'the anomaly and the open discussion',
    );

    await page.goto(screen(`/organizations/${organization.id}`));
    await page.getByRole('heading', { name: 'Tableau de bord de l’organisation' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(owned.title) });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('à jour');
    const anomaly = page.locator('.anomalies li').filter({ hasText: owned.title });
    expect(await anomaly.textContent()).toMatch(/à corriger : .*Des mots-clés lui sont associés/);
    await page.getByRole('heading', { name: 'Discussions ouvertes : 1' }).waitFor();
    await page.getByRole('link', { name: 'Quelles stations ?' }).waitFor();
    await page.getByText('Aucun moissonneur.').waitFor();
    await checkScreen(page, '24-organization-dashboard');

    // A new member found by name as it is typed (udata's users suggest), then added.
    const surname = uniqueTitle('Ondine').replace(/[^A-Za-z]/g, '');
    expect(
      (await api.put('/api/1/me/', { first_name: 'Ondine', last_name: surname }, reader.headers)).status,
    ).toBe(200);
    await eventually(
      async () =>
        (
          await api.getWith(
            `/api/1/users/suggest/?q=${encodeURIComponent(`Ondine ${surname}`)}`,
            producer.headers,
          )
        ).json,
      (found) => Array.isArray(found) && found.length > 0,
      'the renamed reader among the suggestions',
    );
    await page.getByLabel('Personne à ajouter').fill(`Ondine ${surname.slice(0, -2)}`);
    await page.getByRole('button', { name: `Choisir Ondine ${surname}` }).click();
    await page.getByText(`Choisi : Ondine ${surname}`).waitFor();
    await checkScreen(page, '25-member-picker');
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await page.getByText('Membre ajouté.').waitFor();
    await page.getByRole('cell', { name: `Ondine ${surname}`, exact: true }).waitFor();
    await anomaly.getByRole('link', { name: owned.title }).click();
    await page.getByRole('heading', { name: owned.title, level: 1 }).waitFor();
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, linkIn, login, mailTo, PASSWORD, uniqueEmail } from './accounts';
import { checkScreen, launchChromium } from './browser/workspace-browser';
import { api, uniqueTitle } from './client';

/**
 * The producer's journey through the workspace's screens (/admin/), as a person with a keyboard and a
 * mouse goes through it, with axe-core run on every screen. One Chromium for the file; the steps share
 * one producer and run in order. Each step takes 3 to 10 s on a quiet machine; a locator that waits
 * longer than 8 s fails naming what it waited for.
 */
let browser: Browser;
let page: Page;
const email = uniqueEmail('workspace');
const NEW_PASSWORD = 'Another-Horse-42';
const organizationName = uniqueTitle('Commune de Test');
const datasetTitle = uniqueTitle('Budget primitif');
/** The second person of the journey: a member for a while, then the recipient of the dataset. */
const other = { email: uniqueEmail('member'), id: '' };

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  // A step that waits longer than this fails naming what it waited for, within the test's own timeout.
  page.setDefaultTimeout(8_000);
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

const screen = (path: string) => api.url(`/admin${path}`);
const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);

describe('the producer workspace', () => {
  it('registers an account, shows field errors next to their fields, confirms it and logs in', async () => {
    await page.goto(screen('/register'));
    await expect.poll(() => page.locator('h1').textContent()).toBe('Créer un compte');
    await checkScreen(page, '01-register');

    // The API's problem+json field errors appear beside their fields.
    await page.getByLabel('Prénom').fill('Camille');
    await page.getByLabel('Nom', { exact: false }).last().fill('Martin');
    await page.getByLabel('Adresse électronique').fill('not an address');
    await page.getByLabel('Mot de passe', { exact: false }).first().fill('short');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.locator('#email-error').waitFor();
    expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#email', 'aria-describedby')).toContain('email-error');
    await page.locator('#password-error').waitFor();
    await checkScreen(page, '02-register-errors');

    await page.getByLabel('Adresse électronique').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#password_confirm').fill(PASSWORD);
    // Submitted from the keyboard.
    await page.locator('#password_confirm').press('Enter');
    await page.getByText('Compte créé').waitFor();

    // The mailed link points at the API (a program following it confirms there); a browser opening it
    // lands on the workspace's screen, which confirms.
    const link = linkIn(await mailTo(email, { subject: 'Confirmez' }), 'confirm');
    expect(new URL(link).pathname).toBe(`/confirm/${tokenOf(link)}`);
    await page.goto(link);
    expect(new URL(page.url()).pathname).toBe(`/admin/confirm/${tokenOf(link)}`);
    await page.getByText('Adresse confirmée').waitFor();
    await checkScreen(page, '03-confirmed');

    await page.goto(screen('/login'));
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Bonjour Camille Martin.').waitFor();
    await checkScreen(page, '04-dashboard');
  });

  it('creates an API key shown once, which works, then revokes it', async () => {
    await page.getByRole('link', { name: 'Profil et clés d’API' }).click();
    await page.getByLabel('Nom de la clé').fill('mon script');
    await page.getByRole('button', { name: 'Créer une clé' }).click();
    const key = (await page.locator('#new-key').textContent())!.trim();
    expect((await api.getWith('/api/1/me/', { 'x-api-key': key })).json.email).toBe(email);
    await checkScreen(page, '05-api-keys');

    await page.getByRole('button', { name: 'Révoquer mon script' }).click();
    await page.getByText('Clé révoquée.').waitFor();
    expect(await page.locator('#new-key').count()).toBe(0);
    expect((await api.getWith('/api/1/me/', { 'x-api-key': key })).status).toBe(401);
  });

  it('speaks English on demand, logs out, resets the password and logs in with the new one', async () => {
    // English is a chunk of its own: a visit in French never fetches it.
    const english: string[] = [];
    page.on('request', (request) => {
      if (/^\/admin\/assets\/i18n-en-[^/]+\.js$/.test(new URL(request.url()).pathname))
        english.push(request.url());
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Profil et clés d’API' }).waitFor();
    expect(english).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Profile and API keys' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(english).toHaveLength(1);
    // Chosen once, it is the language of the next visit, from its first screen.
    await page.reload();
    await page.getByRole('heading', { name: 'Profile and API keys' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { name: 'Profil et clés d’API' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté.').waitFor();
    expect(
      (await page.context().cookies()).find((cookie) => cookie.name === 'portail_session'),
    ).toBeUndefined();

    await page.getByRole('link', { name: 'Se connecter' }).first().click();
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.getByLabel('Adresse électronique').fill(email);
    const before = (await mailTo(email)).length;
    expect(before).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Envoyer le lien' }).click();
    await page.locator('.alert.success').waitFor();
    await checkScreen(page, '06-reset-asked');

    // The mailed link itself leads to the workspace's screen for it.
    const link = linkIn(await mailTo(email, { subject: 'Réinitialisation' }), 'reset');
    await page.goto(link);
    expect(new URL(page.url()).pathname).toBe(`/admin/reset/${tokenOf(link)}`);
    await page.locator('#password').fill(NEW_PASSWORD);
    await page.locator('#password_confirm').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.getByText('Mot de passe changé').waitFor();
    await checkScreen(page, '07-reset-done');

    await page.goto(screen('/login'));
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Bonjour Camille Martin.').waitFor();
  });

  it('creates an organization and lists its members', async () => {
    await page.getByRole('link', { name: 'Créer une organisation' }).click();
    await page.getByRole('heading', { name: 'Créer une organisation' }).waitFor();
    await checkScreen(page, '08-organization-new');
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();
    await page.locator('#name-error').waitFor();
    await page.getByLabel('Nom de l’organisation').fill(organizationName);
    await page.getByLabel('Description').fill('Les données ouvertes de la commune.');
    await page.getByRole('button', { name: 'Créer l’organisation' }).click();
    await page.getByRole('heading', { name: organizationName }).waitFor();
    await page.getByRole('cell', { name: 'Camille Martin' }).waitFor();
    expect(await page.getByRole('cell', { name: 'administrateur' }).count()).toBe(1);
    await checkScreen(page, '09-organization');
  });

  it('accepts a membership request, makes the new member an admin, then removes them', async () => {
    const organization = new URL(page.url()).pathname.split('/').filter(Boolean).at(-1)!;
    const registered = await api.post('/register/', {
      email: other.email,
      password: PASSWORD,
      first_name: 'Dominique',
      last_name: 'Durand',
    });
    expect(registered.status).toBe(201);
    await confirm(other.email);
    const session = await login(other.email);
    other.id = session.user.id;
    const asked = await api.post(
      `/api/1/organizations/${organization}/membership/`,
      { comment: 'Je tiens le budget.' },
      { cookie: session.cookie, 'x-csrf-token': session.csrf },
    );
    expect(asked.status, asked.text).toBe(201);

    await page.reload();
    await page.getByText('« Je tiens le budget. »').waitFor();
    await checkScreen(page, '10-membership-request');
    await page.getByRole('button', { name: 'Accepter' }).click();
    await page.getByText('Demande acceptée.').waitFor();
    await page.getByRole('cell', { name: 'Dominique Durand', exact: true }).waitFor();
    expect(await page.getByText('Aucune demande en attente.').count()).toBe(1);

    await page.getByLabel('Rôle de Dominique Durand').selectOption('admin');
    await page.getByText('Rôle modifié.').waitFor();
    const members = (await api.get(`/api/1/organizations/${organization}/`)).json.members;
    expect(members.find((member: { user: { id: string } }) => member.user.id === session.user.id).role).toBe(
      'admin',
    );

    await page.getByRole('button', { name: 'Retirer Dominique Durand' }).click();
    await page.getByText('Membre retiré.').waitFor();
    expect(await page.getByRole('cell', { name: 'Dominique Durand', exact: true }).count()).toBe(0);
  });

  it('describes a dataset, uploads a file and adds a link, then publishes it', async () => {
    await page.getByRole('link', { name: 'Publier un jeu de données' }).click();
    await page.getByRole('heading', { name: 'Publier un jeu de données' }).waitFor();
    expect(await page.locator('#owner').inputValue()).not.toBe('');
    await page.getByLabel('Titre', { exact: false }).first().fill(datasetTitle);
    await page.getByLabel('Description', { exact: false }).first().fill('# Budget\n\nLe **budget** voté.');
    await page.locator('.preview strong').waitFor();
    expect(await page.locator('.preview > div :is(h1, h2, h3, h4, h5, h6)').first().textContent()).toBe(
      'Budget',
    );
    // The license list and its explanation come from the API.
    await page.locator('#license option').nth(1).waitFor({ state: 'attached' });
    await page.selectOption('#license', { index: 1 });
    await page.locator('#license-about p').first().waitFor();
    await page.selectOption('#frequency', 'annual');
    await page.getByLabel('Mots-clés').fill('budget, finances');
    await page.getByLabel('Couverture temporelle : début').fill('2024-01-01');
    await page.getByLabel('Couverture temporelle : fin').fill('2024-12-31');
    await page.selectOption('#granularity', 'fr:commune');
    expect(await page.isChecked('#private')).toBe(true);
    await checkScreen(page, '11-dataset-describe');
    await page.getByRole('button', { name: 'Enregistrer et ajouter les ressources' }).click();

    await page.getByRole('heading', { name: datasetTitle }).waitFor();
    await page.getByText('Ce jeu de données est privé').waitFor();
    const id = new URL(page.url()).pathname.split('/').filter(Boolean).at(-1)!;
    const csv = Buffer.from(
      `annee,montant\n${Array.from({ length: 2000 }, (_, i) => `${2000 + (i % 25)},${i * 17}`).join('\n')}\n`,
    );
    await page.setInputFiles('#file', { name: 'budget.csv', mimeType: 'text/csv', buffer: csv });
    await page.getByText('Fichier publié : budget.csv').waitFor({ timeout: 20_000 });
    expect(await page.locator('progress').first().getAttribute('value')).toBe('100');

    await page.getByLabel('Titre de la ressource').fill('Documentation');
    await page.getByLabel('Adresse (URL)').fill('https://example.org/budget/documentation');
    await page.getByRole('button', { name: 'Ajouter le lien' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Documentation' }).first().waitFor();
    await checkScreen(page, '12-dataset-resources');

    // As the owner sees it through the API: private, both resources, the file measured.
    const owner = { cookie: await sessionCookie(page) };
    const before = (await api.getWith(`/api/1/datasets/${id}/`, owner)).json;
    expect(before.private).toBe(true);
    expect(before.organization.name).toBe(organizationName);
    expect(before.tags).toEqual(['budget', 'finances']);
    expect(before.frequency).toBe('annual');
    const file = before.resources.find((resource: { title: string }) => resource.title === 'budget.csv');
    expect(file).toMatchObject({ filetype: 'file', filesize: csv.length, format: 'csv' });
    expect((await api.get(`/api/1/datasets/${id}/`)).status).toBe(404);

    await page.getByRole('button', { name: 'Publier le jeu de données' }).click();
    await page.getByText('Le jeu de données est public.').waitFor();
    await checkScreen(page, '13-dataset-published');
    const published = await api.get(`/api/1/datasets/${id}/`);
    expect(published.status).toBe(200);
    expect(published.json.resources.map((resource: { title: string }) => resource.title).sort()).toEqual([
      'Documentation',
      'budget.csv',
    ]);
  });

  it('sends a large file in parts, paused and resumed, and edits the description', async () => {
    // Above the single-POST limit of the test platform: a multipart upload of two parts (8 MiB + the rest).
    const line = '2024,Commune de Test,123456,789\n';
    const big = Buffer.from(
      `annee,commune,population,surface\n${line.repeat(Math.ceil((9 * 1024 * 1024) / line.length))}`,
    );
    // The second part is held at the network until the producer has paused.
    let held: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => {
      held = resolve;
    });
    await page.route(/partNumber=2/, async (route) => {
      held();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue().catch(() => undefined);
    });
    // From a file on disk: Chromium reads it itself (a buffer would cross the DevTools protocol).
    const bigFile = path.join(mkdtempSync(path.join(tmpdir(), 'workspace-')), 'population.csv');
    writeFileSync(bigFile, big);
    await page.setInputFiles('#file', bigFile);
    await reached;
    await page.getByRole('button', { name: 'Mettre en pause' }).click();
    await page.getByText(/En pause à \d+ %/).waitFor();
    await checkScreen(page, '14-upload-paused');
    await page.unroute(/partNumber=2/);
    await page.getByRole('button', { name: 'Reprendre' }).click();
    await page.getByText('Fichier publié : population.csv').waitFor({ timeout: 30_000 });

    const id = new URL(page.url()).pathname.split('/').filter(Boolean).at(-1)!;
    const dataset = (await api.get(`/api/1/datasets/${id}/`)).json;
    const file = dataset.resources.find((resource: { title: string }) => resource.title === 'population.csv');
    expect(file).toMatchObject({ filetype: 'file', filesize: big.length, format: 'csv' });

    await page.getByText('Modifier la description').click();
    await page.getByLabel('Sigle').fill('BP');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Enregistré.').waitFor();
    expect((await api.get(`/api/1/datasets/${id}/`)).json.acronym).toBe('BP');

    const titles = async () =>
      (await api.get(`/api/1/datasets/${id}/`)).json.resources.map(
        (resource: { title: string }) => resource.title,
      );
    const first = (await titles())[0];
    await page.getByRole('button', { name: `Descendre ${first}` }).click();
    await page.getByText('Ordre des ressources enregistré.').waitFor();
    expect((await titles())[1]).toBe(first);
    await page.getByRole('button', { name: 'Supprimer Documentation' }).click();
    await page.getByText('Ressource supprimée.').waitFor();
    expect((await titles()).sort()).toEqual(['budget.csv', 'population.csv']);
  });

  it('offers the dataset to another user, who accepts it from their dashboard', async () => {
    const id = new URL(page.url()).pathname.split('/').filter(Boolean).at(-1)!;
    // The recipient is found by name as it is typed (udata's users suggest).
    await page.getByLabel('Transférer à').selectOption('User');
    await page.getByLabel('Destinataire', { exact: false }).fill('Dominique Dur');
    await page.getByRole('button', { name: 'Choisir Dominique Durand' }).first().click();
    await page.getByText('Choisi : Dominique Durand').waitFor();
    await page.getByLabel('Message').fill('Vous en avez la charge désormais.');
    await page.getByRole('button', { name: 'Proposer le transfert' }).click();
    await page.getByText('Transfert proposé').waitFor();
    await page.getByText('« Vous en avez la charge désormais. »').waitFor();
    await checkScreen(page, '15-transfer-offered');

    // The recipient, in a browser of their own, answers from their dashboard.
    const context = await browser.newContext();
    const recipient = await context.newPage();
    recipient.setDefaultTimeout(8_000);
    await recipient.goto(screen('/login'));
    await recipient.getByLabel('Adresse électronique').fill(other.email);
    await recipient.getByLabel('Mot de passe').fill(PASSWORD);
    await recipient.getByRole('button', { name: 'Se connecter' }).click();
    await recipient.getByRole('heading', { name: 'Transferts en attente' }).waitFor();
    await recipient.getByRole('button', { name: `Accepter ${datasetTitle}` }).click();
    await recipient.getByText('Transfert accepté.').waitFor();
    await recipient.getByRole('link', { name: datasetTitle }).waitFor();
    await checkScreen(recipient, '16-transfer-accepted');
    await context.close();
    const dataset = (await api.get(`/api/1/datasets/${id}/`)).json;
    expect(dataset.owner?.id).toBe(other.id);
    expect(dataset.organization).toBeNull();
  });
});

async function sessionCookie(current: Page): Promise<string> {
  const cookie = (await current.context().cookies()).find((entry) => entry.name === 'portail_session');
  return `portail_session=${cookie?.value}`;
}

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, mailTo, PASSWORD, uniqueEmail } from './accounts';
import { checkScreen, launchChromium } from './browser/workspace-browser';
import { api } from './client';

/**
 * The producer's journey through the workspace's screens (/admin/), as a person with a keyboard and a
 * mouse goes through it, with axe-core run on every screen. One Chromium for the file; the steps share
 * one producer and run in order.
 */
let browser: Browser;
let page: Page;
const email = uniqueEmail('workspace');
const NEW_PASSWORD = 'Another-Horse-42';

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

    const link = linkIn(await mailTo(email, { subject: 'Confirmez' }), 'confirm');
    await page.goto(screen(`/confirm/${tokenOf(link)}`));
    await page.getByText('Adresse confirmée').waitFor();
    await checkScreen(page, '03-confirmed');

    await page.goto(screen('/login'));
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Bonjour Camille Martin.').waitFor();
    await checkScreen(page, '04-dashboard');
  }, 30_000);

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
  }, 20_000);

  it('speaks English on demand, logs out, resets the password and logs in with the new one', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Profile and API keys' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Français' }).click();

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

    const link = linkIn(await mailTo(email, { subject: 'Réinitialisation' }), 'reset');
    await page.goto(screen(`/reset/${tokenOf(link)}`));
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
  }, 20_000);
});

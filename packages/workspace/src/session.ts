import { ref } from 'vue';
import { api, type Schemas, setCsrfToken } from './api/client';

export type Me = Schemas['Me'];

/** Who is logged in: read from the API (the session cookie is HttpOnly), with its CSRF token. */
export const me = ref<Me | null>(null);
export const sessionLoaded = ref(false);

export async function loadSession(): Promise<void> {
  try {
    const { data } = await api.GET('/api/1/me/');
    if (data) {
      const csrf = await api.GET('/get-csrf');
      setCsrfToken(csrf.data?.csrf_token ?? null);
    }
    me.value = data ?? null;
  } catch {
    me.value = null;
  }
  sessionLoaded.value = true;
}

export function startSession(user: Me, csrfToken: string): void {
  setCsrfToken(csrfToken);
  me.value = user;
}

export async function endSession(): Promise<void> {
  await api.POST('/logout/');
  setCsrfToken(null);
  me.value = null;
}

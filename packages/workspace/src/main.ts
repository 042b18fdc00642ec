import { createApp } from 'vue';
import App from './App.vue';
import { restoreLanguage } from './i18n';
import { loadSession } from './session';
import './style.css';

// English, when chosen on an earlier visit, is fetched first (its own chunk); French is always there.
void restoreLanguage().then(() => createApp(App).mount('#app'));
void loadSession();

import { createApp } from 'vue';
import App from './App.vue';
import { loadSession } from './session';
import './style.css';

createApp(App).mount('#app');
void loadSession();

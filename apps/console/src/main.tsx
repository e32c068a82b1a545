import { mountApp } from '@drop/web-common/mount';
import { App } from './App.tsx';
import { I18nProvider } from './i18n.ts';
import { BASE } from './routes.ts';
import './styles.css';

mountApp(
  <I18nProvider>
    <App />
  </I18nProvider>,
  { base: BASE },
);

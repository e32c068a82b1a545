import { webAppConfig } from '@drop/web-common/vite-config';

/** The customer app. Built into `dist/`, which the API serves at `/`. */
export default webAppConfig({ base: '/', devPort: 5173 });

import { webAppConfig } from '@drop/web-common/vite-config';

/** The back-office console. Built into `dist/`, which the API serves at `/console/`. */
export default webAppConfig({ base: '/console/', devPort: 5174 });

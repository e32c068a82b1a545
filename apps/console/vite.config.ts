import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The back-office console. Built into `dist/`, which the API serves at `/console/`. */
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5174,
    strictPort: true,
    proxy: { '/api': api, '/metrics': api },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});

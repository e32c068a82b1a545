import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The customer app. Built into `dist/`, which the API serves at `/`. */
const api = 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': api, '/metrics': api },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});

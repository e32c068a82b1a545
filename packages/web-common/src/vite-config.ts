import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const API = 'http://127.0.0.1:3000';

/**
 * The Vite configuration both web apps build with: React, built into the app's `dist/` (which the
 * API server serves at `base`), and in development a dev server on `devPort` that passes `/api`
 * and `/metrics` to the API on :3000 (`npm run dev`).
 */
export function webAppConfig(options: { base: string; devPort: number }): UserConfig {
  return defineConfig({
    base: options.base,
    plugins: [react()],
    server: {
      host: '127.0.0.1',
      port: options.devPort,
      strictPort: true,
      proxy: { '/api': API, '/metrics': API },
    },
    build: { outDir: 'dist', emptyOutDir: true },
  });
}

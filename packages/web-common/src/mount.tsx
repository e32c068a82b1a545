/** Starts a web app: React in `#root`, strict mode, the router under `base`, and the app's query cache. */
import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './query.ts';
import { AppRouter } from './routing.tsx';

export function mountApp(app: ReactNode, options: { base?: string } = {}): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <AppRouter base={options.base}>
        <QueryClientProvider client={createQueryClient()}>{app}</QueryClientProvider>
      </AppRouter>
    </StrictMode>,
  );
}

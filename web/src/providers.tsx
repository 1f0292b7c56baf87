import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import en_US from 'antd/es/locale/en_US';
import zh_CN from 'antd/es/locale/zh_CN';
import { type ReactNode, useState } from 'react';
import { isApiFailure, setUnauthorizedHandler } from './api/client.ts';
import { signedOut } from './api/queries.ts';
import { LangProvider, useLang } from './i18n/lang.tsx';
import { FONT_FAMILY, PRIMARY } from './theme.ts';

function makeQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx answers are final (not found, forbidden, invalid); retry only network and server errors.
        retry: (count, error) =>
          count < 2 && !(isApiFailure(error) && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
  setUnauthorizedHandler(() => signedOut(client));
  return client;
}

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zh_CN : en_US}
      theme={{ token: { fontFamily: FONT_FAMILY, colorPrimary: PRIMARY, borderRadius: 6 } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      {/* Data already on screen carries server text (messages, labels): fetch it again in the new language. */}
      <LangProvider onChange={() => void client.invalidateQueries()}>
        <Themed>{children}</Themed>
      </LangProvider>
    </QueryClientProvider>
  );
}

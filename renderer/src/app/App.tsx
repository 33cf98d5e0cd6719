import { AppShell, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { Navigate, NavLink as RouterLink, Route, Routes, useLocation } from 'react-router';
import { Suspense } from 'react';
import { SECTIONS } from './sections.tsx';
import { Loading } from '../components/States.tsx';
import { ThemeFromSettings } from '../sections/settings/ThemeFromSettings.tsx';
import { GlobalSearch } from '../components/GlobalSearch.tsx';
import { WatchNotifier } from '../sections/watches/WatchNotifier.tsx';
import { SyncNotifier } from '../sections/team/SyncNotifier.tsx';
import { CoreProcessNotifier } from './CoreProcessNotifier.tsx';
import { useMarkStaleOnEvents, useResyncOnReconnect } from '../api/hooks.ts';
import { ConnectionBanner, TokenGate, useStale } from './Connection.tsx';

export function App() {
  return (
    <TokenGate>
      <Shell />
    </TokenGate>
  );
}

function Shell() {
  const location = useLocation();
  const stale = useStale();
  useResyncOnReconnect();
  useMarkStaleOnEvents();
  return (
    <AppShell navbar={{ width: 220, breakpoint: 0 }} header={{ height: 52 }} padding="md">
      <ThemeFromSettings />
      <WatchNotifier />
      <SyncNotifier />
      <CoreProcessNotifier />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Title order={3} fw={800}>
              Dossier
            </Title>
            <Text size="xs" c="dimmed">
              OSINT workbench
            </Text>
          </Group>
          <GlobalSearch />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Sections">
        <ScrollArea>
          {SECTIONS.map((s) => (
            <NavLink
              key={s.path}
              component={RouterLink}
              to={`/${s.path}`}
              label={s.label}
              leftSection={<s.icon size={18} stroke={1.6} />}
              active={location.pathname.startsWith(`/${s.path}`)}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <ConnectionBanner />
        {/* Dimmed while the server is away: the counts below are from before, not current. */}
        <div
          data-stale={stale || undefined}
          aria-describedby={stale ? 'connection-lost' : undefined}
          style={stale ? { opacity: 0.45, filter: 'grayscale(1)' } : undefined}
        >
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/" element={<Navigate to={`/${SECTIONS[0]!.path}`} replace />} />
              {SECTIONS.map((s) => (
                <Route key={s.path} path={`/${s.path}/*`} element={s.element} />
              ))}
              <Route path="*" element={<Text>Not found</Text>} />
            </Routes>
          </Suspense>
        </div>
      </AppShell.Main>
    </AppShell>
  );
}

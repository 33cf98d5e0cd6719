import { useEffect } from 'react';
import { useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useCall } from '../../api/hooks.ts';

/**
 * Apply the stored `ui.theme` at start-up, so a theme set with
 * `dossier config set ui.theme dark` (or in another window) is the one shown.
 * Renders nothing.
 */
export function ThemeFromSettings() {
  const theme = useCall('settings.get', { key: 'ui.theme' }, { staleTime: Infinity });
  const { setColorScheme } = useMantineColorScheme();
  const value = theme.data?.value;
  useEffect(() => {
    if (value === 'light' || value === 'dark' || value === 'auto') setColorScheme(value as MantineColorScheme);
  }, [value, setColorScheme]);
  return null;
}

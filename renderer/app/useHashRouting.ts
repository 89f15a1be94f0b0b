import { useEffect } from 'react';
import { parseHash } from '../state/uiSlice';
import { useConsoleStore } from '../state/store';

/** Keeps page and open room in step with the URL hash (back/forward buttons, pasted links). */
export function useHashRouting(): void {
  useEffect(() => {
    const onHash = () => {
      const { page, roomId } = parseHash(location.hash);
      const s = useConsoleStore.getState();
      if (s.page !== page || s.roomId !== roomId) useConsoleStore.setState({ page, roomId });
    };
    window.addEventListener('hashchange', onHash);
    // The desktop menu's Ctrl/Cmd+1…9 arrive through the preload and go through the hash too.
    const offShell = window.anychatConsole?.onShell?.('shell:navigate', ({ screen }) => {
      location.hash = `/${screen}`;
    });
    return () => {
      window.removeEventListener('hashchange', onHash);
      offShell?.();
    };
  }, []);
}

import { useNavigate } from '@remix-run/react';
import type { MouseEvent } from 'react';

/**
 * One click handler for a whole list (decision 086): rows carry plain <a> elements, so hydrating
 * 100 rows costs no router hooks. A plain left click on a row's link navigates in the app (no
 * document reload), and on a Record link opens that row's form; modified clicks (new tab) and
 * JavaScript off keep the links' own behaviour.
 */
export function useRowLinks(onRecord: (clientId: number) => void) {
  const navigate = useNavigate();
  return (event: MouseEvent<HTMLElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as HTMLElement).closest?.('a');
    if (!link || !event.currentTarget.contains(link)) return;
    const record = link.getAttribute('data-record');
    if (record) {
      event.preventDefault();
      onRecord(Number(record));
      return;
    }
    const href = link.getAttribute('href');
    if (href?.startsWith('/') && !href.startsWith('//') && link.hasAttribute('data-row-link')) {
      event.preventDefault();
      navigate(href);
    }
  };
}

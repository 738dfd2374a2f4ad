import { useRef } from 'react';
import { useLocation } from '@remix-run/react';
import type { Flash } from '../core/forms/form-reply';

/**
 * THE success message of every form (docs/decisions/085): the flash the root loader read (and
 * cleared) after a post/redirect/get. Without JavaScript it is in the page the redirect lands on;
 * with it, it stays on that page only (client navigations keep the root data, not the message).
 */
export function FlashToast({ flash }: { flash: Flash | null }) {
  const location = useLocation();
  const seen = useRef<{ id: string; key: string } | null>(null);
  if (flash && seen.current?.id !== flash.id) seen.current = { id: flash.id, key: location.key };
  if (!flash || seen.current?.key !== location.key) return null;
  return (
    <div className={`banner ${flash.type === 'success' ? 'ok' : 'error'}`} role={flash.type === 'success' ? 'status' : 'alert'} data-testid="flash">
      <p data-testid="toast">{flash.message}</p>
      {flash.details?.length ? (
        <ul className="results" data-testid="flash-details">
          {flash.details.map(([label, value, href], i) => (
            <li key={i} data-testid="flash-detail">
              {href ? <a href={href}>{label}</a> : label}: {value}
            </li>
          ))}
        </ul>
      ) : null}
      {flash.secret ? (
        <p>
          {flash.secret.label}:{' '}
          <span className="temp-password" data-testid="temporary-password">
            {flash.secret.value}
          </span>
        </p>
      ) : null}
    </div>
  );
}

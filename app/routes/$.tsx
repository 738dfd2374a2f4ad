import { notFound } from '../web/http-errors.server';

// Any address no other route matches. Without this splat route Remix answers such a URL without
// running the root loader, so the 404 page would lose the navigation (decision 084).
export async function loader() {
  notFound();
}

export async function action() {
  notFound();
}

/** Never renders: the loader always answers 404, shown by the error boundary inside the layout. */
export default function NotFound() {
  return null;
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';

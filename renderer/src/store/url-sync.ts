// Runs in: renderer. Keeps the address bar's fragment and the app store in step, both ways: a
// change of view pushes one history entry, and back, forward, a reload or a pasted link shows the
// place the fragment names. Browser mode's token is taken out of the fragment before this starts
// (api/transports.ts), so a copied link never carries it.
import { routeOf, useApp } from './app-store';
import { DEFAULT_ROUTE, formatRoute, parseRoute } from './routes';

const here = (): string => formatRoute(routeOf(useApp.getState()));

/** Starts the sync; returns what stops it. */
export function startUrlSync(): () => void {
  // Set while the store follows the URL, so that following it is never pushed back as a new entry.
  let following = false;

  const follow = (hash: string): void => {
    const route = parseRoute(hash);
    // An in-page anchor (the skip link's #main) is not a place: the view stays.
    if (!route) return;
    const wanted = formatRoute(route);
    if (here() !== wanted) {
      following = true;
      try {
        useApp.getState().goTo(route);
      } finally {
        following = false;
      }
    }
    // An unknown or non-canonical fragment is replaced by the one of the view shown, in place.
    if (window.location.hash !== here()) history.replaceState(history.state, '', here());
  };

  follow(parseRoute(window.location.hash) ? window.location.hash : formatRoute(DEFAULT_ROUTE));

  const unsubscribe = useApp.subscribe((state, previous) => {
    if (following) return;
    const next = formatRoute(routeOf(state));
    // Toasts, connection and the like change the store without moving: no entry for them.
    if (next === formatRoute(routeOf(previous)) || next === window.location.hash) return;
    history.pushState(null, '', next);
  });
  const onPop = (): void => follow(window.location.hash);
  window.addEventListener('popstate', onPop);
  window.addEventListener('hashchange', onPop);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', onPop);
    window.removeEventListener('hashchange', onPop);
  };
}

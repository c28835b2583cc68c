// Runs in: renderer. The frame: header with project switcher, sidebar, section, status bar, toasts.
import type React from 'react';
import { useEffect } from 'react';
import { api, onConnectionChange } from './api/client';
import { ProjectSwitcher, ProjectSwitcherButton } from './components/ProjectSwitcher';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { SyncControl } from './components/SyncControl';
import { Toasts } from './components/Toasts';
import { Data } from './sections/Data';
import { Experiments } from './sections/Experiments';
import { Models } from './sections/Models';
import { Monitoring } from './sections/Monitoring';
import { Overview } from './sections/Overview';
import { Pipelines } from './sections/pipelines/Pipelines';
import { toastMonitorAlert } from './sections/monitoring/alert-toast';
import { Reports } from './sections/Reports';
import { SECTIONS, toastError, useApp, type SectionId } from './store/app-store';
import { useLiveRuns } from './store/live-runs';
import { startUrlSync } from './store/url-sync';
import { TourButton, TourPanel, useTourSync } from './tour/TourPanel';
import { useTour } from './tour/tour-store';

const VIEWS: Record<SectionId, () => React.JSX.Element> = {
  overview: Overview,
  experiments: Experiments,
  data: Data,
  pipelines: Pipelines,
  models: Models,
  monitoring: Monitoring,
  reports: Reports,
};

async function refreshRecent(): Promise<void> {
  useApp.getState().setRecent(await api.call('project.recent', {}));
}

export function App() {
  const section = useApp((s) => s.section);
  const project = useApp((s) => s.project);
  const tourOpen = useTour((s) => s.open) && project?.isDemo === true;
  useTourSync();

  // Before the project loads: the URL's place is where the app opens.
  useEffect(() => startUrlSync(), []);

  useEffect(() => {
    const s = useApp.getState();
    const off = onConnectionChange(s.setConnection);
    const unsubscribe = api.subscribe((event) => {
      useLiveRuns.getState().apply(event);
      if (event.name === 'monitors.alert') toastMonitorAlert(event.payload);
      if (event.name === 'project.changed') {
        useLiveRuns.getState().reset();
        useApp.getState().setProject(event.payload.project);
        void refreshRecent().catch(() => undefined);
      }
    });
    Promise.all([api.call('app.info', {}), api.call('project.current', {}), api.call('project.recent', {})]).then(
      ([info, current, recent]) => {
        s.setInfo(info);
        s.setProject(current, { initial: true });
        s.setRecent(recent);
        if (!current) s.setSwitcherOpen(true);
      },
      (err: unknown) => toastError('Benchtop could not start', err),
    );
    return () => {
      off();
      unsubscribe();
    };
  }, []);

  const View = VIEWS[section];
  const label = SECTIONS.find((s) => s.id === section)!.label;
  return (
    <div className={tourOpen ? 'app with-tour' : 'app'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Benchtop">
          <span aria-hidden="true">⌬</span> Benchtop
        </span>
        <ProjectSwitcherButton />
        <TourButton />
        <SyncControl />
      </header>
      <Sidebar />
      <main id="main" className="content" tabIndex={-1} aria-labelledby="section-title">
        <h1 id="section-title">{label}</h1>
        {project ? (
          <View key={project.path} />
        ) : (
          <div className="empty">
            <h2>No project is open</h2>
            <p>Open a project folder or create a new one with the project switcher (Alt+O).</p>
          </div>
        )}
      </main>
      <TourPanel />
      <StatusBar />
      <ProjectSwitcher />
      <Toasts />
    </div>
  );
}

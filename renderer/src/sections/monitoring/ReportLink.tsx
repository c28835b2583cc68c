// Runs in: renderer. Opens a report written under reports/ (a batch's drift report, an export):
// the system viewer on the desktop, a signed link in its own tab in browser mode.
import { api, isDesktop } from '../../api/client';
import { signedReportUrl } from '../../api/report-link';
import { toastError } from '../../store/app-store';

export function ReportLink({ path, label }: { path: string; label: string }) {
  const open = async () => {
    if (isDesktop) {
      try {
        await api.call('reports.open', { path });
      } catch (err) {
        toastError(`Could not open ${path}`, err);
      }
      return;
    }
    const url = await signedReportUrl(path);
    if (!url)
      return toastError(
        `Could not open ${path}`,
        new Error('This tab has no Benchtop token: open Benchtop again with the URL that `benchtop ui` printed.'),
      );
    window.open(url, '_blank', 'noopener');
  };
  return (
    <button type="button" className="link-button" onClick={() => void open()} aria-label={label}>
      Open report
    </button>
  );
}

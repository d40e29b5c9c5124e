import * as React from 'react';

import { checkStatusLabel } from '../format';
import type { Badge, ComplianceStatus } from '../schema';

/** A run's compliance: an overall pill and one badge per check; reasons on hover or click. */
export function ComplianceBadges(props: { compliance: ComplianceStatus }): JSX.Element {
  const { compliance } = props;
  const [open, setOpen] = React.useState<string | null>(null);
  const listId = `jp-SynthStudio-reasons-${compliance.run_id}`;
  const opened = compliance.badges.find(badge => badge.check === open) ?? null;
  return (
    <div className="jp-SynthStudio-compliance">
      <div className="jp-SynthStudio-badges" role="group" aria-label="Compliance checks">
        {compliance.badges.map(badge => (
          <button
            key={badge.check}
            type="button"
            className={`jp-SynthStudio-badge jp-SynthStudio-status-${badge.status}`}
            title={tooltip(badge)}
            aria-label={`${badge.label}: ${checkStatusLabel(badge.status)}`}
            aria-expanded={open === badge.check}
            aria-controls={listId}
            data-check={badge.check}
            data-status={badge.status}
            onClick={() => setOpen(open === badge.check ? null : badge.check)}
          >
            <span className="jp-SynthStudio-badgeDot" aria-hidden="true" />
            {badge.label}
          </button>
        ))}
      </div>
      {opened && (
        <ul id={listId} className="jp-SynthStudio-reasons" aria-label={`Why ${opened.label} is ${checkStatusLabel(opened.status)}`}>
          {opened.reasons.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function tooltip(badge: Badge): string {
  return `${badge.label}: ${checkStatusLabel(badge.status)}\n${badge.reasons.map(r => `• ${r}`).join('\n')}`;
}

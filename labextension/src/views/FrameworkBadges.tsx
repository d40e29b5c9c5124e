import * as React from 'react';

import { frameworkStateLabel, frameworksSummary, frameworkTooltip, orderedBadges } from '../frameworks';
import type { FrameworkBadges } from '../schema';

/** One badge per framework (HIPAA, GDPR, CCPA, SOC 2): measured, attested, missing or fail;
 * the reasons on hover (title) and, for keyboards and touch, on click. */
export function FrameworkBadgeList(props: { badges: FrameworkBadges | null; runId: string }): JSX.Element {
  const { badges, runId } = props;
  const [open, setOpen] = React.useState<string | null>(null);
  if (!badges) {
    return (
      <div className="jp-SynthStudio-frameworks jp-SynthStudio-muted" aria-live="polite">
        Frameworks: loading…
      </div>
    );
  }
  const shown = orderedBadges(badges.frameworks);
  const listId = `jp-SynthStudio-framework-reasons-${runId}`;
  const opened = shown.find(badge => badge.framework === open) ?? null;
  return (
    <div className="jp-SynthStudio-frameworks">
      <div
        className="jp-SynthStudio-badges"
        role="group"
        aria-label="Compliance frameworks"
        title={frameworksSummary(shown)}
      >
        {shown.map(badge => (
          <button
            key={badge.framework}
            type="button"
            className={`jp-SynthStudio-badge jp-SynthStudio-framework jp-SynthStudio-framework-${badge.state}`}
            title={frameworkTooltip(badge)}
            aria-label={`${badge.label}: ${frameworkStateLabel(badge.state)}`}
            aria-expanded={open === badge.framework}
            aria-controls={listId}
            data-framework={badge.framework}
            data-state={badge.state}
            onClick={() => setOpen(open === badge.framework ? null : badge.framework)}
          >
            {badge.label}
            <span className="jp-SynthStudio-frameworkState">{frameworkStateLabel(badge.state)}</span>
          </button>
        ))}
      </div>
      {opened && (
        <ul
          id={listId}
          className="jp-SynthStudio-reasons"
          aria-label={`Why ${opened.label} is ${frameworkStateLabel(opened.state)}`}
        >
          {opened.reasons.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

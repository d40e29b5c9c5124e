import {
  frameworksEndPoint,
  frameworksSummary,
  frameworkStateLabel,
  frameworkTooltip,
  MAX_BADGE_RUNS,
  orderedBadges
} from '../src/frameworks';
import { SynthStudioModel } from '../src/model';
import type { FrameworkBadge, FrameworkBadges, FrameworkBadgesResponse } from '../src/schema';
import { dataset, response, run } from './fixtures';

function badge(framework: FrameworkBadge['framework'], state: FrameworkBadge['state'], reasons = ['why']): FrameworkBadge {
  const label = { hipaa: 'HIPAA', gdpr: 'GDPR', ccpa: 'CCPA', soc2: 'SOC 2' }[framework];
  return { framework, label, state, measured: 3, attested: state === 'attested' ? 1 : 0, missing: 1, reasons };
}

function badges(runId: string, hipaa: FrameworkBadge['state'] = 'measured'): FrameworkBadges {
  return {
    run_id: runId,
    facts_sha256: 'f'.repeat(64),
    frameworks: [badge('soc2', 'missing'), badge('ccpa', 'missing'), badge('gdpr', 'measured'), badge('hipaa', hipaa)]
  };
}

describe('framework badges: wording and order', () => {
  it('orders HIPAA, GDPR, CCPA, SOC 2 whatever the server sent', () => {
    expect(orderedBadges(badges('r1').frameworks).map(b => b.label)).toEqual(['HIPAA', 'GDPR', 'CCPA', 'SOC 2']);
  });

  it('puts the state, its meaning and every reason in the hover text', () => {
    // Run
    const text = frameworkTooltip(
      badge('hipaa', 'attested', ['Attested (Expert Determination): Dr. Ada (Expert), expires 2099-12-31.', '9 measured'])
    );
    // Assert
    const lines = text.split('\n');
    expect(lines[0]).toBe('HIPAA: attested (a person attested what this framework needs)');
    expect(lines.slice(1)).toEqual([
      '• Attested (Expert Determination): Dr. Ada (Expert), expires 2099-12-31.',
      '• 9 measured'
    ]);
    expect(frameworkTooltip(badge('gdpr', 'fail'))).toContain("the run's privacy guarantee is void");
    expect(frameworkStateLabel('missing')).toBe('missing');
  });

  it('summarises a run in one line', () => {
    expect(frameworksSummary(badges('r1', 'attested').frameworks)).toBe(
      'HIPAA attested · GDPR measured · CCPA missing · SOC 2 missing'
    );
  });

  it('asks for each run once, escaped, and never for more than the server takes', () => {
    expect(frameworksEndPoint(['a1', 'b 2', 'a1'])).toBe('frameworks?run=a1&run=b%202');
    const many = Array.from({ length: 80 }, (_, i) => `r${i}`);
    expect(frameworksEndPoint(many).split('&')).toHaveLength(MAX_BADGE_RUNS);
  });
});

describe('SynthStudioModel: framework badges', () => {
  it('fetches the badges of the listed runs after each refresh and serves them by run', async () => {
    // Setup
    const asked: string[][] = [];
    let hipaa: FrameworkBadge['state'] = 'measured';
    const model = new SynthStudioModel({
      fetchDatasets: async () => response([dataset('clinic', [run('r1', '2026-01-02T00:00:00Z'), run('r2', null)])]),
      fetchFrameworks: async ids => {
        asked.push([...ids]);
        return { runs: ids.map(id => badges(id, hipaa)) } as FrameworkBadgesResponse;
      },
      autoPoll: false
    });
    let changes = 0;
    model.changed.connect(() => changes++);
    // Run
    await model.refresh();
    const first = model.frameworksFor('r1');
    hipaa = 'attested'; // an attestation was stored: the next refresh shows it
    await model.refresh();
    // Assert
    expect(asked).toEqual([
      ['r1', 'r2'],
      ['r1', 'r2']
    ]);
    expect(first!.frameworks.find(b => b.framework === 'hipaa')!.state).toBe('measured');
    expect(model.frameworksFor('r1')!.frameworks.find(b => b.framework === 'hipaa')!.state).toBe('attested');
    expect(model.frameworksFor('unknown')).toBeNull();
    expect(changes).toBe(4); // datasets, then badges, each refresh
    model.dispose();
  });

  it('a failed badge fetch is recorded apart: budgets still load, the last badges stay', async () => {
    // Setup
    let fail = false;
    const model = new SynthStudioModel({
      fetchDatasets: async () => response([dataset('clinic', [run('r1', null)])]),
      fetchFrameworks: async ids => {
        if (fail) {
          throw new Error('Service Unavailable');
        }
        return { runs: ids.map(id => badges(id)) };
      },
      autoPoll: false
    });
    await model.refresh();
    // Run
    fail = true;
    await model.refresh();
    // Assert
    expect(model.error).toBeNull();
    expect(model.loaded).toBe(true);
    expect(model.frameworksError).toBe('Service Unavailable');
    expect(model.frameworksFor('r1')).not.toBeNull();
    fail = false;
    await model.refresh();
    expect(model.frameworksError).toBeNull();
    model.dispose();
  });

  it('without a fetcher there are no badges and no requests', async () => {
    const model = new SynthStudioModel({
      fetchDatasets: async () => response([dataset('clinic', [run('r1', null)])]),
      autoPoll: false
    });
    await model.refresh();
    expect(model.frameworksFor('r1')).toBeNull();
    expect(model.frameworksError).toBeNull();
    model.dispose();
  });
});

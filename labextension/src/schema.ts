/* eslint-disable */
/**
 * GENERATED FILE, do not edit. Source: synthstudio_kernel/schema/api.schema.json.
 * Regenerate with `jlpm build:schema`; jest fails when this file is out of date.
 */

/**
 * 'differential-privacy' for DP methods (dp-ctgan, dp-tvae), 'none' for methods without a formal guarantee.
 */
export type Guarantee = 'differential-privacy' | 'none';
/**
 * Ledger status of a run: 'reserved' while training holds budget, then one of the final states.
 */
export type RunStatus = 'reserved' | 'succeeded' | 'failed' | 'stopped' | 'refused';
/**
 * Outcome of one compliance check. 'unknown' means the facts needed were never recorded: it is never guessed.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';
/**
 * Where a framework's evidence for one run stands. 'measured': every measurement the framework needs is recorded and a person's attestation is pending; 'attested': a person attested what the framework needs (e.g. a HIPAA Expert Determination); 'missing': a measurement was not recorded; 'fail': the run's guarantee is void (failed, stopped or refused run, epsilon over target, broken run log).
 */
export type FrameworkState = 'measured' | 'attested' | 'missing' | 'fail';
/**
 * A message the kernel sends on the 'synthstudio' comm.
 */
export type CommMessage =
  CommOpened | TrainingStarted | TrainingProgress | TrainingFinished | LedgerChanged;

/**
 * Every JSON shape that crosses the wire between Synth Studio's Python side (server extension, kernel comm) and the JupyterLab sidebar. The TypeScript types in labextension/src/schema.ts are generated from this file (jlpm build:schema); Python tests validate real responses against it. Aggregates only: no data values ever appear here.
 */
export interface SynthStudioWire {
  datasets?: DatasetsResponse;
  dataset?: DatasetDetail;
  runs?: RunsResponse;
  run?: RunDetail;
  compliance?: ComplianceStatus;
  framework_badges?: FrameworkBadges;
  frameworks?: FrameworkBadgesResponse;
  comm?: CommMessage;
}
export interface DatasetsResponse {
  /**
   * synthstudio_kernel version of the server.
   */
  version: string;
  datasets: DatasetSummary[];
}
export interface DatasetSummary {
  id: string;
  name: string;
  /**
   * False for a dataset the ledger created by fingerprint when it was first used unregistered.
   */
  registered: boolean;
  rows: number | null;
  created_at: string | null;
  budget: Budget;
  run_count: number;
  /**
   * Most recent runs first (the list route returns the latest few; the detail route all).
   */
  runs: RunSummary[];
}
/**
 * A dataset's privacy budget (epsilon, sequential composition across runs).
 */
export interface Budget {
  total: number;
  spent: number;
  /**
   * Held by runs that are still training.
   */
  reserved: number;
  remaining: number;
}
export interface RunSummary {
  id: string;
  dataset_id: string | null;
  dataset_name: string | null;
  method: string;
  guarantee: Guarantee;
  status: RunStatus;
  epsilon_target: number | null;
  epsilon_spent: number | null;
  delta: number | null;
  /**
   * ISO 8601, UTC.
   */
  started_at: string | null;
  /**
   * ISO 8601, UTC.
   */
  finished_at: string | null;
  safety: SafetySummary | null;
  compliance: ComplianceStatus;
  /**
   * The notebook variable the model was bound to (%%dp_train --name).
   */
  model_variable: string | null;
  words: RunWords;
  evaluation: RunEvaluation | null;
}
/**
 * The pre-training safety checks recorded for a run (facts 'safety').
 */
export interface SafetySummary {
  ok: boolean | null;
  errors: string[];
  warnings: string[];
  checks: SafetyCheck[];
}
export interface SafetyCheck {
  name: string;
  status: 'ok' | 'warning' | 'error';
  message: string;
}
/**
 * Compliance status of one run, built only from facts the ledger holds.
 */
export interface ComplianceStatus {
  run_id: string;
  status: CheckStatus;
  summary: string;
  privacy_level: PrivacyLevel | null;
  badges: Badge[];
  /**
   * Checks whose facts were recorded.
   */
  known: number;
  /**
   * Checks shown as not known.
   */
  unknown: number;
}
/**
 * A plain-words reading of epsilon (synthstudio_kernel.privacy.levels).
 */
export interface PrivacyLevel {
  name: string;
  label: string;
  range: string;
  meaning: string;
}
/**
 * One framework-neutral compliance check with the reasons behind its status.
 */
export interface Badge {
  check:
    | 'formal-privacy'
    | 'budget'
    | 'safety-checks'
    | 'identifiers'
    | 'evaluation'
    | 'fidelity'
    | 'utility'
    | 'privacy-risk';
  label: string;
  status: CheckStatus;
  /**
   * @minItems 1
   */
  reasons: string[];
}
/**
 * The run's phrases from synthstudio_kernel.privacy.levels (one vocabulary for every view).
 */
export interface RunWords {
  /**
   * e.g. 'strong (1 ≤ ε ≤ 5): suitable for healthcare and financial records'; null while unknown.
   */
  level: string | null;
  /**
   * e.g. '(ε = 1, δ = 1e-05)-differential privacy' or 'no formal privacy guarantee'.
   */
  guarantee: string | null;
  /**
   * Short status word ('training', 'succeeded', 'failed', ...).
   */
  status: string;
  /**
   * What the status means, with the ε charged.
   */
  status_text: string;
}
/**
 * Scores of the run's latest scorecard.
 */
export interface RunEvaluation {
  fidelity: number | null;
  utility: number | null;
  privacy: number | null;
  holdout: boolean;
  evaluated_at: string | null;
}
export interface DatasetDetail {
  dataset: DatasetSummary;
}
export interface RunsResponse {
  runs: RunSummary[];
}
/**
 * A run with its training parameters and DP accounting facts.
 */
export interface RunDetail {
  run: RunSummary;
  /**
   * Hyperparameters (epochs, batch size, ...).
   */
  params: {
    [k: string]: unknown | undefined;
  };
  /**
   * DP accounting facts: noise_multiplier, sample_rate, steps, accountant, ...
   */
  accounting: {
    [k: string]: unknown | undefined;
  };
}
/**
 * The per-framework compliance badges of one run, built from the released facts of its compliance report.
 */
export interface FrameworkBadges {
  run_id: string;
  /**
   * SHA-256 of the facts document the badges were read from.
   */
  facts_sha256: string;
  frameworks: FrameworkBadge[];
}
/**
 * One framework's badge for one run, with the reasons shown on hover.
 */
export interface FrameworkBadge {
  framework: 'hipaa' | 'gdpr' | 'ccpa' | 'soc2';
  /**
   * Display name: HIPAA, GDPR, CCPA, SOC 2.
   */
  label: string;
  state: FrameworkState;
  /**
   * Claims measured or configured by the tool.
   */
  measured: number;
  /**
   * Claims attested by a person (current, not expired).
   */
  attested: number;
  /**
   * Claims not assessed.
   */
  missing: number;
  /**
   * @minItems 1
   */
  reasons: string[];
}
/**
 * Framework badges of several runs (GET /synthstudio/api/frameworks?run=<id>&run=<id>).
 */
export interface FrameworkBadgesResponse {
  runs: FrameworkBadges[];
}
export interface CommOpened {
  event: 'open';
}
export interface TrainingStarted {
  event: 'training_started';
  run_id?: string | null;
  model?: string | null;
  method: string;
  dataset?: string | null;
  epochs?: number | null;
  target_epsilon?: number | null;
}
export interface TrainingProgress {
  event: 'training_progress';
  run_id?: string | null;
  model?: string | null;
  method?: string | null;
  epoch: number;
  epochs: number;
  losses?: {
    [k: string]: number | undefined;
  };
  epsilon?: number | null;
  elapsed_s?: number | null;
  eta_s?: number | null;
}
export interface TrainingFinished {
  event: 'training_finished';
  run_id?: string | null;
  model?: string | null;
  status: string;
  epsilon?: number | null;
}
export interface LedgerChanged {
  event: 'ledger_changed';
  dataset?: string | null;
  /**
   * dataset_registered, dataset_updated, reserved, settled, run_recorded, facts_attached or attested.
   */
  change?: string | null;
  run_id?: string | null;
}

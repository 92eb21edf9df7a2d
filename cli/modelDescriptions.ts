import type { ChurnParameters, ChurnTraining } from '../activities/churn';
import type { ClusterTraining } from '../activities/cluster';
import type { ClvTraining } from '../activities/lifetimeValue';
import type { ClusteringParameters } from '../analytics/clusterModel';
import { purchaseError } from '../analytics/purchaseHoldout';
import type { ClvParameters } from '../analytics/clvPrediction';
import type { StoredModel } from '../lib/modelStore';
import { table } from './table';

/** How `segflow models` shows a stored version: its headline figures in a phrase, and the lines of `show`. */
export interface ModelDescription {
  metrics: string;
  details: string[];
}

const fixed = (value: number | null, digits = 3) => (value === null ? 'n/a' : value.toFixed(digits));
const signedPercent = (share: number) => `${share > 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;

function clustering({ parameters: p }: StoredModel<ClusteringParameters, ClusterTraining>): ModelDescription {
  return {
    metrics: `k ${p.k}, mean distance ${fixed(p.meanDistance)}`,
    details: [
      `k = ${p.k} (${p.selection}), fitted on ${p.fitRows} customers; mean distance to the centroid ${fixed(p.meanDistance)}.`,
      '',
      table([
        ['cluster', 'name', 'mean distance', 'p95 distance'],
        ...p.clusters.map((c) => [c.id, c.name, fixed(c.meanDistance), fixed(c.p95Distance)]),
      ]),
      '',
      `Features: ${p.features.map((f) => f.name).join(', ')}.`,
    ],
  };
}

function clv({ parameters: p, training: t }: StoredModel<ClvParameters, ClvTraining>): ModelDescription {
  const holdout = t.holdout?.model ?? null;
  const error = holdout && purchaseError(holdout);
  return {
    metrics: holdout
      ? `holdout ${fixed(holdout.predictedPurchases, 1)} purchases predicted, ${holdout.actualPurchases} made (${signedPercent(error!)})`
      : 'no holdout check',
    details: [
      `BG/NBD r = ${fixed(p.bgNbd.r)}, alpha = ${fixed(p.bgNbd.alpha)}, a = ${fixed(p.bgNbd.a)}, b = ${fixed(p.bgNbd.b)}: ` +
        `log-likelihood ${fixed(t.bgNbd.logLikelihood, 1)}, ${t.bgNbd.customers} customers in ${t.bgNbd.historyGroups} distinct histories.`,
      `Gamma-Gamma p = ${fixed(p.gammaGamma.p)}, q = ${fixed(p.gammaGamma.q)}, gamma = ${fixed(p.gammaGamma.gamma)}: ` +
        `log-likelihood ${fixed(t.gammaGamma.logLikelihood, 1)}, ${t.gammaGamma.customers} repeat customers. Fitted in ${fixed(t.fitSeconds, 2)} s.`,
      t.holdout && holdout
        ? `Holdout: BG/NBD fitted as of ${t.holdout.asOf} predicted ${fixed(holdout.predictedPurchases, 1)} purchases in the ` +
          `${t.holdout.windowDays} days after, ${holdout.actualPurchases} were made (${signedPercent(error!)}); mean absolute ` +
          `error per customer ${fixed(holdout.meanAbsoluteError)}, the naive rate's ${fixed(t.holdout.naive.meanAbsoluteError)}.`
        : 'Holdout: none (nobody had bought by its start, or its fit did not converge).',
    ],
  };
}

function churn({ parameters: p, training: t }: StoredModel<ChurnParameters, ChurnTraining>): ModelDescription {
  const { model, heuristic, oneMinusPAlive } = t.evaluation.scores;
  return {
    metrics: `AUC ${fixed(model.auc)} on ${t.evaluationAsOf} (heuristic ${fixed(heuristic.auc)})`,
    details: [
      `Trained on ${t.rows} rows of ${t.asOfDates.length} as-of dates (${t.asOfDates.join(', ')}), ` +
        `${t.converged ? 'converged' : 'not converged'} in ${t.iterations} iterations${p.usesPAlive ? ', P(alive) among the features' : ''}.`,
      `Evaluated on ${t.evaluationAsOf} (${t.evaluation.rows} rows, ${(t.evaluation.baseRate * 100).toFixed(1)}% churned): AUC ` +
        `${fixed(model.auc)} (heuristic ${fixed(heuristic.auc)}, 1 - P(alive) ${fixed(oneMinusPAlive?.auc ?? null)}), log loss ` +
        `${fixed(model.logLoss)}, precision ${fixed(model.precision)}, recall ${fixed(model.recall)}; ` +
        `${t.beatsBaselines ? 'beats' : 'does not beat'} both baselines.`,
      '',
      table([
        ['feature', 'standardized effect', 'coefficient', 'training mean', 'training std'],
        ['(intercept)', fixed(p.intercept), '', '', ''],
        ...p.coefficients.map((c) => [c.feature, fixed(c.standardizedCoefficient), c.coefficient.toPrecision(4), fixed(c.mean), fixed(c.std)]),
      ]),
      '',
      `Left out (no variation in training): ${p.droppedFeatures.join(', ') || 'none'}.`,
    ],
  };
}

/** The description of any stored version, by its model. */
export function describeModel(stored: StoredModel<unknown, unknown>): ModelDescription {
  switch (stored.model) {
    case 'clustering':
      return clustering(stored as StoredModel<ClusteringParameters, ClusterTraining>);
    case 'clv':
      return clv(stored as StoredModel<ClvParameters, ClvTraining>);
    case 'churn':
      return churn(stored as StoredModel<ChurnParameters, ChurnTraining>);
  }
}

/** Mean and population standard deviation (ddof = 0, as scikit-learn's StandardScaler) of one feature. */
export interface Scaling {
  mean: number;
  std: number;
}

export function scalingOf(values: Float64Array): Scaling {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = n > 0 ? Math.sqrt(squares / n) : 0;
  return { mean, std };
}

/** (x - mean) / std; a constant feature (std 0) becomes all zeros, as StandardScaler does. */
export function standardize(values: Float64Array, { mean, std }: Scaling): Float64Array {
  const scale = std === 0 ? 1 : std;
  return values.map((v) => (v - mean) / scale);
}

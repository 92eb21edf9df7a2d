import { minimizeBfgs, type Objective } from '../../analytics/bfgs';
import { choleskyFactor, choleskySolve } from '../../analytics/linearAlgebra';

/** The optimizer and the Cholesky solver behind the lifetime-value and churn models, on problems with known answers. */
const rosenbrock: Objective = ([x, y], gradient) => {
  gradient[0] = -2 * (1 - x!) - 400 * x! * (y! - x! * x!);
  gradient[1] = 200 * (y! - x! * x!);
  return (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2;
};

test('BFGS finds the minimum of the Rosenbrock valley from the usual start', () => {
  const result = minimizeBfgs(rosenbrock, Float64Array.from([-1.2, 1]));
  expect(result.converged).toBe(true);
  expect(result.x[0]).toBeCloseTo(1, 6);
  expect(result.x[1]).toBeCloseTo(1, 6);
  expect(result.iterations).toBeLessThan(100);
});

test('BFGS steps back from where the objective is not finite, and reports a non-finite start', () => {
  // 10x − ln x, least at 0.1: the first, unit step from x = 1 lands at −8, outside the domain.
  const barrier: Objective = ([x], gradient) => {
    gradient[0] = 10 - 1 / x!;
    return x! > 0 ? 10 * x! - Math.log(x!) : NaN;
  };
  const result = minimizeBfgs(barrier, Float64Array.from([1]));
  expect(result.converged).toBe(true);
  expect(result.x[0]).toBeCloseTo(0.1, 6);
  expect(minimizeBfgs(barrier, Float64Array.from([-1]))).toMatchObject({ converged: false, iterations: 0 });
});

test('BFGS stops at maxIterations with converged: false and the best point so far', () => {
  const result = minimizeBfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 3 });
  expect(result).toMatchObject({ converged: false, iterations: 3 });
  expect(result.value).toBeLessThan(rosenbrock(Float64Array.from([-1.2, 1]), new Float64Array(2)));
});

test('Cholesky solves a positive-definite system and refuses an indefinite one', () => {
  const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
  const lower = choleskyFactor(a, 3)!;
  const x = choleskySolve(lower, 3, Float64Array.from([1, 2, 3]));
  for (let i = 0; i < 3; i++) expect(a[i * 3]! * x[0]! + a[i * 3 + 1]! * x[1]! + a[i * 3 + 2]! * x[2]!).toBeCloseTo(i + 1, 12);
  expect(choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull();
});

/**
 * A dense row-major matrix of doubles: one row per customer, one column per feature. One Float64Array rather
 * than an array of arrays, so a million customers take 8 bytes a value and distance loops stay cache-friendly.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrixFromColumns(columns: Float64Array[]): Matrix {
  const cols = columns.length;
  const rows = cols === 0 ? 0 : columns[0]!.length;
  const data = new Float64Array(rows * cols);
  columns.forEach((column, c) => {
    for (let r = 0; r < rows; r++) data[r * cols + c] = column[r]!;
  });
  return { rows, cols, data };
}

export function matrixFromRows(rows: number[][]): Matrix {
  return matrixFromColumns(
    rows.length === 0 ? [] : rows[0]!.map((_, c) => Float64Array.from(rows, (row) => row[c]!)),
  );
}

/** The rows at `indices`, in that order. */
export function selectRows(matrix: Matrix, indices: Int32Array): Matrix {
  const { cols } = matrix;
  const data = new Float64Array(indices.length * cols);
  indices.forEach((row, i) => data.set(matrix.data.subarray(row * cols, row * cols + cols), i * cols));
  return { rows: indices.length, cols, data };
}

/** Squared Euclidean distance between row `row` of `a` and row `other` of `b` (same number of columns). */
export function squaredDistance(a: Float64Array, row: number, b: Float64Array, other: number, cols: number): number {
  let sum = 0;
  const offsetA = row * cols;
  const offsetB = other * cols;
  for (let c = 0; c < cols; c++) {
    const difference = a[offsetA + c]! - b[offsetB + c]!;
    sum += difference * difference;
  }
  return sum;
}

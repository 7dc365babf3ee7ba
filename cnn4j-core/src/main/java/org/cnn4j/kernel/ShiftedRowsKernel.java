package org.cnn4j.kernel;

/**
 * The two products of {@link DirectConv}, on a matrix B that is never stored: row q of B is the padded image p read
 * from {@code off[q]} on, so B[q, o] = p[off[q] + o]. Implementations: {@code VectorShiftedRows} (Vector API) and
 * {@link ScalarShiftedRows}; {@link DirectConv} chooses one and lays out the arrays with the slack described here.
 */
interface ShiftedRowsKernel {
    /** Rows of the output the caller must provide room for: m rounded up to this. */
    int rowTile();

    /** Columns of the output and of the image's slack the caller must provide: n rounded up to this. */
    int columnTile();

    /** The weights w (m x k, row-major) in the layout {@link #product} reads; valid until the next call. */
    float[] pack(int m, int k, float[] w);

    /** Floats of {@link #pack}'s result that hold the packed weights (to keep a copy). */
    int packedLength(int m, int k);

    /**
     * out[i * ldo + o] = sum over q &lt; k of w[i * k + q] * p[off[q] + o], for i &lt; m and o &lt; n, with w as
     * {@link #pack} returned it. May also write rows up to m rounded up to {@link #rowTile} and columns up to n
     * rounded up to {@link #columnTile} (ldo is at least that), and read p up to {@code off[q] + } that many columns.
     */
    void product(int m, int n, int k, float[] packed, float[] p, int[] off, float[] out, int ldo);

    /** Floats per vector: {@link #dots} is fastest when n is a multiple of this (the caller pads g with zeros). */
    int vectorLength();

    /** out[i * k + q] += sum over o &lt; n of g[i * ldg + o] * p[off[q] + o], for i &lt; m and q &lt; k. */
    void dots(int m, int k, int n, float[] g, int ldg, float[] p, int[] off, float[] out);

    /**
     * A row's columns split by parity, for stride 2's phases: x[src + 2 v] to p[even + v] and x[src + 2 v + 1] to
     * p[odd + v], for the n values from x[src]; nothing else of p is written.
     */
    void splitColumns(float[] x, int src, int n, float[] p, int even, int odd);
}

package org.cnn4j.kernel;

import java.util.Arrays;

/** {@link ShiftedRowsKernel} in plain Java, for JVMs without the Vector API: the loops of the definitions. */
final class ScalarShiftedRows implements ShiftedRowsKernel {
    @Override
    public int rowTile() {
        return 1;
    }

    @Override
    public int columnTile() {
        return 1;
    }

    @Override
    public int vectorLength() {
        return 1;
    }

    @Override
    public float[] pack(int m, int k, float[] w) {
        return w;
    }

    @Override
    public int packedLength(int m, int k) {
        return m * k;
    }

    @Override
    public void product(int m, int n, int k, float[] w, float[] p, int[] off, float[] out, int ldo) {
        for (int i = 0; i < m; i++) {
            int row = i * ldo;
            Arrays.fill(out, row, row + n, 0f);
            for (int q = 0; q < k; q++) {
                float a = w[i * k + q];
                int src = off[q];
                for (int o = 0; o < n; o++) {
                    out[row + o] += a * p[src + o];
                }
            }
        }
    }

    @Override
    public void dots(int m, int k, int n, float[] g, int ldg, float[] p, int[] off, float[] out) {
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < k; q++) {
                float s = 0f;
                int src = off[q];
                for (int o = 0; o < n; o++) {
                    s += g[i * ldg + o] * p[src + o];
                }
                out[i * k + q] += s;
            }
        }
    }

    @Override
    public void splitColumns(float[] x, int src, int n, float[] p, int even, int odd) {
        for (int v = 0; 2 * v < n; v++) {
            p[even + v] = x[src + 2 * v];
        }
        for (int v = 0; 2 * v + 1 < n; v++) {
            p[odd + v] = x[src + 2 * v + 1];
        }
    }
}

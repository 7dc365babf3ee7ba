package org.cnn4j.kernel;

/**
 * Working arrays kept per thread, so hot loops that need a temporary matrix (a convolution's im2col columns) do not
 * allocate one on every call. An array is the calling thread's own, grows to the largest size asked for and is
 * reused from then on; its contents are left over from earlier use. It stays valid until the same thread asks for
 * the same slot again, so it must not be kept beyond the piece of work that asked for it.
 */
public final class Scratch {
    /** Slots are small integers: each user of scratch space at the same time takes its own. */
    public static final int SLOTS = 4;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Scratch() {
    }

    /** This thread's array for {@code slot}, with room for at least {@code size} floats. */
    public static float[] floats(int slot, int size) {
        float[][] arrays = ARRAYS.get();
        float[] a = arrays[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            arrays[slot] = a;
        }
        return a;
    }
}

package dev.verydeep.trainer;

/** Deterministic seeds derived from (run seed, epoch, position), so no random state needs saving. */
final class Seeds {
    private Seeds() {
    }

    /** A well-mixed 64-bit value of three inputs (SplitMix64 finaliser). */
    static long mix(long seed, long epoch, long position) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + position * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates) for a seed. */
    static int[] permutation(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

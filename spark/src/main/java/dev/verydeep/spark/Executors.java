package dev.verydeep.spark;

import dev.verydeep.runtime.Device;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/** What a task learns about the executor it runs on: its cores and the GPU Spark's resource scheduling gave it. */
final class Executors {
    /** Spark's name of the GPU resource ({@code spark.task.resource.gpu.amount}). */
    static final String GPU = "gpu";

    private Executors() {
    }

    /**
     * Intra-op threads for the executor's one session: {@code requested} when set (non-zero), else the executor's cores
     * ({@code spark.executor.cores}; in local mode, this machine's processors).
     */
    static int threads(int requested) {
        if (requested > 0) {
            return requested;
        }
        SparkEnv env = SparkEnv.get();
        String cores = env == null ? null : env.conf().get("spark.executor.cores", null);
        return cores != null ? Integer.parseInt(cores.trim()) : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The device for this task: {@code requested} when it is the CPU; for CUDA, the first GPU address Spark assigned
     * to the task (from {@code TaskContext.resources()}), else the requested ordinal. Without a GPU the session falls back
     * to the CPU as in-process (logging the reason) or fails when strict.
     */
    static Device device(Device requested) {
        if (!requested.isCuda()) {
            return requested;
        }
        TaskContext tc = TaskContext.get();
        Map<String, ResourceInformation> res = tc == null ? Map.of() : scala.jdk.javaapi.CollectionConverters.asJava(tc.resources());
        ResourceInformation gpu = res.get(GPU);
        if (gpu == null || gpu.addresses().length == 0) {
            return requested;
        }
        return Device.cuda(Integer.parseInt(gpu.addresses()[0].trim()));
    }
}

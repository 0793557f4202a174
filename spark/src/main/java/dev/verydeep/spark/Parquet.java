package dev.verydeep.spark;

import dev.verydeep.cli.EvalCommand;
import dev.verydeep.runtime.eval.EvalReport;
import dev.verydeep.runtime.eval.Part;
import dev.verydeep.runtime.eval.PosteriorSet;
import dev.verydeep.transfer.store.DescriptorStore;
import dev.verydeep.transfer.store.ImageEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet copies of the results, one row per image, written from the files the rest of the suite reads
 * ({@code posteriors.bin}, the descriptor store), so the two can never disagree.
 */
final class Parquet {
    static final String POSTERIORS = "posteriors.parquet";
    static final String DESCRIPTORS = "descriptors.parquet";

    private static final StructType PER_SCALE = new StructType(new StructField[] {
        DataTypes.createStructField("model", DataTypes.StringType, false),
        DataTypes.createStructField("part", DataTypes.StringType, false),
        DataTypes.createStructField("scale", DataTypes.IntegerType, false),
        DataTypes.createStructField("posterior", DataTypes.createArrayType(DataTypes.FloatType, false), false)});

    /** image (index in the data set), id, label, predicted, posterior (fused: what results.json scores), scales, per_scale. */
    static final StructType POSTERIOR_ROW = new StructType(new StructField[] {
        DataTypes.createStructField("image", DataTypes.IntegerType, false),
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.IntegerType, false),
        DataTypes.createStructField("predicted", DataTypes.IntegerType, false),
        DataTypes.createStructField("posterior", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("scales", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField("per_scale", DataTypes.createArrayType(PER_SCALE, false), false)});

    /** image (row of the store), id, label (single-label data; null otherwise), truth, descriptor, scales, aggregate. */
    static final StructType DESCRIPTOR_ROW = new StructType(new StructField[] {
        DataTypes.createStructField("image", DataTypes.IntegerType, false),
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("label", DataTypes.IntegerType, true),
        DataTypes.createStructField("truth", DataTypes.createArrayType(DataTypes.IntegerType, false), true),
        DataTypes.createStructField("descriptor", DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField("scales", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        DataTypes.createStructField("aggregate", DataTypes.StringType, false)});

    private Parquet() {
    }

    /** {@code dir/posteriors.parquet} from {@code dir/posteriors.bin}. */
    static void posteriors(SparkSession spark, EvalCommand.Plan plan, Path dir) {
        PosteriorSet set = PosteriorSet.read(dir.resolve(PosteriorSet.FILE));
        Map<String, Integer> index = new HashMap<>();
        for (int i : plan.indices()) {
            index.put(plan.source().id(i), i);
        }
        float[] fused = EvalReport.headline(set);
        int k = set.classes();
        int[] labels = set.labels();
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < set.images(); r++) {
            List<Row> perScale = new ArrayList<>();
            for (int m = 0; m < set.models().size(); m++) {
                for (Part p : set.parts()) {
                    for (int q : set.scales()) {
                        perScale.add(RowFactory.create(set.models().get(m).label(), p.toString(), q, floats(set.raw(m, p, q), r * k, k)));
                    }
                }
            }
            rows.add(RowFactory.create(index.get(set.id(r)), set.id(r), labels[r], argmax(fused, r * k, k), floats(fused, r * k, k),
                    set.scales(), perScale));
        }
        write(spark, rows, POSTERIOR_ROW, dir.resolve(POSTERIORS));
    }

    /** {@code out/descriptors.parquet} from the complete store in {@code out}. */
    static void descriptors(SparkSession spark, Path out) {
        DescriptorStore.Descriptors d = DescriptorStore.read(out);
        int dim = d.matrix().cols();
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < d.images().size(); r++) {
            ImageEntry e = d.images().get(r);
            List<Integer> truth = e.truth() == null ? null : java.util.Arrays.stream(e.truth()).boxed().toList();
            rows.add(RowFactory.create(r, e.id(), e.label(), truth, floats(d.matrix().data(), r * dim, dim), d.settings().scales(),
                    d.settings().aggregate()));
        }
        write(spark, rows, DESCRIPTOR_ROW, out.resolve(DESCRIPTORS));
    }

    private static void write(SparkSession spark, List<Row> rows, StructType schema, Path to) {
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(to.toAbsolutePath().toUri().toString());
    }

    private static List<Float> floats(float[] v, int from, int n) {
        List<Float> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(v[from + i]);
        }
        return out;
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}

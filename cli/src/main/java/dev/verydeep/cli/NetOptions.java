package dev.verydeep.cli;

import dev.verydeep.core.net.Config;
import dev.verydeep.core.net.NetDescription;
import picocli.CommandLine.Option;

/** Flags that describe a net, shared by every verb that builds one. */
final class NetOptions {
    @Option(names = "--config", converter = ConfigConverter.class,
            description = "Config of Table 1: A, A-LRN, B, B-5x5 (the 'shallow' B), C, D, E.")
    Config config;

    @Option(names = "--width", defaultValue = "1", description = "Width multiplier for every layer (default: ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--fc-width", description = "Width of FC1 and FC2 (default: 4096 x width).")
    Integer fcWidth;

    @Option(names = "--classes", description = "Number of classes (default: 1000 for describe, the data set's for train).")
    Integer classes;

    @Option(names = "--crop", description = "Training crop size, a multiple of 32 (default: 224 for describe).")
    Integer crop;

    NetDescription description(int defaultClasses, int defaultCrop) {
        if (config == null) {
            throw new dev.verydeep.core.UserException("--config is required (A, A-LRN, B, B-5x5, C, D or E)");
        }
        NetDescription.Builder b = NetDescription.builder().setConfig(config).optWidth(width)
                .optClasses(classes != null ? classes : defaultClasses)
                .optCrop(crop != null ? crop : defaultCrop);
        if (fcWidth != null) {
            b.optFcWidth(fcWidth);
        }
        return b.build();
    }

    static final class ConfigConverter implements picocli.CommandLine.ITypeConverter<Config> {
        @Override
        public Config convert(String value) {
            try {
                return Config.parse(value);
            } catch (RuntimeException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

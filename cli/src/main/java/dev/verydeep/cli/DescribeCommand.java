package dev.verydeep.cli;

import dev.verydeep.core.net.NetDescription;
import dev.verydeep.core.net.NetTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code verydeep describe}: the layer table, parameters and multiply-adds of a net. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print the layer table of a net: output shapes, parameters and multiply-adds per layer, and totals.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    NetOptions net;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        NetDescription d = net.description(1000, 224);
        spec.commandLine().getOut().print(NetTable.render(d));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

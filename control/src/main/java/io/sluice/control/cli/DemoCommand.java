package io.sluice.control.cli;

import io.sluice.control.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code sluice demo [--ha]}: builds the lab, shows the forwarder balancing traffic (or failing over), and tears it down. */
@Command(name = "demo", description = "Run the forwarder in a throw-away lab of network namespaces and show it working.",
    mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Option(names = "--ha", description = "Two forwarders behind a BGP router (ECMP): stop one, kill the other, under load.")
    boolean ha;

    @Override
    public Integer call()
    {
        return Demo.run(common.json(), ha);
    }
}

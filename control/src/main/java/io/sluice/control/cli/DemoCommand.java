package io.sluice.control.cli;

import io.sluice.control.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code sluice demo}: builds the lab, shows the forwarder balancing traffic, and tears it down. */
@Command(name = "demo", description = "Run the forwarder in a throw-away lab of network namespaces and show it working.",
    mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Override
    public Integer call()
    {
        return Demo.run(common.json());
    }
}

package io.sluice.control.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The clock source and CPU frequency governor checks, and the CPU lists IRQ affinity is read in. */
class CpuChecksTest
{
    private static final String CLOCK = ClockSourceCheck.DIRECTORY;

    @TempDir
    Path root;

    @Test
    void clockSourcePassesForTscWarnsForHpetAndFailsForJiffies()
    {
        assertThat(new FakeHost(root).file(CLOCK + "current_clocksource", "tsc\n").run(new ClockSourceCheck()).verdict())
            .isEqualTo(Verdict.PASS);

        final Finding hpet = new FakeHost(root).file(CLOCK + "current_clocksource", "hpet\n")
            .file(CLOCK + "available_clocksource", "tsc hpet acpi_pm\n").run(new ClockSourceCheck());
        assertThat(hpet.verdict()).isEqualTo(Verdict.WARN);
        assertThat(hpet.fix()).isEqualTo("echo tsc > " + CLOCK + "current_clocksource");

        final Finding jiffies = new FakeHost(root).file(CLOCK + "current_clocksource", "jiffies\n")
            .file(CLOCK + "available_clocksource", "jiffies\n").run(new ClockSourceCheck());
        assertThat(jiffies.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(jiffies.fix()).startsWith("boot with tsc=reliable");
    }

    @Test
    void governorPassesForPerformanceOrNoScalingAndWarnsForPowersave()
    {
        final String cpus = CpuGovernorCheck.CPUS;
        assertThat(new FakeHost(root).file(cpus + "/cpu0/online", "1").run(new CpuGovernorCheck()).verdict())
            .isEqualTo(Verdict.PASS);
        assertThat(new FakeHost(root).file(cpus + "/cpu0/cpufreq/scaling_governor", "performance")
            .file(cpus + "/cpu1/cpufreq/scaling_governor", "performance").run(new CpuGovernorCheck()).detail())
            .isEqualTo("performance on all 2 CPUs");

        final Finding powersave = new FakeHost(root).file(cpus + "/cpu0/cpufreq/scaling_governor", "performance")
            .file(cpus + "/cpu1/cpufreq/scaling_governor", "powersave").file(cpus + "/cpufreq/boost", "1")
            .run(new CpuGovernorCheck());
        assertThat(powersave.verdict()).isEqualTo(Verdict.WARN);
        assertThat(powersave.detail()).isEqualTo("cpu1 powersave");
        assertThat(powersave.fix()).startsWith("cpupower frequency-set -g performance");
    }

    @Test
    void cpuListsReadAsTheKernelWritesThem()
    {
        assertThat(CpuList.parse("0-2,5\n")).isEqualTo(List.of(0, 1, 2, 5));
        assertThat(CpuList.parse("3")).isEqualTo(List.of(3));
        assertThatThrownBy(() -> CpuList.parse("3-1")).hasMessageContaining("not a CPU list");
        assertThatThrownBy(() -> CpuList.parse("a")).hasMessageContaining("not a CPU list");
    }
}

package io.sluice.control.doctor;

/**
 * What one check found: its verdict, what it saw, and (unless it passed) the command that fixes it.
 *
 * @param check  the check's short name, e.g. {@code bpf-jit}.
 * @param detail what the check saw, in words.
 * @param fix    the exact command (or step) that fixes it; empty for a PASS.
 */
public record Finding(Verdict verdict, String check, String detail, String fix)
{
    public static Finding pass(final String check, final String detail)
    {
        return new Finding(Verdict.PASS, check, detail, "");
    }

    public static Finding warn(final String check, final String detail, final String fix)
    {
        return new Finding(Verdict.WARN, check, detail, fix);
    }

    public static Finding fail(final String check, final String detail, final String fix)
    {
        return new Finding(Verdict.FAIL, check, detail, fix);
    }

    /** @return {@code VERDICT  check  detail — fix}, the check's name padded to {@code checkWidth}. */
    public String line(final int checkWidth)
    {
        final String head = String.format("%-4s  %-" + checkWidth + "s  %s", verdict, check, detail);
        return fix.isEmpty() ? head : head + " — " + fix;
    }
}

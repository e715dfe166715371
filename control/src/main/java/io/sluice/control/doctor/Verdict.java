package io.sluice.control.doctor;

/** How a check came out: only a FAIL makes {@code sluice doctor} exit non-zero. */
public enum Verdict
{
    PASS,
    WARN,
    FAIL
}

package io.sluice.control.doctor;

import io.sluice.control.json.Json;

import java.util.List;

/** The findings of one doctor run, as lines or one JSON document; it failed when any finding is a FAIL. */
public record DoctorReport(List<Finding> findings)
{
    public boolean failed()
    {
        return count(Verdict.FAIL) > 0;
    }

    public long count(final Verdict verdict)
    {
        return findings.stream().filter((finding) -> finding.verdict() == verdict).count();
    }

    /** @return a line per finding ({@code VERDICT  check  detail — fix}), then the counts. */
    public String text()
    {
        final int width = findings.stream().mapToInt((finding) -> finding.check().length()).max().orElse(0);
        final StringBuilder text = new StringBuilder();
        for (final Finding finding : findings)
        {
            text.append(finding.line(width)).append('\n');
        }
        return text.append(count(Verdict.PASS)).append(" passed, ").append(count(Verdict.WARN)).append(" warned, ")
            .append(count(Verdict.FAIL)).append(" failed\n").toString();
    }

    /** @return {@code {"ok":..., "checks":[{"verdict","check","detail","fix"}...]}}. */
    public String json()
    {
        return Json.write((json) ->
        {
            json.writeStartObject();
            json.writeBooleanField("ok", !failed());
            json.writeArrayFieldStart("checks");
            for (final Finding finding : findings)
            {
                json.writeStartObject();
                json.writeStringField("verdict", finding.verdict().name());
                json.writeStringField("check", finding.check());
                json.writeStringField("detail", finding.detail());
                json.writeStringField("fix", finding.fix());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}

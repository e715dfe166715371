package io.sluice.bench.chart;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A result file read whole (maps, lists, strings, doubles), and the questions the charts ask of
 * it: an object's list, text and number (NaN when absent), the distinct values of a field in
 * order of appearance, and one series per name over categories.
 */
record ResultTree(Map<?, ?> fields)
{
    static List<Map<?, ?>> objects(final Object list)
    {
        final List<Map<?, ?>> objects = new ArrayList<>();
        if (list instanceof List<?> items)
        {
            items.stream().filter(Map.class::isInstance).forEach(item -> objects.add((Map<?, ?>)item));
        }
        return objects;
    }

    List<Map<?, ?>> list(final String name)
    {
        return objects(fields.get(name));
    }

    Map<?, ?> object(final String name)
    {
        return fields.get(name) instanceof Map<?, ?> map ? map : Map.of();
    }

    static String text(final Map<?, ?> object, final String name)
    {
        final Object value = object.get(name);
        return value == null ? ""
            : value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : value.toString();
    }

    static double number(final Map<?, ?> object, final String name)
    {
        return object.get(name) instanceof Double d ? d : Double.NaN;
    }

    /** The distinct values of a field over objects, in the order they first appear. */
    static List<String> distinct(final List<Map<?, ?>> objects, final Function<Map<?, ?>, String> field)
    {
        return List.copyOf(new LinkedHashSet<>(objects.stream().map(field).toList()));
    }

    /**
     * One bar series per name (series field) over the categories (category field), each value
     * the value field of the first object with that name and category, NaN where none has one.
     */
    static List<BarChart.Series> series(final List<Map<?, ?>> objects, final Function<Map<?, ?>, String> name,
        final Function<Map<?, ?>, String> category, final List<String> categories, final Function<Map<?, ?>, Double> value)
    {
        final List<BarChart.Series> series = new ArrayList<>();
        for (final String n : distinct(objects, name))
        {
            final List<Double> values = new ArrayList<>();
            for (final String c : categories)
            {
                values.add(objects.stream().filter(o -> name.apply(o).equals(n) && category.apply(o).equals(c)).map(value)
                    .findFirst().orElse(Double.NaN));
            }
            series.add(new BarChart.Series(n, values));
        }
        return series;
    }
}

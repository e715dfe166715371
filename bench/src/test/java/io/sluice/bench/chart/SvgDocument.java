package io.sluice.bench.chart;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

/** An SVG the charts wrote, parsed as XML (which fails on anything not well-formed), and the questions the tests ask of it. */
record SvgDocument(Document document)
{
    static SvgDocument parse(final String svg)
    {
        try
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return new SvgDocument(factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg))));
        }
        catch (final Exception ex)
        {
            throw new AssertionError("not well-formed XML: " + ex.getMessage(), ex);
        }
    }

    /** The elements of a name with the class given. */
    List<Element> elements(final String name, final String cssClass)
    {
        final NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", name);
        final List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            final Element element = (Element)nodes.item(i);
            if (cssClass == null || cssClass.equals(element.getAttribute("class")))
            {
                elements.add(element);
            }
        }
        return elements;
    }

    /** Every text element's content. */
    List<String> texts()
    {
        return elements("text", null).stream().map(Element::getTextContent).toList();
    }

    static double number(final Element element, final String attribute)
    {
        return Double.parseDouble(element.getAttribute(attribute));
    }
}

"""GeoReport v2's two formats: JSON, and XML with the spec's element names.

Views return the JSON shape (a list of objects, or one object); the XML renderer names the
root and the items after the view (`xml_root`, `xml_item`), names the items of nested lists
after their list (attributes/attribute, values/value, ...), writes booleans as true/false
and drops the control characters XML 1.0 cannot carry.
"""

import re

from rest_framework.renderers import JSONRenderer
from rest_framework_xml.renderers import XMLRenderer

# The items of a nested list are named after it.
NESTED_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# XML 1.0 allows tab, line feed and carriage return, and no other C0 control character.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311JSONRenderer(JSONRenderer):
    charset = "utf-8"
    ensure_ascii = False


class Open311XMLRenderer(XMLRenderer):
    media_type = "text/xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            root, item = "errors", "error"
        else:
            root = getattr(view, "xml_root", "root")
            item = getattr(view, "xml_item", "item")
        self.root_tag_name, self.item_tag_name = root, item
        return super().render(data, accepted_media_type, renderer_context)

    def _to_xml(self, xml, data, item_tag: str | None = None):
        if isinstance(data, list | tuple):
            tag = item_tag or self.item_tag_name
            for item in data:
                xml.startElement(tag, {})
                self._to_xml(xml, item)
                xml.endElement(tag)
        elif isinstance(data, dict):
            for key, value in data.items():
                xml.startElement(key, {})
                self._to_xml(xml, value, NESTED_ITEMS.get(key))
                xml.endElement(key)
        elif isinstance(data, bool):
            xml.characters("true" if data else "false")
        elif data is not None:
            xml.characters(_NOT_IN_XML.sub("", str(data)))

"""The Word template every record is built from: page setup and named styles, made by code.

The record sets no fonts, sizes or colours by hand; it names these styles, so a local authority
can restyle its records by editing one template. The committed ``resources/record-template.docx``
is this module's output (``python -m s47desk.record.template`` rewrites it; a test compares).
The package starts from python-docx's default template with everything of its own replaced and
its leftovers (custom XML, thumbnail, Word 2010 style copy) removed, so the record carries
nothing that is neither ours nor signed.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Twips

from s47desk.atomic import atomic_write_bytes

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "resources" / "record-template.docx"

# A4, 2 cm side margins: the text is 9638 twips (17 cm) wide.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_EDGE = 1134, 1304, 1247, 567
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE


class S:
    """The style names the record uses (the names Word shows)."""

    TITLE = "Title"
    SUBTITLE = "Subtitle"
    H1 = "Heading 1"
    H2 = "Heading 2"
    H3 = "Heading 3"
    BODY = "Normal"
    BULLET = "List Bullet"
    HEADER = "Header"
    FOOTER = "Footer"
    MARKING = "Protective Marking"
    QUESTION = "Record Question"
    NOTE = "Record Note"
    NOTICE = "Record Notice"
    CONFIDENTIAL = "Confidentiality Statement"
    TABLE_TEXT = "Table Text"
    TABLE_HEADING = "Table Heading"
    LABEL = "Field Label"
    FLAG_WITHHELD = "Withheld Flag"
    FLAG_SHAREABLE = "Shareable Flag"
    FINGERPRINT = "Fingerprint"
    GRID = "Record Grid"
    DETAILS = "Record Details"


REQUIRED_STYLES = tuple(v for k, v in vars(S).items() if k.isupper())

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAVY, _GREY, _RED, _GREEN, _RULE = "1F3864", "595959", "A50021", "2E5E1E", "8EA3C2"
_FONT = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'


def _para(
    style_id: str,
    name: str,
    *,
    based_on: str = "Normal",
    next_style: str = "",
    ppr: str = "",
    rpr: str = "",
    primary: bool = True,
) -> str:
    nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
    q = "<w:qFormat/>" if primary else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="{int(style_id not in _BUILTIN)}" '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/>'
        f"{nxt}{q}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _char(style_id: str, name: str, rpr: str) -> str:
    return (
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
        f"<w:rPr>{rpr}</w:rPr></w:style>"
    )


def _table(style_id: str, name: str, conditional: str) -> str:
    border = f'w:val="single" w:sz="4" w:space="0" w:color="{_RULE}"'
    return (
        f'<w:style w:type="table" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
        f"<w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>"
        f"<w:insideH {border}/><w:insideV {border}/></w:tblBorders>"
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr>{conditional}</w:style>"
    )


def _shaded(kind: str, fill: str) -> str:
    return (
        f'<w:tblStylePr w:type="{kind}"><w:rPr><w:b/><w:bCs/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr></w:tblStylePr>'
    )


_BUILTIN = {"Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3"}
_BUILTIN |= {"ListBullet", "Header", "Footer"}
_KEEP = "<w:keepNext/><w:keepLines/>"
_TABS = (
    f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
    f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
)
_BOX = "".join(
    f'<w:{side} w:val="single" w:sz="6" w:space="4" w:color="{{c}}"/>'
    for side in ("top", "left", "bottom", "right")
)

STYLES_XML = f"""<w:styles xmlns:w="{_W}">
<w:docDefaults>
<w:rPrDefault><w:rPr>{_FONT}<w:sz w:val="20"/><w:szCs w:val="20"/>
<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
<w:pPr><w:widowControl/></w:pPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>
<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>
<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>
<w:semiHidden/></w:style>
{
    _para(
        "Title",
        "Title",
        next_style="Subtitle",
        ppr='<w:spacing w:before="120" w:after="40" w:line="240" w:lineRule="auto"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{_NAVY}"/><w:sz w:val="38"/><w:szCs w:val="38"/>',
    )
}
{
    _para(
        "Subtitle",
        "Subtitle",
        ppr=f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="6" w:color="{_NAVY}"/></w:pBdr>'
        '<w:spacing w:after="240"/>',
        rpr=f'<w:color w:val="{_GREY}"/><w:sz w:val="22"/><w:szCs w:val="22"/>',
    )
}
{
    _para(
        "Heading1",
        "heading 1",
        next_style="Normal",
        ppr=f'{_KEEP}<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="2" w:color="{_RULE}"/>'
        '</w:pBdr><w:spacing w:before="300" w:after="120"/><w:outlineLvl w:val="0"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{_NAVY}"/><w:sz w:val="26"/><w:szCs w:val="26"/>',
    )
}
{
    _para(
        "Heading2",
        "heading 2",
        next_style="Normal",
        ppr=f'{_KEEP}<w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="1"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{_NAVY}"/><w:sz w:val="22"/><w:szCs w:val="22"/>',
    )
}
{
    _para(
        "Heading3",
        "heading 3",
        next_style="Normal",
        ppr=f'{_KEEP}<w:spacing w:before="160" w:after="40"/><w:outlineLvl w:val="2"/>',
        rpr='<w:b/><w:bCs/><w:color w:val="262626"/>',
    )
}
{
    _para(
        "ListBullet",
        "List Bullet",
        ppr='<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="40"/>'
        '<w:ind w:left="360" w:hanging="360"/>',
    )
}
{
    _para(
        "Header",
        "header",
        primary=False,
        ppr=f'{_TABS}<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        rpr=f'<w:color w:val="{_GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
}
{
    _para(
        "Footer",
        "footer",
        primary=False,
        ppr=f'{_TABS}<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        rpr=f'<w:color w:val="{_GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
}
{
    _para(
        "ProtectiveMarking",
        S.MARKING,
        based_on="Header",
        ppr='<w:jc w:val="center"/><w:spacing w:after="60"/>',
        rpr='<w:b/><w:bCs/><w:caps/><w:color w:val="000000"/>'
        '<w:sz w:val="20"/><w:szCs w:val="20"/>',
    )
}
{
    _para(
        "RecordQuestion",
        S.QUESTION,
        ppr='<w:keepNext/><w:spacing w:after="60"/>',
        rpr=f'<w:i/><w:iCs/><w:color w:val="{_GREY}"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
}
{
    _para(
        "RecordNote",
        S.NOTE,
        ppr='<w:spacing w:after="80"/>',
        rpr=f'<w:i/><w:iCs/><w:color w:val="{_GREY}"/><w:sz w:val="17"/><w:szCs w:val="17"/>',
    )
}
{
    _para(
        "RecordNotice",
        S.NOTICE,
        ppr=f"<w:pBdr>{_BOX.format(c=_RED)}</w:pBdr>"
        '<w:shd w:val="clear" w:color="auto" w:fill="FBEFF1"/>'
        '<w:spacing w:before="120" w:after="200"/><w:ind w:left="85" w:right="85"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{_RED}"/>',
    )
}
{
    _para(
        "ConfidentialityStatement",
        S.CONFIDENTIAL,
        ppr=f"<w:pBdr>{_BOX.format(c=_RULE)}</w:pBdr>"
        '<w:shd w:val="clear" w:color="auto" w:fill="EEF2F8"/>'
        '<w:spacing w:before="60" w:after="120"/><w:ind w:left="85" w:right="85"/>',
        rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
}
{
    _para(
        "TableText",
        S.TABLE_TEXT,
        ppr='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
        rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
}
{
    _para(
        "TableHeading",
        S.TABLE_HEADING,
        based_on="TableText",
        ppr="<w:keepNext/>",
        rpr=f'<w:b/><w:bCs/><w:color w:val="{_NAVY}"/>',
    )
}
{_char("FieldLabel", S.LABEL, "<w:b/><w:bCs/>")}
{_char("WithheldFlag", S.FLAG_WITHHELD, f'<w:b/><w:bCs/><w:color w:val="{_RED}"/>')}
{_char("ShareableFlag", S.FLAG_SHAREABLE, f'<w:b/><w:bCs/><w:color w:val="{_GREEN}"/>')}
{
    _char(
        "Fingerprint",
        S.FINGERPRINT,
        '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>'
        '<w:sz w:val="16"/><w:szCs w:val="16"/>',
    )
}
{_table("RecordGrid", S.GRID, _shaded("firstRow", "DCE4F0"))}
{_table("RecordDetails", S.DETAILS, _shaded("firstCol", "EEF2F8"))}
</w:styles>"""

NUMBERING_XML = f"""<w:numbering xmlns:w="{_W}">
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>
<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""

SETTINGS_XML = f"""<w:settings xmlns:w="{_W}">
<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
<w:themeFontLang w:val="en-GB"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>
</w:settings>"""

APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>s47desk</Application><DocSecurity>0</DocSecurity></Properties>"
)

# Relationships of python-docx's default template that a record must not carry.
_DROPPED_RELS = (
    RT.CUSTOM_XML,
    RT.THUMBNAIL,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)


def _replace_xml(part: Any, xml: str) -> None:
    part._element = parse_xml(xml)  # python-docx has no public setter for a part's root


def build_template() -> bytes:
    """The record template as .docx bytes (deterministic apart from zip timestamps)."""
    document = docx.Document()
    main = document.part
    _replace_xml(main.part_related_by(RT.STYLES), STYLES_XML)
    _replace_xml(main.part_related_by(RT.NUMBERING), NUMBERING_XML)
    _replace_xml(main.part_related_by(RT.SETTINGS), SETTINGS_XML)
    package = main.package
    for rels in (main.rels, package.rels):
        for r_id in [r_id for r_id, rel in rels.items() if rel.reltype in _DROPPED_RELS]:
            del rels[r_id]
    package.rels.part_with_reltype(RT.EXTENDED_PROPERTIES)._blob = APP_XML
    props = document.core_properties
    props.author = props.comments = props.last_modified_by = props.title = ""
    props.revision = 1
    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.left_margin = section.right_margin = Twips(MARGIN_SIDE)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.header_distance = section.footer_distance = Twips(MARGIN_EDGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def load_template() -> docx.document.Document:
    """A new document from the committed template, or from the builder when it is missing."""
    if TEMPLATE_PATH.is_file():
        return docx.Document(str(TEMPLATE_PATH))
    return docx.Document(io.BytesIO(build_template()))


def main() -> int:
    """Rewrite resources/record-template.docx from this module."""
    atomic_write_bytes(TEMPLATE_PATH, build_template(), mode=0o644)
    print(f"Wrote {TEMPLATE_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

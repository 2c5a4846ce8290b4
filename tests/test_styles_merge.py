"""A workbook's styles.xml keeps its bytes; what a fresh sheet needs is appended, counts fixed."""

from regcert_xl.workbook.styles_merge import merge_styles

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
OLD = (b"<styleSheet " + MAIN + b"><fonts count='1' x14ac:knownFonts='1' xmlns:x14ac='urn:x'><font><sz val='11'/></font>"
       b"</fonts><fills count='1'><fill/></fills><borders count='1'><border/></borders>"
       b"<cellXfs count='1'><xf numFmtId='0' fontId='0' xfId='0'/></cellXfs><dxfs count='0'/></styleSheet>")
FRESH = (b"<styleSheet " + MAIN + b'><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
         b'<fonts count="2"><font><sz val="11"/></font><font><b/><sz val="11"/></font></fonts>'
         b'<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
         b'<cellXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="164" fontId="1"/></cellXfs>'
         b'<dxfs count="1"><dxf><font><b/></font></dxf></dxfs></styleSheet>')


def test_only_what_is_missing_is_appended_and_the_rest_kept_byte_for_byte():
    merged, mapping = merge_styles(OLD, FRESH)
    assert mapping.xf == {0: 0, 1: 1} and mapping.dxf == {0: 0}
    assert merged == (
        b"<styleSheet " + MAIN + b'><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        b"<fonts count=\"2\" x14ac:knownFonts='1' xmlns:x14ac='urn:x'><font><sz val='11'/></font>"
        b'<font><b/><sz val="11"/></font></fonts><fills count=\'1\'><fill/></fills><borders count=\'1\'><border/></borders>'
        b'<cellXfs count="2"><xf numFmtId=\'0\' fontId=\'0\' xfId=\'0\'/><xf numFmtId="164" fontId="1" xfId="0"/></cellXfs>'
        b'<dxfs count="1"><dxf><font><b/></font></dxf></dxfs></styleSheet>')

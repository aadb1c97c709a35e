//! Plain text: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or
//! GB18030 (a superset of GBK and GB2312), as Chinese documents often are.

use super::{DocumentError, Extracted, Kind, paragraphs};

/// The text of `bytes`, when they decode cleanly in one of the encodings read; control
/// characters other than white space make them binary, not text.
pub(super) fn decode(bytes: &[u8]) -> Option<String> {
    let decoded = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        (!had_errors).then(|| text.into_owned())?
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_owned()
    } else {
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
        (!had_errors).then(|| text.into_owned())?
    };
    let binary = decoded
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
    (!binary).then_some(decoded)
}

pub(super) fn extract(bytes: &[u8]) -> Result<Extracted, DocumentError> {
    let text = decode(bytes)
        .ok_or_else(|| DocumentError::Damaged(Kind::Text, "the text does not decode".into()))?;
    Ok(Extracted {
        kind: Kind::Text,
        pages: 1,
        blocks: paragraphs(&text, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_utf16_and_gb18030_decode() {
        let text = "甲方：国际联合建设集团\nParty A";
        assert_eq!(decode(text.as_bytes()).as_deref(), Some(text));
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).as_deref(), Some(text));
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert!(std::str::from_utf8(&gb).is_err());
        assert_eq!(decode(&gb).as_deref(), Some(text));
        assert_eq!(decode(&[0x00, 0x01, 0x02, 0x03]), None);
    }
}

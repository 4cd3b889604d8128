//! Which text encoding a ward file is in, and reading it as UTF-8 (interim: BOM and UTF-8 only; the
//! legacy Vietnamese code pages are being added).

use std::io::Read;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
}

impl SourceEncoding {
    pub fn label_vi(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "UTF-8",
            SourceEncoding::Utf8Bom => "UTF-8 (có BOM)",
            SourceEncoding::Utf16Le => "UTF-16 LE (có BOM)",
            SourceEncoding::Utf16Be => "UTF-16 BE (có BOM)",
            SourceEncoding::Windows1258 => "Windows-1258",
            SourceEncoding::Tcvn3 => "TCVN3 (ABC)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EncodingRefusal(pub String);

pub fn detect(sample: &[u8]) -> Result<SourceEncoding, EncodingRefusal> {
    if sample.starts_with(b"\xEF\xBB\xBF") {
        return Ok(SourceEncoding::Utf8Bom);
    }
    if sample.starts_with(b"\xFF\xFE") {
        return Ok(SourceEncoding::Utf16Le);
    }
    if sample.starts_with(b"\xFE\xFF") {
        return Ok(SourceEncoding::Utf16Be);
    }
    match std::str::from_utf8(sample) {
        Ok(_) => Ok(SourceEncoding::Utf8),
        Err(e) if e.error_len().is_none() => Ok(SourceEncoding::Utf8),
        Err(_) => Err(EncodingRefusal("không nhận ra bảng mã".into())),
    }
}

pub fn utf8_reader<R: Read + Send + 'static>(
    inner: R,
    enc: SourceEncoding,
) -> Box<dyn Read + Send> {
    let encoding = match enc {
        SourceEncoding::Windows1258 => Some(encoding_rs::WINDOWS_1258),
        _ => None,
    };
    Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(encoding)
            .build(inner),
    )
}

//! Which text encoding a ward file is in, and reading it as UTF-8 (NFC is applied later, per cell).
//!
//! Detection looks at a sample of the file's first bytes: a byte-order mark first, then whether the
//! sample is valid UTF-8, and otherwise which legacy 8-bit Vietnamese encoding makes the text read
//! as Vietnamese. For the 8-bit case the sample is decoded three ways (Windows-1258, TCVN3, and
//! VNI-Windows, which is only recognised in order to refuse it) and each decode is scored by how
//! many of its words that carry Vietnamese letters are well-formed Vietnamese syllables (a known
//! initial consonant, a known vowel group, a known final consonant, at most one tone mark, and a
//! stop-final syllable only with the sắc or nặng tone), against how many characters a wrong decode
//! typically produces (symbols such as `¸ ¹ ¶ µ`, C1 controls, Latin letters that Vietnamese does not
//! use, stray combining marks). A decode that is convincingly Vietnamese and clearly better than
//! the others wins; otherwise the file is refused with a message saying what to do.

use std::io::{self, Read};

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1258};
use encoding_rs_io::DecodeReaderBytesBuilder;
use unicode_normalization::UnicodeNormalization;

/// The encodings a ward file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
    /// Not a text encoding: an Excel workbook read cell by cell (the report names the sheet).
    Xlsx,
    Xls,
}

impl SourceEncoding {
    /// A Vietnamese description for reports, e.g. "UTF-8 (có BOM)", "UTF-16 LE (có BOM)", "Windows-1258", "TCVN3 (ABC)".
    pub fn label_vi(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "UTF-8 (không có BOM)",
            SourceEncoding::Utf8Bom => "UTF-8 (có BOM)",
            SourceEncoding::Utf16Le => "UTF-16 LE (có BOM)",
            SourceEncoding::Utf16Be => "UTF-16 BE (có BOM)",
            SourceEncoding::Windows1258 => "Windows-1258",
            SourceEncoding::Tcvn3 => "TCVN3 (ABC)",
            SourceEncoding::Xlsx => "bảng tính Excel (.xlsx)",
            SourceEncoding::Xls => "bảng tính Excel đời cũ (.xls)",
        }
    }
}

/// Why a file's encoding was refused: the message names the encoding when it is recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EncodingRefusal(pub String);

const SAVE_AS_UTF8: &str = "Hãy mở tệp trong Excel và lưu lại dạng 'CSV UTF-8'.";

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Names the encoding from the first bytes of the file (a sample of up to 64 KiB; it may cut a multi-byte
/// character at its end — tolerate that). BOM first; then valid UTF-8; otherwise decide between
/// Windows-1258, TCVN3 and refusal by how Vietnamese the decoded text looks.
pub fn detect(sample: &[u8]) -> Result<SourceEncoding, EncodingRefusal> {
    if sample.starts_with(UTF8_BOM) {
        return Ok(SourceEncoding::Utf8Bom);
    }
    if sample.starts_with(b"\xFF\xFE\x00\x00") || sample.starts_with(b"\x00\x00\xFE\xFF") {
        return Err(EncodingRefusal(format!(
            "Tệp dùng bảng mã UTF-32, chưa hỗ trợ. {SAVE_AS_UTF8}"
        )));
    }
    if sample.starts_with(b"\xFF\xFE") {
        return Ok(SourceEncoding::Utf16Le);
    }
    if sample.starts_with(b"\xFE\xFF") {
        return Ok(SourceEncoding::Utf16Be);
    }
    if let Some(refusal) = refuse_non_text(sample) {
        return Err(refusal);
    }
    if is_utf8_allowing_cut_end(sample) {
        return Ok(SourceEncoding::Utf8);
    }
    decide_eight_bit(sample)
}

/// A streaming reader that yields UTF-8 text of the whole file (BOM removed), in constant memory.
/// For Utf8/Utf8Bom: bytes that are not valid UTF-8 later in the file make `read` return an
/// `io::Error` (kind InvalidData) whose message is Vietnamese and says the file is not consistently UTF-8
/// (with the byte offset). Windows-1258 and UTF-16 go through encoding_rs (via encoding_rs_io); TCVN3
/// through this module's own byte → char table.
pub fn utf8_reader<R: Read + Send + 'static>(
    inner: R,
    enc: SourceEncoding,
) -> Box<dyn Read + Send> {
    let decoded = |inner: R, encoding, strip_bom| -> Box<dyn Read + Send> {
        Box::new(LargeReads(io::BufReader::with_capacity(
            8 * 1024,
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .strip_bom(strip_bom)
                .build(inner),
        )))
    };
    match enc {
        SourceEncoding::Utf8 | SourceEncoding::Utf8Bom => Box::new(Utf8Checked::new(inner)),
        SourceEncoding::Utf16Le => decoded(inner, UTF_16LE, true),
        SourceEncoding::Utf16Be => decoded(inner, UTF_16BE, true),
        SourceEncoding::Windows1258 => decoded(inner, WINDOWS_1258, false),
        SourceEncoding::Tcvn3 => Box::new(Tcvn3Reader::new(inner)),
        // A workbook is never decoded as text (the importer reads it through `workbook`); as bytes it is
        // refused by the UTF-8 check like any other binary file.
        SourceEncoding::Xlsx | SourceEncoding::Xls => Box::new(Utf8Checked::new(inner)),
    }
}

/// encoding_rs_io, handed a buffer of under 4 bytes at the end of a file whose last character is cut (an
/// odd byte of UTF-16), gives out only the first bytes of its U+FFFD: not UTF-8. The buffer in front hands
/// it large reads only (a caller's large read goes straight through). Only `read` is passed on: the
/// BufReader's own `read_to_end` would hand the decoder the caller's small buffers again.
struct LargeReads<R>(io::BufReader<R>);

impl<R: Read> Read for LargeReads<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

// ---------------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------------

/// Excel workbooks and other binary files handed in instead of a CSV, and UTF-16 without a BOM.
fn refuse_non_text(sample: &[u8]) -> Option<EncodingRefusal> {
    if sample.starts_with(b"PK\x03\x04") {
        return Some(EncodingRefusal(format!(
            "Tệp là bảng tính Excel (.xlsx) hoặc tệp nén, không phải tệp CSV. {SAVE_AS_UTF8}"
        )));
    }
    if sample.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(EncodingRefusal(format!(
            "Tệp là bảng tính Excel đời cũ (.xls), không phải tệp CSV. {SAVE_AS_UTF8}"
        )));
    }
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls > 0 && nuls * 10 >= sample.len() {
        return Some(EncodingRefusal(format!(
            "Tệp có nhiều byte NUL nên không phải văn bản CSV thông thường (có thể là UTF-16 \
             không có BOM, hoặc tệp nhị phân). {SAVE_AS_UTF8}"
        )));
    }
    None
}

/// Valid UTF-8, except that the sample may end in the middle of a multi-byte character.
fn is_utf8_allowing_cut_end(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        // `error_len() == None` means "incomplete sequence at the end of the input".
        Err(e) => e.error_len().is_none(),
    }
}

/// A decode is "convincing" from this share of good units on.
const CONVINCING: f64 = 0.8;
/// How much better than the runner-up the chosen decode must be.
const MARGIN: f64 = 0.2;

fn decide_eight_bit(sample: &[u8]) -> Result<SourceEncoding, EncodingRefusal> {
    let w1258 = score_text(&decode_windows_1258(sample));
    let tcvn3 = score_text(&decode_tcvn3_strict(sample));
    let vni = score_text(&decode_vni(sample));

    let best_supported = if w1258.ratio() >= tcvn3.ratio() {
        w1258
    } else {
        tcvn3
    };
    if vni.is_convincing() && vni.good >= 3 && vni.ratio() >= best_supported.ratio() + MARGIN {
        return Err(EncodingRefusal(
            "Tệp dùng bảng mã VNI-Windows, chưa hỗ trợ; hãy lưu lại dạng 'CSV UTF-8' sau khi \
             chuyển mã chữ sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey: VNI Windows → \
             Unicode), rồi nhập lại."
                .to_string(),
        ));
    }

    if w1258.good == 0 && w1258.bad == 0 {
        // Every non-ASCII byte is a symbol Windows-1258 text carries harmlessly (no-break space,
        // ₫, –, “ ”) and there is not one accented letter: nothing contradicts the ANSI code page
        // of a Vietnamese-locale Windows. (TCVN3 would read 0xFE "₫" as "ỵ", a one-letter word
        // that must not outweigh this.)
        return Ok(SourceEncoding::Windows1258);
    }
    if w1258.is_convincing() && w1258.ratio() >= tcvn3.ratio() + MARGIN {
        return Ok(SourceEncoding::Windows1258);
    }
    if tcvn3.is_convincing() && tcvn3.ratio() >= w1258.ratio() + MARGIN {
        return Ok(SourceEncoding::Tcvn3);
    }
    if w1258.is_convincing() && tcvn3.is_convincing() {
        return Err(EncodingRefusal(format!(
            "Không phân biệt được tệp dùng bảng mã Windows-1258 hay TCVN3 (quá ít chữ có dấu \
             để nhận ra). {SAVE_AS_UTF8}"
        )));
    }
    Err(EncodingRefusal(format!(
        "Không nhận ra bảng mã của tệp (không phải UTF-8, UTF-16, Windows-1258 hay TCVN3). \
         {SAVE_AS_UTF8}"
    )))
}

fn decode_windows_1258(sample: &[u8]) -> String {
    WINDOWS_1258
        .decode_without_bom_handling(sample)
        .0
        .into_owned()
}

/// TCVN3 for scoring: bytes that VN3 leaves unassigned become U+FFFD, which counts against it.
fn decode_tcvn3_strict(sample: &[u8]) -> String {
    sample
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b)
            } else {
                tcvn3_char(b).unwrap_or('\u{FFFD}')
            }
        })
        .collect()
}

/// How Vietnamese a decoded text looks: `good` counts well-formed Vietnamese syllables that carry
/// non-ASCII letters; `bad` counts malformed such words and characters a wrong decode produces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Score {
    good: u32,
    bad: u32,
}

impl Score {
    fn ratio(self) -> f64 {
        let total = self.good + self.bad;
        if total == 0 {
            0.0
        } else {
            f64::from(self.good) / f64::from(total)
        }
    }

    fn is_convincing(self) -> bool {
        self.good >= 1 && self.ratio() >= CONVINCING
    }
}

fn score_text(text: &str) -> Score {
    let mut score = Score::default();
    let mut word = String::new();
    for c in text.nfc().chain(std::iter::once(' ')) {
        if c.is_alphabetic() || is_combining_mark(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            judge_word(&word, &mut score);
            word.clear();
        }
        if !c.is_ascii() && !is_harmless_symbol(c) {
            score.bad += 1;
        }
    }
    score
}

fn judge_word(word: &str, score: &mut Score) {
    if word.is_ascii() {
        return;
    }
    let mut prev_lower = false;
    for c in word.chars() {
        if !c.is_ascii() {
            let foreign = is_combining_mark(c) || !is_vietnamese_letter(c);
            // "TrÇn", "NguyÔn": an accented capital inside a lower-case word is a wrong decode.
            // (A lower-case letter inside an upper-case word is normal in TCVN3, which has no
            // capitals with tone marks.)
            if foreign || (c.is_uppercase() && prev_lower) {
                score.bad += 1;
                return;
            }
        }
        prev_lower = c.is_lowercase();
    }
    let lower = word.to_lowercase();
    match syllable_plausible(&lower) {
        Some(true) => score.good += 1,
        Some(false) => score.bad += 1,
        None => {} // consonants only, e.g. "đ" after an amount: says nothing
    }
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Symbols that genuine text in any of the candidate encodings may carry, and that say nothing.
fn is_harmless_symbol(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}'
            | '₫'
            | '€'
            | '–'
            | '—'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '…'
            | '•'
            | '°'
            | '×'
    )
}

/// The 67 lower-case Vietnamese letters with marks (12 vowels × 5 tones, 6 modified vowels, đ).
const VIETNAMESE_LOWER: &str =
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";

fn is_vietnamese_letter(c: char) -> bool {
    if c.is_ascii_alphabetic() {
        return true;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => VIETNAMESE_LOWER.contains(l),
        _ => false,
    }
}

fn is_tone_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'
    )
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// Initial consonants, longest first so that "ngh" wins over "ng" over "n".
const ONSETS: [&str; 27] = [
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Vowel groups (without tone marks) of Vietnamese syllables, after the onset ("gi", "qu" removed).
const NUCLEI: [&str; 52] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", // single
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo",
    "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê", "iêu",
    "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uyê",
];

const NUCLEI_RARE: [&str; 3] = ["uya", "uyu", "yêu"];

const CODAS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Whether a lower-case NFC word is a well-formed Vietnamese syllable; `None` when it has no vowel.
fn syllable_plausible(word: &str) -> Option<bool> {
    let mut tones = Vec::new();
    let mut toneless = String::with_capacity(word.len());
    for c in word.chars() {
        let mut base = String::new();
        for d in std::iter::once(c).nfd() {
            if is_tone_mark(d) {
                tones.push(d);
            } else {
                base.push(d);
            }
        }
        toneless.extend(base.nfc());
    }
    if !toneless.chars().any(is_vowel) {
        return None;
    }
    if tones.len() > 1 {
        return Some(false);
    }
    let rest = ONSETS
        .iter()
        .filter_map(|onset| toneless.strip_prefix(onset))
        .find(|rest| rest.chars().next().is_some_and(is_vowel))
        .unwrap_or(&toneless);
    let nucleus_len: usize = rest
        .chars()
        .take_while(|&c| is_vowel(c))
        .map(char::len_utf8)
        .sum();
    let (nucleus, coda) = rest.split_at(nucleus_len);
    if nucleus.is_empty()
        || !(NUCLEI.contains(&nucleus) || NUCLEI_RARE.contains(&nucleus))
        || !CODAS.contains(&coda)
    {
        return Some(false);
    }
    // A syllable closed by a stop (-c, -ch, -p, -t) takes only the sắc or nặng tone.
    if matches!(coda, "c" | "ch" | "p" | "t")
        && !matches!(tones.first(), Some('\u{0301}') | Some('\u{0323}'))
    {
        return Some(false);
    }
    Some(true)
}

// ---------------------------------------------------------------------------------------------
// TCVN3 (ABC, TCVN 5712:1993 VN3)
// ---------------------------------------------------------------------------------------------

/// The characters TCVN 5712:1993 VN3 assigns above ASCII: the no-break space, the 7 capitals
/// without tone marks (Ă Â Ê Ô Ơ Ư Đ) and all 67 lower-case letters with marks. Capitals with tone
/// marks are not in VN3 (they were written with the all-capitals .VnTimeH font using the same byte
/// codes as the lower-case letters), so those bytes decode as the lower-case letter.
///
/// Checked against three independent tables, which agree on every entry: fcitx5-unikey
/// `unikey/data.cpp` (UniKey's VnConv TCVN3 table, where each capital with a tone shares its
/// lower-case letter's byte), Eruylz/XuatThuy `Utils/Unicode2TCVN3.cs`, and GNU libiconv
/// `lib/tcvn.h` (TCVN 5712 VN1, a superset whose 0xA0..0xFF assignments coincide with VN3 at
/// every VN3 position). Wikipedia's "VSCII" article gives the same count: VN3 adds 75 characters
/// to ASCII (67 lower-case, 7 capitals, the no-break space).
fn tcvn3_char(b: u8) -> Option<char> {
    let c = match b {
        0xA0 => '\u{00A0}',
        0xA1 => 'Ă',
        0xA2 => 'Â',
        0xA3 => 'Ê',
        0xA4 => 'Ô',
        0xA5 => 'Ơ',
        0xA6 => 'Ư',
        0xA7 => 'Đ',
        0xA8 => 'ă',
        0xA9 => 'â',
        0xAA => 'ê',
        0xAB => 'ô',
        0xAC => 'ơ',
        0xAD => 'ư',
        0xAE => 'đ',
        0xB5 => 'à',
        0xB6 => 'ả',
        0xB7 => 'ã',
        0xB8 => 'á',
        0xB9 => 'ạ',
        0xBB => 'ằ',
        0xBC => 'ẳ',
        0xBD => 'ẵ',
        0xBE => 'ắ',
        0xC6 => 'ặ',
        0xC7 => 'ầ',
        0xC8 => 'ẩ',
        0xC9 => 'ẫ',
        0xCA => 'ấ',
        0xCB => 'ậ',
        0xCC => 'è',
        0xCE => 'ẻ',
        0xCF => 'ẽ',
        0xD0 => 'é',
        0xD1 => 'ẹ',
        0xD2 => 'ề',
        0xD3 => 'ể',
        0xD4 => 'ễ',
        0xD5 => 'ế',
        0xD6 => 'ệ',
        0xD7 => 'ì',
        0xD8 => 'ỉ',
        0xDC => 'ĩ',
        0xDD => 'í',
        0xDE => 'ị',
        0xDF => 'ò',
        0xE1 => 'ỏ',
        0xE2 => 'õ',
        0xE3 => 'ó',
        0xE4 => 'ọ',
        0xE5 => 'ồ',
        0xE6 => 'ổ',
        0xE7 => 'ỗ',
        0xE8 => 'ố',
        0xE9 => 'ộ',
        0xEA => 'ờ',
        0xEB => 'ở',
        0xEC => 'ỡ',
        0xED => 'ớ',
        0xEE => 'ợ',
        0xEF => 'ù',
        0xF1 => 'ủ',
        0xF2 => 'ũ',
        0xF3 => 'ú',
        0xF4 => 'ụ',
        0xF5 => 'ừ',
        0xF6 => 'ử',
        0xF7 => 'ữ',
        0xF8 => 'ứ',
        0xF9 => 'ự',
        0xFA => 'ỳ',
        0xFB => 'ỷ',
        0xFC => 'ỹ',
        0xFD => 'ý',
        0xFE => 'ỵ',
        _ => return None,
    };
    Some(c)
}

/// A TCVN3 byte as text. ASCII is ASCII; bytes VN3 leaves unassigned (0x80..0x9F and the gaps in
/// 0xA0..0xFF) are read as Windows-1252, which is what a Western-locale Windows (where .VnTime
/// fonts were used) held them as — so typographic quotes and dashes survive.
fn tcvn3_or_cp1252(b: u8) -> char {
    if b < 0x80 {
        char::from(b)
    } else {
        tcvn3_char(b).unwrap_or_else(|| cp1252_char(b))
    }
}

/// Windows-1252 (as WHATWG/encoding_rs define it: its five undefined bytes map to C1 controls).
fn cp1252_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

struct Tcvn3Reader<R> {
    inner: R,
    input: Box<[u8]>,
    output: Vec<u8>,
    pos: usize,
}

impl<R: Read> Tcvn3Reader<R> {
    fn new(inner: R) -> Self {
        Tcvn3Reader {
            inner,
            input: vec![0; 8 * 1024].into_boxed_slice(),
            output: Vec::with_capacity(3 * 8 * 1024),
            pos: 0,
        }
    }
}

impl<R: Read> Read for Tcvn3Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.pos == self.output.len() {
            self.output.clear();
            self.pos = 0;
            let n = self.inner.read(&mut self.input)?;
            let mut utf8 = [0u8; 4];
            for &b in &self.input[..n] {
                self.output
                    .extend_from_slice(tcvn3_or_cp1252(b).encode_utf8(&mut utf8).as_bytes());
            }
        }
        let n = buf.len().min(self.output.len() - self.pos);
        buf[..n].copy_from_slice(&self.output[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------------------
// VNI-Windows (recognised only, to refuse it)
// ---------------------------------------------------------------------------------------------

/// Decodes VNI-Windows for scoring. VNI writes a toned or modified vowel as the base letter
/// followed by a mark byte; ơ ư đ, the i-vowels and ỵ are single bytes. Every other byte is read
/// as Windows-1252. Checked against khiemdoan/VBKey `Modules/mdlCodeTable.bas`
/// (`VNI_WINDOWS_TABLE`), entry by entry for all 134 letters.
fn decode_vni(sample: &[u8]) -> String {
    let mut out = String::with_capacity(sample.len());
    let mut i = 0;
    while i < sample.len() {
        let b = sample[i];
        if let Some(&mark) = sample.get(i + 1) {
            if let Some(text) = vni_pair(b, mark) {
                out.push_str(&text);
                i += 2;
                continue;
            }
        }
        out.push(vni_single(b).unwrap_or_else(|| cp1252_char(b)));
        i += 1;
    }
    out
}

fn vni_single(b: u8) -> Option<char> {
    let c = match b {
        0xC6 => 'Ỉ',
        0xCC => 'Ì',
        0xCD => 'Í',
        0xCE => 'Ỵ',
        0xD1 => 'Đ',
        0xD2 => 'Ị',
        0xD3 => 'Ĩ',
        0xD4 => 'Ơ',
        0xD6 => 'Ư',
        0xE6 => 'ỉ',
        0xEC => 'ì',
        0xED => 'í',
        0xEE => 'ỵ',
        0xF1 => 'đ',
        0xF2 => 'ị',
        0xF3 => 'ĩ',
        0xF4 => 'ơ',
        0xF6 => 'ư',
        _ => return None,
    };
    Some(c)
}

/// A VNI base letter and mark byte, as the base followed by combining marks (NFC comes later).
fn vni_pair(base: u8, mark: u8) -> Option<String> {
    let (base_char, upper) = match base {
        b'a' | b'e' | b'o' | b'u' | b'y' => (char::from(base), false),
        b'A' | b'E' | b'O' | b'U' | b'Y' => (char::from(base), true),
        0xF4 => ('ơ', false),
        0xF6 => ('ư', false),
        0xD4 => ('Ơ', true),
        0xD6 => ('Ư', true),
        _ => return None,
    };
    // Capital letters take the capital form of the mark byte, 0x20 lower.
    let mark = if upper { mark.checked_add(0x20)? } else { mark };
    if upper && !(0xE0..=0xFF).contains(&mark) {
        return None;
    }
    const CIRCUMFLEX: char = '\u{0302}';
    const BREVE: char = '\u{0306}';
    let (modifier, tone) = match mark {
        0xF9 => (None, Some('\u{0301}')),
        0xF8 => (None, Some('\u{0300}')),
        0xFB => (None, Some('\u{0309}')),
        0xF5 => (None, Some('\u{0303}')),
        0xEF => (None, Some('\u{0323}')),
        0xE2 => (Some(CIRCUMFLEX), None),
        0xE1 => (Some(CIRCUMFLEX), Some('\u{0301}')),
        0xE0 => (Some(CIRCUMFLEX), Some('\u{0300}')),
        0xE5 => (Some(CIRCUMFLEX), Some('\u{0309}')),
        0xE3 => (Some(CIRCUMFLEX), Some('\u{0303}')),
        0xE4 => (Some(CIRCUMFLEX), Some('\u{0323}')),
        0xEA => (Some(BREVE), None),
        0xE9 => (Some(BREVE), Some('\u{0301}')),
        0xE8 => (Some(BREVE), Some('\u{0300}')),
        0xFA => (Some(BREVE), Some('\u{0309}')),
        0xFC => (Some(BREVE), Some('\u{0303}')),
        0xEB => (Some(BREVE), Some('\u{0323}')),
        _ => return None,
    };
    let lower_base = base_char.to_lowercase().next()?;
    let allowed = match modifier {
        Some(CIRCUMFLEX) => matches!(lower_base, 'a' | 'e' | 'o'),
        Some(_) => lower_base == 'a',
        None => true,
    };
    if !allowed {
        return None;
    }
    let mut text = String::with_capacity(6);
    text.push(base_char);
    text.extend(modifier);
    text.extend(tone);
    Some(text)
}

// ---------------------------------------------------------------------------------------------
// UTF-8, checked as it streams
// ---------------------------------------------------------------------------------------------

const CHUNK: usize = 16 * 1024;

/// Passes UTF-8 through, minus a leading BOM, and fails with a Vietnamese `InvalidData` error at
/// the first byte that is not valid UTF-8 (after handing out all the valid text before it).
struct Utf8Checked<R> {
    inner: R,
    buf: Box<[u8]>,
    /// Next byte to hand out.
    start: usize,
    /// End of the validated bytes; `buf[valid_end..end]` is an incomplete character's beginning.
    valid_end: usize,
    end: usize,
    /// Offset in the file of `buf[0]`.
    buf_offset: u64,
    bom_checked: bool,
    eof: bool,
    error: Option<String>,
}

impl<R: Read> Utf8Checked<R> {
    fn new(inner: R) -> Self {
        Utf8Checked {
            inner,
            buf: vec![0; CHUNK].into_boxed_slice(),
            start: 0,
            valid_end: 0,
            end: 0,
            buf_offset: 0,
            bom_checked: false,
            eof: false,
            error: None,
        }
    }

    /// Reads more bytes and validates them; leaves `start..valid_end` to hand out, or an error.
    fn fill(&mut self) -> io::Result<()> {
        // Keep the incomplete tail (at most 3 bytes) at the front.
        let tail = self.end - self.valid_end;
        self.buf.copy_within(self.valid_end..self.end, 0);
        self.buf_offset += self.valid_end as u64;
        self.start = 0;
        self.valid_end = 0;
        self.end = tail;

        let n = self.inner.read(&mut self.buf[self.end..])?;
        if n == 0 {
            self.eof = true;
        }
        self.end += n;

        if !self.bom_checked {
            if self.end < UTF8_BOM.len() && !self.eof {
                // Too few bytes to tell whether a BOM starts the file: read more first.
                self.valid_end = 0;
                return Ok(());
            }
            self.bom_checked = true;
            if self.buf[..self.end].starts_with(UTF8_BOM) {
                self.start = UTF8_BOM.len();
            }
        }

        let from = self.start;
        match std::str::from_utf8(&self.buf[from..self.end]) {
            Ok(_) => self.valid_end = self.end,
            Err(e) => {
                self.valid_end = from + e.valid_up_to();
                let offset = self.buf_offset + self.valid_end as u64;
                if e.error_len().is_some() {
                    self.error = Some(format!(
                        "Tệp không nhất quán UTF-8: byte 0x{:02X} ở vị trí byte {offset} (đếm từ 0, \
                         tính từ đầu tệp) không hợp lệ trong UTF-8; có thể một phần tệp được lưu \
                         bằng bảng mã khác. {SAVE_AS_UTF8}",
                        self.buf[self.valid_end]
                    ));
                } else if self.eof {
                    self.error = Some(format!(
                        "Tệp không nhất quán UTF-8: tệp kết thúc giữa chừng một ký tự UTF-8 (ở vị \
                         trí byte {offset}, đếm từ 0); có thể tệp bị cắt cụt. {SAVE_AS_UTF8}"
                    ));
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf8Checked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.start < self.valid_end {
                let n = out.len().min(self.valid_end - self.start);
                out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
                self.start += n;
                return Ok(n);
            }
            if let Some(message) = &self.error {
                return Err(io::Error::new(io::ErrorKind::InvalidData, message.clone()));
            }
            if self.eof {
                return Ok(0);
            }
            self.fill()?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND,Địa chỉ,Chính sách";

    fn sample_text() -> String {
        [
            HEADER,
            "1,Nguyễn Thị Hương,12/03/1968,Nữ,001168012345,\"Tổ 5, phường Giang Biên, quận Long Biên\",Hộ nghèo",
            "2,Trần Văn Đức,05/11/1955,Nam,001055098765,\"Số 12 ngõ 34, phường Giang Biên, quận Long Biên\",Người có công",
            "3,Lê Thị Thu Thủy,23/07/1990,Nữ,001190054321,\"phường Giang Biên, quận Long Biên\",Lao động tự do",
        ]
        .join("\r\n")
            + "\r\n"
    }

    /// A text with an upper-case toned letter ("Ánh") for encodings that carry one.
    fn sample_text_with_anh() -> String {
        sample_text() + "4,Phạm Ngọc Ánh,01/01/2001,Nữ,001301011111,\"phường Giang Biên, quận Long Biên\",Hộ cận nghèo\r\n"
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn nfc(s: &str) -> String {
        s.nfc().collect()
    }

    fn read_all(enc: SourceEncoding, bytes: Vec<u8>) -> io::Result<String> {
        let mut reader = utf8_reader(io::Cursor::new(bytes), enc);
        let mut s = String::new();
        reader.read_to_string(&mut s)?;
        Ok(s)
    }

    /// A reader that hands out one byte per `read`, to exercise buffer boundaries.
    struct Trickle(io::Cursor<Vec<u8>>);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(1);
            self.0.read(&mut buf[..n])
        }
    }

    /// Reads through a 1-byte source into 1-byte destination buffers.
    fn read_trickled(enc: SourceEncoding, bytes: Vec<u8>) -> io::Result<String> {
        let mut reader = utf8_reader(Trickle(io::Cursor::new(bytes)), enc);
        let mut out = Vec::new();
        let mut one = [0u8; 1];
        loop {
            match reader.read(&mut one)? {
                0 => break,
                _ => out.push(one[0]),
            }
        }
        Ok(String::from_utf8(out).expect("reader yields UTF-8"))
    }

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for unit in std::iter::once(0xFEFF_u16).chain(text.encode_utf16()) {
            let bytes = if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            out.extend_from_slice(&bytes);
        }
        out
    }

    /// Windows-1258 as Windows writes it: a precomposed character where the code page has one,
    /// otherwise the base letter followed by the combining tone mark. With `decompose_all`, every
    /// tone mark is written separately ("a" + 0xCC rather than "à").
    fn windows_1258(text: &str, decompose_all: bool) -> Vec<u8> {
        let encode = |s: &str| {
            let (bytes, _, had_errors) = WINDOWS_1258.encode(s);
            (bytes.into_owned(), had_errors)
        };
        let mut out = Vec::new();
        for c in text.nfc() {
            let decomposed: String = std::iter::once(c).nfd().collect();
            let has_tone = decomposed.chars().any(is_tone_mark);
            if !(decompose_all && has_tone) {
                let (bytes, had_errors) = encode(&c.to_string());
                if !had_errors {
                    out.extend(bytes);
                    continue;
                }
            }
            let base: String = decomposed
                .chars()
                .filter(|&d| !is_tone_mark(d))
                .collect::<String>()
                .nfc()
                .collect();
            let tone: String = decomposed.chars().filter(|&d| is_tone_mark(d)).collect();
            let (base_bytes, base_err) = encode(&base);
            let (tone_bytes, tone_err) = encode(&tone);
            assert!(!base_err && !tone_err, "cannot write {c:?} in Windows-1258");
            out.extend(base_bytes);
            out.extend(tone_bytes);
        }
        out
    }

    /// TCVN3 bytes from the inverse of the decoding table. Capitals with tone marks take their
    /// lower-case letter's byte, as with the .VnTimeH fonts.
    fn tcvn3(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in text.nfc() {
            if c.is_ascii() {
                out.push(c as u8);
                continue;
            }
            let byte = (0x80..=0xFF_u8)
                .find(|&b| tcvn3_char(b) == Some(c))
                .or_else(|| {
                    let lower = c.to_lowercase().next()?;
                    (0x80..=0xFF_u8).find(|&b| tcvn3_char(b) == Some(lower))
                })
                .unwrap_or_else(|| panic!("{c:?} has no TCVN3 byte"));
            out.push(byte);
        }
        out
    }

    /// What TCVN3 gives back: capitals with tone marks come back lower-case.
    fn tcvn3_expected(text: &str) -> String {
        text.nfc()
            .map(|c| {
                let in_vn3 = c.is_ascii() || (0x80..=0xFF_u8).any(|b| tcvn3_char(b) == Some(c));
                if in_vn3 {
                    c
                } else {
                    c.to_lowercase().next().unwrap_or(c)
                }
            })
            .collect()
    }

    /// VNI-Windows bytes (test encoder, built independently of `decode_vni`'s structure where it
    /// matters: the single-byte letters and mark bytes below are VBKey's VNI_WINDOWS_TABLE).
    fn vni(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in text.nfc() {
            if c.is_ascii() {
                out.push(c as u8);
                continue;
            }
            if let Some(b) = (0x80..=0xFF_u8).find(|&b| vni_single(b) == Some(c)) {
                out.push(b);
                continue;
            }
            let decomposed: String = std::iter::once(c).nfd().collect();
            let mut chars = decomposed.chars();
            let base = chars.next().unwrap();
            let marks: String = chars.collect();
            let upper = base.is_uppercase();
            let (base_byte, rest) = match marks.strip_prefix('\u{031B}') {
                Some(rest) => (
                    match (base, upper) {
                        ('o' | 'O', false) => 0xF4,
                        ('o' | 'O', true) => 0xD4,
                        (_, false) => 0xF6,
                        (_, true) => 0xD6,
                    },
                    rest.to_string(),
                ),
                None => (base as u8, marks.clone()),
            };
            let lower_mark: u8 = match rest.as_str() {
                "\u{0301}" => 0xF9,
                "\u{0300}" => 0xF8,
                "\u{0309}" => 0xFB,
                "\u{0303}" => 0xF5,
                "\u{0323}" => 0xEF,
                "\u{0302}" => 0xE2,
                "\u{0302}\u{0301}" => 0xE1,
                "\u{0302}\u{0300}" => 0xE0,
                "\u{0302}\u{0309}" => 0xE5,
                "\u{0302}\u{0303}" => 0xE3,
                "\u{0323}\u{0302}" => 0xE4,
                "\u{0306}" => 0xEA,
                "\u{0306}\u{0301}" => 0xE9,
                "\u{0306}\u{0300}" => 0xE8,
                "\u{0306}\u{0309}" => 0xFA,
                "\u{0306}\u{0303}" => 0xFC,
                "\u{0323}\u{0306}" => 0xEB,
                "" => {
                    out.push(base_byte);
                    continue;
                }
                other => panic!("no VNI mark for {other:?}"),
            };
            out.push(base_byte);
            out.push(if upper { lower_mark - 0x20 } else { lower_mark });
        }
        out
    }

    #[test]
    fn plain_ascii_is_utf8() {
        let text = "STT,Ho va ten,Ngay sinh\r\n1,Nguyen Van An,01/02/1970\r\n";
        assert_eq!(detect(text.as_bytes()), Ok(SourceEncoding::Utf8));
        assert_eq!(detect(b""), Ok(SourceEncoding::Utf8));
        assert_eq!(read_all(SourceEncoding::Utf8, text.into()).unwrap(), text);
    }

    #[test]
    fn utf8_without_bom_is_detected_and_read() {
        let text = sample_text_with_anh();
        let bytes = text.clone().into_bytes();
        assert_eq!(detect(&bytes), Ok(SourceEncoding::Utf8));
        assert_eq!(read_all(SourceEncoding::Utf8, bytes.clone()).unwrap(), text);
        assert_eq!(read_trickled(SourceEncoding::Utf8, bytes).unwrap(), text);
    }

    #[test]
    fn utf8_with_bom_is_detected_and_the_bom_removed() {
        let text = sample_text_with_anh();
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(text.as_bytes());
        assert_eq!(detect(&bytes), Ok(SourceEncoding::Utf8Bom));
        assert_eq!(
            read_all(SourceEncoding::Utf8Bom, bytes.clone()).unwrap(),
            text
        );
        assert_eq!(read_trickled(SourceEncoding::Utf8Bom, bytes).unwrap(), text);
        // A file that is only a BOM reads as empty.
        assert_eq!(
            read_all(SourceEncoding::Utf8Bom, UTF8_BOM.to_vec()).unwrap(),
            ""
        );
    }

    #[test]
    fn utf16_with_bom_is_detected_and_read_both_ways() {
        let text = sample_text_with_anh();
        for (little_endian, enc) in [
            (true, SourceEncoding::Utf16Le),
            (false, SourceEncoding::Utf16Be),
        ] {
            let bytes = utf16(&text, little_endian);
            assert_eq!(detect(&bytes), Ok(enc));
            assert_eq!(read_all(enc, bytes.clone()).unwrap(), text, "{enc:?}");
            assert_eq!(read_trickled(enc, bytes).unwrap(), text, "{enc:?}");
        }
    }

    #[test]
    fn windows_1258_is_detected_and_read_back_to_the_same_text_after_nfc() {
        let text = sample_text_with_anh();
        for decompose_all in [false, true] {
            let bytes = windows_1258(&text, decompose_all);
            assert!(std::str::from_utf8(&bytes).is_err());
            assert_eq!(
                detect(&bytes),
                Ok(SourceEncoding::Windows1258),
                "{decompose_all}"
            );
            let read = read_all(SourceEncoding::Windows1258, bytes.clone()).unwrap();
            assert_eq!(nfc(&read), text);
            assert_eq!(
                nfc(&read_trickled(SourceEncoding::Windows1258, bytes).unwrap()),
                text
            );
        }
        // Spot check of the encoder: "Nguyễn" is "Nguy" + ê + combining tilde; "và" uses à.
        assert_eq!(windows_1258("Nguyễn và", false), b"Nguy\xEA\xDEn v\xE0");
    }

    #[test]
    fn tcvn3_is_detected_and_read_back() {
        let text = sample_text();
        let bytes = tcvn3(&text);
        // "Nguyễn Thị Hương" as the .VnTime font stores it.
        assert!(contains(&bytes, b"Nguy\xD4n Th\xDE H\xAD\xACng"));
        assert_eq!(detect(&bytes), Ok(SourceEncoding::Tcvn3));
        assert_eq!(
            read_all(SourceEncoding::Tcvn3, bytes.clone()).unwrap(),
            text
        );
        assert_eq!(read_trickled(SourceEncoding::Tcvn3, bytes).unwrap(), text);
    }

    #[test]
    fn tcvn3_capitals_with_tone_marks_come_back_lower_case() {
        let text = sample_text_with_anh() + "5,NGUYỄN VĂN ĐỨC,02/02/1962,Nam,001062022222,x,y\r\n";
        let bytes = tcvn3(&text);
        assert_eq!(detect(&bytes), Ok(SourceEncoding::Tcvn3));
        let read = read_all(SourceEncoding::Tcvn3, bytes).unwrap();
        assert_eq!(read, tcvn3_expected(&text));
        assert!(read.contains("Phạm Ngọc ánh"));
        assert!(read.contains("NGUYễN VĂN ĐứC"));
    }

    #[test]
    fn tcvn3_table_has_every_vietnamese_letter_once() {
        let mut seen = Vec::new();
        for b in 0x80..=0xFF_u8 {
            if let Some(c) = tcvn3_char(b) {
                assert!(!seen.contains(&c), "{c:?} twice");
                seen.push(c);
            }
        }
        assert_eq!(seen.len(), 75); // 67 lower-case + 7 capitals + no-break space
        for c in VIETNAMESE_LOWER.chars().chain("ĂÂÊÔƠƯĐ".chars()) {
            assert!(seen.contains(&c), "{c:?} missing");
        }
        assert_eq!(VIETNAMESE_LOWER.chars().count(), 67);
        // Spot checks against the published ABC table (see tcvn3_char's comment).
        let expect = [
            (0xB5, 'à'),
            (0xB8, 'á'),
            (0xB6, 'ả'),
            (0xB7, 'ã'),
            (0xB9, 'ạ'),
            (0xA8, 'ă'),
            (0xA9, 'â'),
            (0xAA, 'ê'),
            (0xAB, 'ô'),
            (0xAC, 'ơ'),
            (0xAD, 'ư'),
            (0xAE, 'đ'),
            (0xA7, 'Đ'),
            (0xD4, 'ễ'),
            (0xDE, 'ị'),
            (0xF7, 'ữ'),
            (0xFE, 'ỵ'),
        ];
        for (b, c) in expect {
            assert_eq!(tcvn3_char(b), Some(c), "0x{b:02X}");
        }
        // Unassigned bytes are read as Windows-1252 (curly quotes survive).
        assert_eq!(tcvn3_or_cp1252(0x93), '“');
        assert_eq!(tcvn3_or_cp1252(0xBA), 'º');
    }

    #[test]
    fn cp1252_table_matches_encoding_rs() {
        for b in 0x80..=0xFF_u8 {
            let byte = [b];
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            assert_eq!(decoded.chars().next(), Some(cp1252_char(b)), "0x{b:02X}");
        }
    }

    #[test]
    fn vni_is_recognised_and_refused() {
        let bytes = vni(&sample_text_with_anh());
        // The classic VNI look: "Nguyeãn Thò Höông", "Ñöùc".
        assert!(contains(&bytes, b"Nguye\xE3n Th\xF2 H\xF6\xF4ng"));
        assert!(contains(&bytes, b"\xD1\xF6\xF9c"));
        let refusal = detect(&bytes).unwrap_err();
        assert!(refusal.0.contains("VNI-Windows"), "{refusal}");
        assert!(refusal.0.contains("CSV UTF-8"), "{refusal}");
        assert_eq!(nfc(&decode_vni(&bytes)), sample_text_with_anh());
    }

    #[test]
    fn vni_decoder_matches_vbkey_table_for_all_letters() {
        // VBKey's VNI_WINDOWS_TABLE, in its UNICODE_PRECOMPOSED_TABLE order (lower case, then
        // the same letters in capitals), as Windows-1252 bytes.
        let lower = "àáảãạâầấẩẫậăằắẳẵặđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";
        let vbkey_lower: [&[u8]; 67] = [
            b"a\xF8",
            b"a\xF9",
            b"a\xFB",
            b"a\xF5",
            b"a\xEF",
            b"a\xE2",
            b"a\xE0",
            b"a\xE1",
            b"a\xE5",
            b"a\xE3",
            b"a\xE4",
            b"a\xEA",
            b"a\xE8",
            b"a\xE9",
            b"a\xFA",
            b"a\xFC",
            b"a\xEB",
            b"\xF1",
            b"e\xF8",
            b"e\xF9",
            b"e\xFB",
            b"e\xF5",
            b"e\xEF",
            b"e\xE2",
            b"e\xE0",
            b"e\xE1",
            b"e\xE5",
            b"e\xE3",
            b"e\xE4",
            b"\xEC",
            b"\xED",
            b"\xE6",
            b"\xF3",
            b"\xF2",
            b"o\xF8",
            b"o\xF9",
            b"o\xFB",
            b"o\xF5",
            b"o\xEF",
            b"o\xE2",
            b"o\xE0",
            b"o\xE1",
            b"o\xE5",
            b"o\xE3",
            b"o\xE4",
            b"\xF4",
            b"\xF4\xF8",
            b"\xF4\xF9",
            b"\xF4\xFB",
            b"\xF4\xF5",
            b"\xF4\xEF",
            b"u\xF8",
            b"u\xF9",
            b"u\xFB",
            b"u\xF5",
            b"u\xEF",
            b"\xF6",
            b"\xF6\xF8",
            b"\xF6\xF9",
            b"\xF6\xFB",
            b"\xF6\xF5",
            b"\xF6\xEF",
            b"y\xF8",
            b"y\xF9",
            b"y\xFB",
            b"y\xF5",
            b"\xEE",
        ];
        for (c, bytes) in lower.chars().zip(vbkey_lower) {
            assert_eq!(nfc(&decode_vni(bytes)), c.to_string(), "{bytes:X?}");
            let upper: Vec<u8> = bytes
                .iter()
                .enumerate()
                .map(|(i, &b)| match (i, b) {
                    (0, b'a'..=b'z') => b.to_ascii_uppercase(),
                    _ => b - 0x20,
                })
                .collect();
            let expected = c.to_uppercase().collect::<String>();
            assert_eq!(nfc(&decode_vni(&upper)), expected, "{upper:X?}");
            assert_eq!(vni(&expected), upper, "test encoder for {expected}");
        }
    }

    #[test]
    fn high_bytes_are_refused_not_guessed() {
        let bytes: Vec<u8> = (0x80..=0xFF_u8).cycle().take(4096).collect();
        let refusal = detect(&bytes).unwrap_err();
        assert!(refusal.0.starts_with("Không nhận ra bảng mã"), "{refusal}");
        assert!(refusal.0.contains("CSV UTF-8"));
        // Pseudo-random bytes (a fixed LCG), too.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..8192)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8 | 0x80
            })
            .collect();
        assert!(detect(&noise).is_err());
    }

    #[test]
    fn a_sample_cut_inside_a_utf8_character_is_still_utf8() {
        let text = sample_text_with_anh();
        let bytes = text.as_bytes();
        // Cut one byte into "ễ" (3 bytes), and two bytes in.
        let at = text.find('ễ').unwrap();
        assert_eq!(detect(&bytes[..at + 1]), Ok(SourceEncoding::Utf8));
        assert_eq!(detect(&bytes[..at + 2]), Ok(SourceEncoding::Utf8));
        // A BOM-less 64 KiB sample ending mid-character.
        let long = text.repeat(64 * 1024 / text.len() + 1);
        let mut cut = 64 * 1024;
        while long.is_char_boundary(cut) {
            cut += 1;
        }
        assert_eq!(detect(&long.as_bytes()[..cut]), Ok(SourceEncoding::Utf8));
    }

    #[test]
    fn invalid_utf8_after_70_kib_is_an_invalid_data_error() {
        let text = sample_text();
        let mut bytes = text.repeat(70 * 1024 / text.len() + 1).into_bytes();
        let bad_at = bytes.len();
        bytes.extend_from_slice(b"7,Tr\xC7n V\xA8n B,x,y,z\r\n"); // a TCVN3 line pasted in
                                                                  // The first 64 KiB look like UTF-8.
        assert_eq!(detect(&bytes[..64 * 1024]), Ok(SourceEncoding::Utf8));

        for enc in [SourceEncoding::Utf8, SourceEncoding::Utf8Bom] {
            let mut reader = utf8_reader(io::Cursor::new(bytes.clone()), enc);
            let mut got = Vec::new();
            let err = reader.read_to_end(&mut got).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
            let message = err.to_string();
            assert!(message.contains("không nhất quán UTF-8"), "{message}");
            assert!(
                message.contains(&format!("vị trí byte {}", bad_at + 4)),
                "{message}"
            );
            assert!(message.contains("0xC7"), "{message}");
            // Everything valid before the bad byte was handed out, and the error sticks.
            assert_eq!(got, &bytes[..bad_at + 4]);
            let mut more = [0u8; 16];
            assert_eq!(
                reader.read(&mut more).unwrap_err().kind(),
                io::ErrorKind::InvalidData
            );
        }

        // One byte at a time, the same offset.
        let err = read_trickled(SourceEncoding::Utf8, bytes).unwrap_err();
        assert!(err
            .to_string()
            .contains(&format!("vị trí byte {}", bad_at + 4)));
    }

    #[test]
    fn utf8_offsets_count_the_bom_and_a_truncated_end_is_an_error() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice("Họ và tên\n".as_bytes());
        let bad_at = bytes.len();
        bytes.push(0xFF);
        let err = read_all(SourceEncoding::Utf8Bom, bytes).unwrap_err();
        assert!(
            err.to_string().contains(&format!("vị trí byte {bad_at}")),
            "{err}"
        );

        let mut truncated = "Họ và tên\nNguyễn".as_bytes().to_vec();
        truncated.truncate(truncated.len() - 2); // inside "ễ"
        let err = read_all(SourceEncoding::Utf8, truncated).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("kết thúc giữa chừng"), "{err}");
    }

    #[test]
    fn each_line_alone_is_told_apart() {
        // A wider set of realistic lines; each must be recognised on its own, in both encodings.
        let lines = [
            HEADER,
            "1,Nguyễn Thị Hương,12/03/1968,Nữ",
            "2,Trần Văn Đức,05/11/1955,Nam",
            "Phạm Ngọc Ánh,phường Giang Biên",
            "Lê Thị Thu Thủy,quận Long Biên",
            "Hoàng Minh Tuấn,Tổ 12,phường Phúc Lợi,Hộ cận nghèo",
            "Đỗ Thị Quỳnh,Người khuyết tật,Trẻ em dưới 6 tuổi",
            "Vũ Đình Khương,Lao động tự do,mất việc làm",
            "Bùi Thị Huyền,ấp 3,xã Tân Thạnh,huyện Cần Giuộc",
            "Huỳnh Văn Lợi,Khu phố 4,phường Bình Trưng Đông",
            "Đặng Quốc Việt,Số tiền hỗ trợ,1.500.000",
            "Ngô Thị Nguyệt,thôn Đông,xã Yên Viên",
        ];
        for line in lines {
            let text = line.to_string() + "\r\n";
            assert_eq!(
                detect(&windows_1258(&text, false)),
                Ok(SourceEncoding::Windows1258),
                "1258: {line}"
            );
            assert_eq!(
                detect(&windows_1258(&text, true)),
                Ok(SourceEncoding::Windows1258),
                "1258 decomposed: {line}"
            );
            assert_eq!(
                detect(&tcvn3(&text)),
                Ok(SourceEncoding::Tcvn3),
                "TCVN3: {line}"
            );
            assert!(detect(&vni(&text)).is_err(), "VNI: {line}");
        }
    }

    #[test]
    fn scores_separate_the_decodes_clearly() {
        let text = sample_text_with_anh();
        let w = windows_1258(&text, false);
        let t = tcvn3(&text);
        let right_w = score_text(&decode_windows_1258(&w));
        let wrong_w = score_text(&decode_tcvn3_strict(&w));
        let right_t = score_text(&decode_tcvn3_strict(&t));
        let wrong_t = score_text(&decode_windows_1258(&t));
        assert!(
            right_w.ratio() > 0.95 && right_t.ratio() > 0.95,
            "{right_w:?} {right_t:?}"
        );
        assert!(
            wrong_w.ratio() < 0.5 && wrong_t.ratio() < 0.5,
            "{wrong_w:?} {wrong_t:?}"
        );
    }

    #[test]
    fn excel_workbooks_utf32_and_bomless_utf16_are_refused_with_a_reason() {
        let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00";
        assert!(detect(xlsx).unwrap_err().0.contains(".xlsx"));
        let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00";
        assert!(detect(xls).unwrap_err().0.contains(".xls"));
        let mut bomless = utf16(HEADER, true);
        bomless.drain(..2);
        assert!(detect(&bomless).unwrap_err().0.contains("UTF-16"));
        let utf32 = b"\xFF\xFE\x00\x00S\x00\x00\x00";
        assert!(detect(utf32).unwrap_err().0.contains("UTF-32"));
    }

    #[test]
    fn only_harmless_symbols_read_as_windows_1258() {
        // A no-break space (the same byte in Windows-1258 and TCVN3) and nothing else non-ASCII.
        assert_eq!(
            detect(b"So tien:\xA0500.000\r\n"),
            Ok(SourceEncoding::Windows1258)
        );
        // "500.000₫" with the ₫ of Windows-1258 (0xFE, which TCVN3 would read as "ỵ").
        assert_eq!(
            detect(b"1,Nguyen Van An,500.000\xFE\r\n2,Tran Thi Binh,1.000.000\xFE\r\n"),
            Ok(SourceEncoding::Windows1258)
        );
    }

    #[test]
    fn a_cut_last_character_reads_as_utf8_whatever_the_read_size() {
        // Found by fuzzing: UTF-16 ending in an odd byte, read 1 or 2 bytes at a time, came out as the first
        // bytes of U+FFFD only (encoding_rs_io's small-buffer path), which is not UTF-8.
        for (bytes, enc) in [
            (&b"\xFF\xFEa\x00b"[..], SourceEncoding::Utf16Le),
            (&b"\xFE\xFF\x00a\xD8\x00"[..], SourceEncoding::Utf16Be),
            (&b"a\xFF"[..], SourceEncoding::Windows1258),
        ] {
            for size in 1..=5 {
                let mut reader = utf8_reader(io::Cursor::new(bytes.to_vec()), enc);
                let (mut out, mut buf) = (Vec::new(), vec![0u8; size]);
                loop {
                    match reader.read(&mut buf).unwrap() {
                        0 => break,
                        n => out.extend_from_slice(&buf[..n]),
                    }
                }
                let text =
                    String::from_utf8(out).unwrap_or_else(|e| panic!("{enc:?} by {size}: {e}"));
                assert!(text.starts_with('a'), "{enc:?} by {size}: {text:?}");
            }
        }
    }

    #[test]
    fn labels_and_serialised_names() {
        assert_eq!(SourceEncoding::Utf8Bom.label_vi(), "UTF-8 (có BOM)");
        assert_eq!(SourceEncoding::Utf16Le.label_vi(), "UTF-16 LE (có BOM)");
        assert_eq!(SourceEncoding::Windows1258.label_vi(), "Windows-1258");
        assert_eq!(SourceEncoding::Tcvn3.label_vi(), "TCVN3 (ABC)");
        let names: Vec<String> = [
            SourceEncoding::Utf8,
            SourceEncoding::Utf8Bom,
            SourceEncoding::Utf16Le,
            SourceEncoding::Utf16Be,
            SourceEncoding::Windows1258,
            SourceEncoding::Tcvn3,
        ]
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
        assert_eq!(
            names,
            [
                "\"utf8\"",
                "\"utf8-bom\"",
                "\"utf16-le\"",
                "\"utf16-be\"",
                "\"windows1258\"",
                "\"tcvn3\""
            ]
        );
    }

    #[test]
    fn syllable_rules_accept_real_words_and_reject_wrong_decodes() {
        for word in [
            "nguyễn",
            "hương",
            "đức",
            "giới",
            "quận",
            "người",
            "khuyết",
            "gì",
            "giường",
            "thủy",
            "quyết",
            "ấp",
            "học",
            "khuỷu",
            "xoong",
            "thuở",
            "yến",
            "uyên",
            "oanh",
            "ước",
        ] {
            assert_eq!(syllable_plausible(word), Some(true), "{word}");
        }
        for word in ["hoũ", "giừỡi", "nguyôn", "tràc", "uyeăn", "chiêt", "sụỡ"] {
            assert_eq!(syllable_plausible(word), Some(false), "{word}");
        }
        assert_eq!(syllable_plausible("đ"), None);
    }
}

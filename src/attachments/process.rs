//! What an uploaded file is and what of it is kept: the type read from its bytes (never from
//! its name or the client's word) against an allow-list, camera metadata (EXIF with its GPS
//! position, XMP, comments) cut out of images without re-encoding them, a pixel-count guard
//! against decompression bombs, and a small JPEG thumbnail.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};

/// How large an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of one file.
    pub max_bytes: usize,
    /// Pixels (width × height) of one image; a few kilobytes of PNG can claim gigapixels.
    pub max_pixels: u64,
}

/// Longest side of a thumbnail, in pixels.
pub const THUMB_SIZE: u32 = 480;

/// Whether a file is shown as a picture or offered as a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    File,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::File => "file",
        }
    }
}

/// An accepted upload, ready to store.
#[derive(Debug)]
pub struct Processed {
    /// The bytes to keep (for images: without their metadata).
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    /// The file name extension that matches the content.
    pub ext: &'static str,
    pub kind: Kind,
    /// Size as shown (after the camera's orientation), for images.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// A JPEG at most `THUMB_SIZE` wide and high, for images.
    pub thumbnail: Option<Vec<u8>>,
    /// Hex SHA-256 of `bytes`: the name the file is stored under.
    pub sha256: String,
}

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    Empty,
    TooLarge,
    /// Not a type on the allow-list (the found type, for the message).
    NotAllowed,
    /// It says it is an image but does not decode as one.
    Corrupt,
    TooManyPixels {
        width: u32,
        height: u32,
    },
}

/// Text files are accepted by extension once the bytes are text; anything else must be one
/// of the binary types recognised by their magic numbers.
const TEXT_TYPES: &[(&str, &str)] = &[
    ("txt", "text/plain"),
    ("log", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("yaml", "application/yaml"),
    ("yml", "application/yaml"),
    ("toml", "application/toml"),
    ("ini", "text/plain"),
    ("conf", "text/plain"),
    ("cfg", "text/plain"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("svg", "image/svg+xml"),
];

/// Office documents are ZIP files; their extension says which.
const ZIP_TYPES: &[(&str, &str)] = &[
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("zip", "application/zip"),
];

/// The extension of a file name, lower-case, if it has one.
fn extension(filename: &str) -> Option<String> {
    let (stem, ext) = filename.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty() && ext.len() <= 8).then(|| ext.to_ascii_lowercase())
}

/// What the bytes are: (mime, extension, kind), or refused.
fn sniff(data: &[u8], filename: &str) -> Result<(&'static str, &'static str, Kind), UploadError> {
    let ext = extension(filename);
    let starts = |m: &[u8]| data.starts_with(m);
    if starts(b"\xFF\xD8\xFF") {
        return Ok(("image/jpeg", "jpg", Kind::Image));
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(("image/png", "png", Kind::Image));
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Ok(("image/gif", "gif", Kind::Image));
    }
    if data.len() >= 12 && starts(b"RIFF") && &data[8..12] == b"WEBP" {
        return Ok(("image/webp", "webp", Kind::Image));
    }
    if starts(b"%PDF-") {
        return Ok(("application/pdf", "pdf", Kind::File));
    }
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        let (e, mime) = ZIP_TYPES
            .iter()
            .find(|(e, _)| ext.as_deref() == Some(*e))
            .copied()
            .unwrap_or(("zip", "application/zip"));
        return Ok((mime, e, Kind::File));
    }
    if starts(b"\x1f\x8b") {
        return Ok(("application/gzip", "gz", Kind::File));
    }
    // Text: UTF-8 without NUL bytes (a binary format with a text extension fails here).
    if std::str::from_utf8(data).is_ok() && !data.contains(&0) {
        let head = String::from_utf8_lossy(&data[..data.len().min(1024)]).to_ascii_lowercase();
        // What a browser would take for a picture is named as one, whatever the extension.
        let found = if head.contains("<svg") {
            Some(("svg", "image/svg+xml"))
        } else {
            TEXT_TYPES
                .iter()
                .find(|(e, _)| ext.as_deref() == Some(*e))
                .copied()
        };
        let (e, mime) = found.unwrap_or(("txt", "text/plain"));
        return Ok((mime, e, Kind::File));
    }
    Err(UploadError::NotAllowed)
}

/// Checks and prepares an upload. `filename` only picks among equivalent names for a type
/// (`.log` or `.txt`); the type itself comes from the bytes.
pub fn process(data: &[u8], filename: &str, limits: &Limits) -> Result<Processed, UploadError> {
    if data.is_empty() {
        return Err(UploadError::Empty);
    }
    if data.len() > limits.max_bytes {
        return Err(UploadError::TooLarge);
    }
    let (mime, ext, kind) = sniff(data, filename)?;
    let (bytes, width, height, thumbnail) = if kind == Kind::Image {
        let (bytes, orientation) = match ext {
            "jpg" => strip_jpeg(data)?,
            "png" => (strip_png(data)?, 1),
            "gif" => (strip_gif(data)?, 1),
            _ => (strip_webp(data)?, 1),
        };
        let (img, w, h) = decode(&bytes, ext, limits, orientation)?;
        let thumb = thumbnail(&img)?;
        (bytes, Some(w), Some(h), Some(thumb))
    } else {
        (data.to_vec(), None, None, None)
    };
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok(Processed {
        bytes,
        mime,
        ext,
        kind,
        width,
        height,
        thumbnail,
        sha256,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes an image for its thumbnail, refusing more pixels than allowed before allocating
/// them; returns it turned the way the camera meant, with that size.
fn decode(
    bytes: &[u8],
    ext: &str,
    limits: &Limits,
    orientation: u8,
) -> Result<(DynamicImage, u32, u32), UploadError> {
    let format = match ext {
        "jpg" => ImageFormat::Jpeg,
        "png" => ImageFormat::Png,
        "gif" => ImageFormat::Gif,
        _ => ImageFormat::WebP,
    };
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (w, h) = reader()
        .into_dimensions()
        .map_err(|_| UploadError::Corrupt)?;
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(UploadError::TooManyPixels {
            width: w,
            height: h,
        });
    }
    let mut r = reader();
    let mut l = image::Limits::default();
    // Room for the decoded pixels (RGBA, 16 bits per channel at most) and some slack.
    l.max_alloc = Some(limits.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    r.limits(l);
    let mut img = r.decode().map_err(|_| UploadError::Corrupt)?;
    if let Some(o) = image::metadata::Orientation::from_exif(orientation) {
        img.apply_orientation(o);
    }
    let (w, h) = (img.width(), img.height());
    Ok((img, w, h))
}

/// A JPEG thumbnail; transparency becomes white.
fn thumbnail(img: &DynamicImage) -> Result<Vec<u8>, UploadError> {
    let small = if img.width() > THUMB_SIZE || img.height() > THUMB_SIZE {
        img.thumbnail(THUMB_SIZE, THUMB_SIZE)
    } else {
        img.clone()
    };
    let rgba = small.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (to, from) in rgb.pixels_mut().zip(rgba.pixels()) {
        let a = u16::from(from[3]);
        for c in 0..3 {
            // Over white: c·a + 255·(1 − a), in 0..=255.
            to[c] = ((u16::from(from[c]) * a + 255 * (255 - a)) / 255) as u8;
        }
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&rgb)
        .map_err(|_| UploadError::Corrupt)?;
    Ok(out)
}

/// The JPEG without APP1 (EXIF, XMP), APP3–APP13, APP15 and comment segments, and without
/// anything after its end; returns it and the EXIF orientation (1 when none). A JPEG with a
/// turned orientation gets a minimal EXIF block holding only that tag, so viewers still show it
/// upright.
fn strip_jpeg(data: &[u8]) -> Result<(Vec<u8>, u8), UploadError> {
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..2]);
    let mut orientation = 1u8;
    let mut i = 2;
    loop {
        // Fill bytes (0xFF repeated) may precede a marker.
        while data.get(i) == Some(&0xFF) && data.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (data.get(i), data.get(i + 1)) else {
            return Err(UploadError::Corrupt);
        };
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                break;
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&data[i..i + 2]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = match (data.get(i + 2), data.get(i + 3)) {
            (Some(&a), Some(&b)) => usize::from(a) << 8 | usize::from(b),
            _ => return Err(UploadError::Corrupt),
        };
        let end = i + 2 + len;
        if len < 2 || end > data.len() {
            return Err(UploadError::Corrupt);
        }
        let payload = &data[i + 4..end];
        // Of the application segments only what decoding and colour need stay: JFIF (not its
        // JFXX thumbnail extension), the ICC profile, Adobe's colour transform.
        let keep = match marker {
            0xE0 => payload.starts_with(b"JFIF\0"),
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xEE => payload.starts_with(b"Adobe"),
            0xE1 => {
                if payload.starts_with(b"Exif\0\0") {
                    orientation = exif_orientation(&payload[6..]).unwrap_or(1);
                }
                false
            }
            0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(&data[i..end]);
        }
        i = end;
        if marker == 0xDA {
            // Entropy-coded data follows: skip to the next marker that is not stuffing (FF 00)
            // or a restart (FF D0–D7).
            let start = i;
            while i + 1 < data.len() {
                if data[i] == 0xFF && data[i + 1] != 0 && !(0xD0..=0xD7).contains(&data[i + 1]) {
                    break;
                }
                i += 1;
            }
            if i + 1 >= data.len() {
                return Err(UploadError::Corrupt);
            }
            out.extend_from_slice(&data[start..i]);
        }
    }
    if orientation != 1 {
        // Right after JFIF (APP0), which must come first, or right after the start.
        let at = if out.get(2..4) == Some(&[0xFF, 0xE0]) {
            4 + (usize::from(out[4]) << 8 | usize::from(out[5]))
        } else {
            2
        };
        out.splice(at..at, orientation_exif(orientation));
    }
    Ok((out, orientation))
}

/// An APP1 segment holding EXIF with the orientation tag alone.
fn orientation_exif(orientation: u8) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2A\0\0\0\x08"); // big-endian TIFF, IFD0 at 8
    tiff.extend_from_slice(&[0, 1]); // one entry
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    let len = 2 + 6 + tiff.len();
    let mut seg = vec![0xFF, 0xE1, (len >> 8) as u8, len as u8];
    seg.extend_from_slice(b"Exif\0\0");
    seg.extend_from_slice(&tiff);
    seg
}

/// The orientation tag (0x0112) of IFD0 in a TIFF block, 1–8.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let big = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at + 2)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at + 4)?;
        let a = [b[0], b[1], b[2], b[3]];
        Some(if big {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count.min(512)).find_map(|n| {
        let e = ifd.checked_add(2 + n * 12)?;
        (u16_at(e)? == 0x0112)
            .then(|| u16_at(e + 8))
            .flatten()
            .and_then(|v| u8::try_from(v).ok())
            .filter(|v| (1..=8).contains(v))
    })
}

/// The PNG without text, time and EXIF chunks, and without anything after IEND.
fn strip_png(data: &[u8]) -> Result<Vec<u8>, UploadError> {
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..8]);
    let mut i = 8;
    loop {
        let header = data.get(i..i + 8).ok_or(UploadError::Corrupt)?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let end = i
            .checked_add(12)
            .and_then(|n| n.checked_add(len))
            .filter(|&n| n <= data.len())
            .ok_or(UploadError::Corrupt)?;
        // Only the chunks that make up the picture and its colour: text, time, EXIF and any
        // private chunk go.
        if matches!(
            kind,
            b"IHDR"
                | b"PLTE"
                | b"IDAT"
                | b"IEND"
                | b"tRNS"
                | b"cHRM"
                | b"gAMA"
                | b"iCCP"
                | b"sBIT"
                | b"sRGB"
                | b"cICP"
                | b"mDCv"
                | b"cLLi"
                | b"bKGD"
                | b"pHYs"
                | b"acTL"
                | b"fcTL"
                | b"fdAT"
        ) {
            out.extend_from_slice(&data[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

/// The GIF without comments and application blocks other than the loop count (XMP lives in
/// one), and without anything after its end.
fn strip_gif(data: &[u8]) -> Result<Vec<u8>, UploadError> {
    let corrupt = || UploadError::Corrupt;
    let at = |k: usize| data.get(k).copied().ok_or_else(corrupt);
    // Sub-blocks from `k`: returns the index past the terminator.
    let sub_blocks = |mut k: usize| -> Result<usize, UploadError> {
        loop {
            let n = usize::from(at(k)?);
            k += 1 + n;
            if n == 0 {
                return Ok(k);
            }
        }
    };
    let flags = at(10)?;
    let mut i = 13;
    if flags & 0x80 != 0 {
        i += 3 << ((flags & 7) + 1);
    }
    let mut out = data.get(..i).ok_or_else(corrupt)?.to_vec();
    loop {
        match at(i)? {
            0x3B => {
                out.push(0x3B);
                return Ok(out);
            }
            0x21 => {
                let label = at(i + 1)?;
                let end = sub_blocks(i + 2)?;
                let keep = match label {
                    0xFE => false,
                    0xFF => {
                        let id = data.get(i + 3..i + 14).ok_or_else(corrupt)?;
                        id == b"NETSCAPE2.0" || id == b"ANIMEXTS1.0"
                    }
                    _ => true,
                };
                if keep {
                    out.extend_from_slice(data.get(i..end).ok_or_else(corrupt)?);
                }
                i = end;
            }
            0x2C => {
                let local = at(i + 9)?;
                let mut k = i + 10;
                if local & 0x80 != 0 {
                    k += 3 << ((local & 7) + 1);
                }
                let end = sub_blocks(k + 1)?; // past the LZW code size
                out.extend_from_slice(data.get(i..end).ok_or_else(corrupt)?);
                i = end;
            }
            _ => return Err(corrupt()),
        }
    }
}

/// The WebP without its EXIF and XMP chunks (and their flags in VP8X).
fn strip_webp(data: &[u8]) -> Result<Vec<u8>, UploadError> {
    let mut body = Vec::with_capacity(data.len());
    body.extend_from_slice(b"WEBP");
    let riff_end = (u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize)
        .saturating_add(8)
        .min(data.len());
    let mut i = 12;
    while i + 8 <= riff_end {
        let kind = &data[i..i + 4];
        let len = u64::from(u32::from_le_bytes([
            data[i + 4],
            data[i + 5],
            data[i + 6],
            data[i + 7],
        ]));
        // Chunks are padded to an even length.
        let end = usize::try_from(i as u64 + 8 + len + (len & 1))
            .ok()
            .filter(|&n| n <= data.len())
            .ok_or(UploadError::Corrupt)?;
        // The picture's chunks only: EXIF, XMP and any other metadata go.
        match kind {
            b"VP8X" if len >= 4 => {
                let mut chunk = data[i..end].to_vec();
                chunk[8] &= !(0x08 | 0x04);
                body.extend_from_slice(&chunk);
            }
            b"VP8 " | b"VP8L" | b"ALPH" | b"ANIM" | b"ANMF" | b"ICCP" => {
                body.extend_from_slice(&data[i..end]);
            }
            _ => {}
        }
        i = end;
    }
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Characters that change how a name reads without showing: direction overrides (which can
/// make a `.html` name read as `.jpg`), zero-width ones, the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A download name that is safe in a header and on any disk: path parts, control and
/// reserved characters dropped, at most 100 characters, the extension the content has.
pub fn safe_filename(filename: &str, ext: &str) -> String {
    let base = filename.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s,
        _ => base,
    };
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c) && !"<>:\"/\\|?*%;".contains(*c))
        .collect::<String>()
        .trim()
        .trim_matches('.')
        .chars()
        .take(90)
        .collect();
    let stem = if clean.is_empty() { "file" } else { &clean };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_bytes: 10 << 20,
        max_pixels: 40_000_000,
    };

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 100, 200])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 7])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out
    }

    /// An EXIF APP1 with orientation `o` and a GPS IFD pointer plus GPS latitude text.
    fn exif_with_gps(o: u8) -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"II\x2A\0\x08\0\0\0");
        tiff.extend_from_slice(&2u16.to_le_bytes());
        // Orientation.
        tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, o, 0, 0, 0]);
        // GPS IFD pointer (0x8825) to offset 38.
        tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        // GPS IFD: latitude ref "N" and a marker string we look for.
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(b"GPS-SECRET-52.5200N-13.4050E");
        let len = 2 + 6 + tiff.len();
        let mut seg = vec![0xFF, 0xE1, (len >> 8) as u8, len as u8];
        seg.extend_from_slice(b"Exif\0\0");
        seg.extend_from_slice(&tiff);
        seg
    }

    fn with_segment_after_soi(jpeg: &[u8], seg: &[u8]) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(seg);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn jpeg_loses_gps_keeps_orientation_and_decodes() {
        let src = with_segment_after_soi(&jpeg(64, 32), &exif_with_gps(6));
        assert!(contains(&src, b"GPS-SECRET"));
        let p = process(&src, "photo.JPG", &LIMITS).unwrap();
        assert!(!contains(&p.bytes, b"GPS-SECRET"));
        assert_eq!(p.kind, Kind::Image);
        assert_eq!((p.mime, p.ext), ("image/jpeg", "jpg"));
        // Orientation 6 turns it a quarter: shown 32 × 64.
        assert_eq!((p.width, p.height), (Some(32), Some(64)));
        let (_, o) = strip_jpeg(&p.bytes).unwrap();
        assert_eq!(o, 6, "orientation survives the stripping");
        image::load_from_memory(&p.bytes).unwrap();
        let thumb = image::load_from_memory(p.thumbnail.as_ref().unwrap()).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (32, 64));
        assert_eq!(p.sha256.len(), 64);
    }

    #[test]
    fn jpeg_without_exif_is_kept_byte_for_byte() {
        let src = jpeg(40, 40);
        let p = process(&src, "a.jpg", &LIMITS).unwrap();
        assert_eq!(p.bytes, src);
    }

    #[test]
    fn jpeg_comments_xmp_and_trailing_data_go() {
        let mut xmp = vec![0xFF, 0xE1, 0, 0];
        xmp.extend_from_slice(b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>SECRET-XMP</x:xmpmeta>");
        let n = xmp.len() - 2;
        xmp[2] = (n >> 8) as u8;
        xmp[3] = n as u8;
        let mut com = vec![0xFF, 0xFE, 0, 0];
        com.extend_from_slice(b"SECRET-COMMENT");
        let n = com.len() - 2;
        com[3] = n as u8;
        let mut src = with_segment_after_soi(&with_segment_after_soi(&jpeg(20, 20), &com), &xmp);
        src.extend_from_slice(b"SECRET-TRAILER");
        let p = process(&src, "a.jpg", &LIMITS).unwrap();
        for s in [&b"SECRET-XMP"[..], b"SECRET-COMMENT", b"SECRET-TRAILER"] {
            assert!(!contains(&p.bytes, s));
        }
        image::load_from_memory(&p.bytes).unwrap();
    }

    #[test]
    fn png_text_and_exif_chunks_go() {
        let src = png(30, 20);
        // Insert a tEXt and an eXIf chunk after IHDR (8 + 25 bytes).
        let chunk = |kind: &[u8], body: &[u8]| {
            let mut c = (body.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(body);
            c.extend_from_slice(&[0, 0, 0, 0]); // CRC is not checked by the stripper
            c
        };
        let mut with = src[..33].to_vec();
        with.extend(chunk(b"tEXt", b"Comment\0SECRET-TEXT"));
        with.extend(chunk(b"eXIf", b"MM\0*SECRET-EXIF"));
        with.extend_from_slice(&src[33..]);
        let p = process(&with, "shot.png", &LIMITS).unwrap();
        assert!(!contains(&p.bytes, b"SECRET"));
        assert_eq!(p.bytes, src);
        assert_eq!((p.width, p.height), (Some(30), Some(20)));
    }

    #[test]
    fn gif_comment_goes() {
        let img = image::RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 255]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Gif).unwrap();
        let src = out.into_inner();
        // A comment extension right after the header and global colour table.
        let flags = src[10];
        let head = 13
            + if flags & 0x80 != 0 {
                3 << ((flags & 7) + 1)
            } else {
                0
            };
        let mut with = src[..head].to_vec();
        with.extend_from_slice(&[0x21, 0xFE, 14]);
        with.extend_from_slice(b"SECRET-COMMENT");
        with.push(0);
        with.extend_from_slice(&src[head..]);
        let p = process(&with, "x.gif", &LIMITS).unwrap();
        assert!(!contains(&p.bytes, b"SECRET"));
        image::load_from_memory(&p.bytes).unwrap();
    }

    #[test]
    fn webp_exif_chunk_goes() {
        let img = image::RgbaImage::from_pixel(8, 8, image::Rgba([9, 9, 9, 255]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::WebP).unwrap();
        let src = out.into_inner();
        let mut with = src.clone();
        with.extend_from_slice(b"EXIF");
        with.extend_from_slice(&12u32.to_le_bytes());
        with.extend_from_slice(b"SECRET-EXIF!");
        let size = (with.len() - 8) as u32;
        with[4..8].copy_from_slice(&size.to_le_bytes());
        let p = process(&with, "x.webp", &LIMITS).unwrap();
        assert!(!contains(&p.bytes, b"SECRET"));
        assert_eq!(p.bytes, src);
    }

    #[test]
    fn type_comes_from_the_bytes() {
        let p = process(b"%PDF-1.7 ...", "invoice.exe", &LIMITS).unwrap();
        assert_eq!(
            (p.mime, p.ext, p.kind),
            ("application/pdf", "pdf", Kind::File)
        );
        let p = process(b"line 1\nline 2\n", "server.log", &LIMITS).unwrap();
        assert_eq!((p.mime, p.ext), ("text/plain", "log"));
        let p = process(b"just text", "evil.png", &LIMITS).unwrap();
        assert_eq!((p.mime, p.ext), ("text/plain", "txt"));
        let p = process(b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.txt", &LIMITS).unwrap();
        assert_eq!(
            (p.mime, p.ext, p.kind),
            ("image/svg+xml", "svg", Kind::File)
        );
        let p = process(
            b"<html><script>alert(1)</script></html>",
            "page.html",
            &LIMITS,
        )
        .unwrap();
        assert_eq!((p.mime, p.ext), ("text/html", "html"));
        assert_eq!(
            process(b"MZ\x90\0\x03\0\0\0", "setup.exe", &LIMITS).unwrap_err(),
            UploadError::NotAllowed
        );
        assert_eq!(
            process(b"", "a.txt", &LIMITS).unwrap_err(),
            UploadError::Empty
        );
    }

    #[test]
    fn a_fake_image_is_corrupt() {
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend_from_slice(&[0xAB; 100]);
        assert_eq!(
            process(&fake, "a.png", &LIMITS).unwrap_err(),
            UploadError::Corrupt
        );
        let fake = b"\xFF\xD8\xFF\xE0\x00";
        assert_eq!(
            process(fake, "a.jpg", &LIMITS).unwrap_err(),
            UploadError::Corrupt
        );
    }

    #[test]
    fn too_large_and_too_many_pixels() {
        let small = Limits {
            max_bytes: 10,
            max_pixels: 100,
        };
        assert_eq!(
            process(&[b'a'; 11], "a.txt", &small).unwrap_err(),
            UploadError::TooLarge
        );
        // A tiny PNG that claims 100,000 × 100,000 pixels is refused before it is decoded.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(
            process(&bomb, "bomb.png", &LIMITS).unwrap_err(),
            UploadError::TooManyPixels { width: 100_000, .. } | UploadError::Corrupt
        ));
        let p = png(20, 20);
        assert!(matches!(
            process(
                &p,
                "a.png",
                &Limits {
                    max_bytes: 1 << 20,
                    max_pixels: 100
                }
            )
            .unwrap_err(),
            UploadError::TooManyPixels {
                width: 20,
                height: 20
            }
        ));
    }

    #[test]
    fn thumbnails_are_small_jpegs() {
        let p = process(&png(2000, 1000), "wide.png", &LIMITS).unwrap();
        let t = image::load_from_memory(p.thumbnail.as_ref().unwrap()).unwrap();
        assert_eq!((t.width(), t.height()), (THUMB_SIZE, THUMB_SIZE / 2));
        assert!(p.thumbnail.unwrap().starts_with(b"\xFF\xD8\xFF"));
    }

    #[test]
    fn safe_names() {
        assert_eq!(safe_filename("../../etc/passwd", "txt"), "passwd.txt");
        assert_eq!(
            safe_filename("C:\\Users\\me\\Bild 1.PNG", "png"),
            "Bild 1.png"
        );
        assert_eq!(safe_filename("a\"b;c\r\n.jpg", "jpg"), "abc.jpg");
        assert_eq!(safe_filename("", "pdf"), "file.pdf");
        assert_eq!(safe_filename("...", "pdf"), "file.pdf");
        assert_eq!(safe_filename(&"x".repeat(500), "txt").len(), 94);
        assert_eq!(
            safe_filename("Rechnung März.pdf", "pdf"),
            "Rechnung März.pdf"
        );
    }
}

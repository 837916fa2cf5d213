//! SVG pictures rendered to PNG on the server (resvg), for slides and reports. Fonts come
//! from the system, loaded once; without any font the shapes and links still render.
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::error::{Error, Result};

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// The PNG of an SVG document at `scale` (2 for sharp text on high-density screens).
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::Internal(format!("picture not renderable: {e}")))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| Error::Internal("picture too large to render".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| Error::Internal("picture too large to render".into()))?;
    // On white, as the pictures are drawn: every pixel is opaque, so the pixmap's
    // premultiplied colours are the plain ones and the alpha channel can go.
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_rgb(&pixmap)
}

/// An opaque pixmap as an RGB PNG, compressed with `png`'s fast DEFLATE: a quarter less
/// data than RGBA, and a faster level than tiny-skia's default.
fn encode_rgb(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let failed = |e: png::EncodingError| Error::Internal(format!("PNG encoding failed: {e}"));
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&rgb).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_a_picture_to_png() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 20\" width=\"40\" height=\"20\">\
                   <rect width=\"40\" height=\"20\" fill=\"#ffffff\"/><circle cx=\"10\" cy=\"10\" r=\"5\" fill=\"#0072B2\"/></svg>";
        let png = super::render(svg, 2.0).expect("rendered");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // Width and height in the IHDR chunk: 80 × 40 at scale 2.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 80);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 40);
        assert!(super::render("<svg", 1.0).is_err());
        // The pixels survive the encoding: decoded, the circle's centre is its colour
        // and a corner the white background.
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
        let frame = reader.next_frame(&mut pixels).expect("a frame");
        assert_eq!(frame.color_type, png::ColorType::Rgb);
        let at = |x: usize, y: usize| &pixels[(y * 80 + x) * 3..(y * 80 + x) * 3 + 3];
        assert_eq!(at(20, 20), [0x00, 0x72, 0xB2]);
        assert_eq!(at(0, 0), [0xff, 0xff, 0xff]);
    }
}

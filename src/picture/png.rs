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
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Internal(format!("PNG encoding failed: {e}")))
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
    }
}

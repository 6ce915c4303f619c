//! Everything that turns data into HTML: the markdown pipeline and the themes.

pub mod markdown;
pub mod theme;

//! Everything that turns data into HTML (and XML): the markdown pipeline, the themes, XML text.

pub mod markdown;
pub mod theme;
pub mod xml;

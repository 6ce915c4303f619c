//! Everything that turns data into HTML (and XML): the markdown pipeline, the themes, XML text.

mod calls;
pub mod markdown;
pub mod theme;
pub mod xml;

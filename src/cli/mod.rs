//! The commands of the `nashr` tool that are more than a call into the
//! library: the authoring loop (`watch` and its live preview), starter
//! layouts (`init`), the font list (`fonts`) and merging batch manifests
//! (`manifest merge`). Each module owns one command; `main.rs` parses the
//! arguments and owns exit codes.

pub mod fonts;
pub mod init;
pub mod merge;
pub mod preview;
pub mod watch;

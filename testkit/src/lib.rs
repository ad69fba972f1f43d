//! The test kit for shellwise: fake HTTP upstreams that speak over real sockets, used by the
//! library's unit tests and the API tests alike (one mechanism, so the two cannot drift).
//!
//! - [`http`]: a scripted HTTP/1.1 server (bytes, split UTF-8, pause, hang, endless, close);
//! - [`llm`]: canned replies in the LLM providers' wire formats.

pub mod http;
pub mod llm;

//! Images people send, for any area that takes them (identification photos, ticket
//! attachments): reading an upload within its limits and deadline, and the pipeline that
//! checks, decodes, orients, resizes and re-encodes it with no metadata left. Storing the
//! result sealed is the photos area's (`photos::store`), whose tables hold it.

pub mod pipeline;
pub mod upload;

//! Where a redirect may point: a path on this site, never anywhere else.
//!
//! A target is parsed with the `url` crate, which reads it as a browser does (tabs and newlines
//! dropped, `\` taken for `/`, `//host` a host), against the portal's own origin; only a result
//! on that origin is followed, and only as a path (with its query and fragment), written out
//! percent-encoded, so no header can be broken by it.

use url::Url;

/// Stands for the portal where its real address does not matter: only references without
/// an origin of their own resolve to it.
const PLACEHOLDER_ORIGIN: &str = "http://portal.avtomektep.invalid/";

/// `target` as a path on the origin of `base` (the portal's base URL), or `None` when it would
/// leave it.
pub fn same_origin_path(target: &str, base: &str) -> Option<String> {
    let base = Url::parse(base).ok()?;
    let resolved = base.join(target).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    let path = &resolved[url::Position::BeforePath..];
    // `/.//evil` resolves to the path `//evil`, which a browser reads as a host.
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// A path on this site from a target the portal wrote itself (or `/`): every redirect passes
/// here, so a value slipped into one cannot send the visitor away or break the header.
pub fn local_path(target: &str) -> String {
    same_origin_path(target, PLACEHOLDER_ORIGIN).unwrap_or_else(|| "/".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://avtomektep.kz";

    #[test]
    fn paths_on_the_site_are_kept() {
        for (target, expected) in [
            ("/me/sessions", "/me/sessions"),
            ("/schools/1?page=2#review-3", "/schools/1?page=2#review-3"),
            ("/search?q=Әлия", "/search?q=%D3%98%D0%BB%D0%B8%D1%8F"),
            ("https://avtomektep.kz/me", "/me"),
            ("/%09/evil.example", "/%09/evil.example"),
            // Same scheme, no host: a browser reads it as a path here too.
            ("https:evil.example", "/evil.example"),
        ] {
            assert_eq!(same_origin_path(target, BASE).as_deref(), Some(expected), "{target}");
        }
    }

    #[test]
    fn anything_that_leaves_the_site_is_refused() {
        for target in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            " //evil.example",
            "https://evil.example",
            "http:evil.example",
            "http://avtomektep.kz/me",
            "javascript:alert(1)",
            "/.//evil.example",
            "https://avtomektep.kz@evil.example/",
            "data:text/html,x",
        ] {
            assert_eq!(same_origin_path(target, BASE), None, "{target:?}");
        }
    }

    #[test]
    fn a_redirect_written_by_the_portal_stays_and_cannot_break_the_header() {
        assert_eq!(local_path("/tickets/1#message-2"), "/tickets/1#message-2");
        assert_eq!(local_path("//evil.example"), "/");
        assert_eq!(local_path("/a\r\nSet-Cookie: x=1"), "/aSet-Cookie:%20x=1");
    }
}

//! A policy text (Markdown: `# title`, `## N. section`, paragraphs and lists) turned into
//! sections with anchors for the table of contents.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use pulldown_cmark::{Event, Parser, html};
use uuid::Uuid;

use crate::i18n::Lang;

pub struct PolicyDocument {
    pub title: String,
    pub sections: Vec<Section>,
}

pub struct Section {
    pub number: String,
    pub title: String,
    pub anchor: String,
    /// Rendered from the stored text; raw HTML in the source is shown as text.
    pub html: String,
}

const PHONE_TOKEN: &str = "{support_phone}";

impl PolicyDocument {
    pub fn parse(source: &str, support_phone: &str) -> PolicyDocument {
        let mut title = String::new();
        let mut sections: Vec<(String, String, String)> = Vec::new();
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("## ") {
                let (number, heading) = rest.split_once(". ").unwrap_or(("", rest));
                sections.push((number.to_string(), heading.to_string(), String::new()));
            } else if let Some(rest) = line.strip_prefix("# ") {
                title = rest.trim().to_string();
            } else if let Some((_, _, body)) = sections.last_mut() {
                body.push_str(line);
                body.push('\n');
            }
        }
        let phone = escape(support_phone);
        let sections = sections
            .into_iter()
            .enumerate()
            .map(|(i, (number, title, body))| Section {
                anchor: if number.is_empty() {
                    format!("section-{}", i + 1)
                } else {
                    format!("section-{number}")
                },
                number,
                title,
                html: render(&body).replace(PHONE_TOKEN, &phone),
            })
            .collect();
        PolicyDocument { title, sections }
    }
}

/// Rendered documents by version, language and phone. A published version's text does not
/// change, and parsing and rendering it is most of what the policy page costs.
type Rendered = HashMap<(Uuid, Lang, String), Arc<PolicyDocument>>;
static RENDERED: LazyLock<Mutex<Rendered>> = LazyLock::new(Mutex::default);
/// Versions are few; the bound only keeps a mistake from growing the map for ever.
const MAX_RENDERED: usize = 32;

fn rendered() -> std::sync::MutexGuard<'static, Rendered> {
    RENDERED.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The document of version `id` in `lang`, if it was rendered before.
pub fn cached(id: Uuid, lang: Lang, support_phone: &str) -> Option<Arc<PolicyDocument>> {
    rendered().get(&(id, lang, support_phone.to_string())).cloned()
}

/// Keeps a rendered document for the next request; returns it.
pub fn remember(
    id: Uuid, lang: Lang, support_phone: &str, doc: PolicyDocument,
) -> Arc<PolicyDocument> {
    let doc = Arc::new(doc);
    let mut map = rendered();
    if map.len() >= MAX_RENDERED {
        map.clear();
    }
    map.insert((id, lang, support_phone.to_string()), doc.clone());
    doc
}

fn render(markdown: &str) -> String {
    let events = Parser::new(markdown).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    // Writing into a `String` cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# Title\n\n## 1. First\n\nIntro:\n\n- one;\n- two.\n\n\
        ## 2. Second\n\nCall {support_phone} <script>x</script>\n";

    #[test]
    fn sections_get_numbers_titles_and_anchors() {
        let doc = PolicyDocument::parse(SAMPLE, "+7 700");
        assert_eq!(doc.title, "Title");
        assert_eq!(doc.sections.len(), 2);
        assert_eq!(doc.sections[1].number, "2");
        assert_eq!(doc.sections[1].title, "Second");
        assert_eq!(doc.sections[0].anchor, "section-1");
        assert!(doc.sections[0].html.contains("<li>one;</li>"));
    }

    #[test]
    fn the_phone_is_filled_in_and_html_in_the_text_is_escaped() {
        let doc = PolicyDocument::parse(SAMPLE, "<b>+7</b>");
        let html = &doc.sections[1].html;
        assert!(html.contains("&lt;b&gt;+7&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }
}

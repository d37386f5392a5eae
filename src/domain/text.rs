//! Text a person can type: what the portal accepts in any field, whatever the field.
//!
//! Refused everywhere: control characters (Unicode category Cc) other than tab, CR and LF; the
//! bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which make
//! text read differently from what it is; and more than [`MAX_COMBINING_RUN`] combining marks
//! on one letter (real writing needs two at most). `web::input` applies it to every form and
//! query, `media::upload` to the text parts of multipart forms.

/// More combining marks than this on one letter are refused.
pub const MAX_COMBINING_RUN: usize = 3;

/// Whether `text` may reach a handler.
pub fn acceptable(text: &str) -> bool {
    let mut combining_run = 0;
    for c in text.chars() {
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || is_bidi_control(c) {
            return false;
        }
        combining_run = if is_combining_mark(c) { combining_run + 1 } else { 0 };
        if combining_run > MAX_COMBINING_RUN {
            return false;
        }
    }
    true
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The combining blocks that can pile on Latin and Cyrillic letters (the scripts of the
/// portal's languages); marks of other scripts are left alone.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_writing_passes() {
        for text in [
            "Сәлеметсіз бе! Қалайсыз?",
            "Line one\r\nline two\tand a tab",
            "Việt Nam",
            "й decomposed: и\u{0306}",
            "emoji 👍🏽 and ZWJ 👩‍💻",
            "",
        ] {
            assert!(acceptable(text), "{text:?}");
        }
    }

    #[test]
    fn controls_overrides_and_piles_of_marks_are_refused() {
        for text in [
            "nul\0byte",
            "bell\u{7}",
            "escape\u{1b}[31m",
            "delete\u{7f}",
            "c1\u{85}",
            "\u{202E}gnp.exe",
            "isolate\u{2066}x\u{2069}",
            "z\u{0300}\u{0301}\u{0302}\u{0303}",
        ] {
            assert!(!acceptable(text), "{text:?}");
        }
    }
}
